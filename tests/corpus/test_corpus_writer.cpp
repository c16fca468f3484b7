#include "corpus_writer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "corpus_loader.hpp"

using namespace cited;
namespace fs = std::filesystem;

namespace {

const fs::path bundled = CITED_SOURCE_DIR "/corpus";

std::string bytes_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// An empty folder for the test to write a corpus into, with the bundled lexicon so it loads.
struct scratch_corpus {
  fs::path root = fs::temp_directory_path() / ("cited-writer-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  scratch_corpus() {
    fs::remove_all(root);
    fs::create_directories(root);
    fs::copy_file(bundled / "lexicon.json", root / "lexicon.json");
  }
  ~scratch_corpus() { fs::remove_all(root); }
};

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir));
  std::sort(out.begin(), out.end());
  return out;
}

void expect_same_knowledge(const knowledge_base& a, const knowledge_base& b) {
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (std::size_t i = 0; i < a.sources.size(); ++i) {
    EXPECT_EQ(a.sources[i].id, b.sources[i].id);
    EXPECT_EQ(a.sources[i].title, b.sources[i].title);
    EXPECT_EQ(a.sources[i].text, b.sources[i].text);
    EXPECT_EQ(a.sources[i].clinic, b.sources[i].clinic);
  }
  ASSERT_EQ(a.facts.size(), b.facts.size());
  for (std::size_t i = 0; i < a.facts.size(); ++i) {
    const fact& x = a.facts[i];
    const fact& y = b.facts[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.topic, y.topic);
    EXPECT_EQ(x.questions, y.questions);
    EXPECT_EQ(x.answer, y.answer);
    ASSERT_EQ(x.citations.size(), y.citations.size()) << x.id;
    for (std::size_t c = 0; c < x.citations.size(); ++c) {
      EXPECT_EQ(x.citations[c].source, y.citations[c].source);
      EXPECT_EQ(x.citations[c].quote, y.citations[c].quote);
    }
    EXPECT_EQ(x.conflict, y.conflict);
    EXPECT_EQ(x.related, y.related);
    EXPECT_EQ(x.clinic, y.clinic);
  }
}

knowledge_base small_base() {
  knowledge_base kb;
  kb.sources = {{"s1", "Prices", "We charge £450 per session.\nA full scalp takes three sessions.\n", true},
                {"s2", "An article", "Most clinics charge between $500 and $3000 per session.", false}};
  kb.facts = {{"clinic-price", "cost", {"how much do you charge"}, "We charge £450 per session [1].",
               {{"s1", "We charge £450 per session."}}, false, {"general-price"}, true},
              {"general-price", "cost", {"how much does smp cost"}, "Most clinics charge between $500 and $3000 [1].",
               {{"s2", "Most clinics charge between $500 and $3000 per session."}}, false, {}, false},
              {"sessions", "sessions", {"how many sessions"}, "A full scalp takes three sessions [1].",
               {{"s1", "A full scalp takes three sessions."}}, false, {}, true}};
  return kb;
}

}  // namespace

TEST(write_corpus, writes_the_bundled_facts_byte_for_byte_as_they_are) {
  const scratch_corpus out;
  const knowledge_base kb = load_corpus(bundled);
  write_corpus(kb, out.root);
  for (const auto& entry : fs::directory_iterator(bundled / "facts")) {
    const fs::path written = out.root / "facts" / entry.path().filename();
    ASSERT_TRUE(fs::exists(written)) << written;
    EXPECT_EQ(bytes_of(written), bytes_of(entry.path())) << entry.path().filename();
  }
  for (const auto& entry : fs::directory_iterator(bundled / "sources")) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(bytes_of(out.root / "sources" / entry.path().filename()), bytes_of(entry.path())) << entry.path().filename();
  }
}

TEST(write_corpus, round_trips_the_bundled_corpus_to_the_same_knowledge) {
  const scratch_corpus out;
  const knowledge_base kb = load_corpus(bundled);
  write_corpus(kb, out.root);
  expect_same_knowledge(load_corpus(out.root), kb);
}

TEST(write_corpus, round_trips_clinic_facts_and_sources) {
  const scratch_corpus out;
  const knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  EXPECT_TRUE(fs::exists(out.root / "sources" / "clinic" / "s1.txt"));
  EXPECT_TRUE(fs::exists(out.root / "sources" / "s2.txt"));
  EXPECT_NE(bytes_of(out.root / "facts" / "cost.json").find("\"clinic\": true"), std::string::npos);
  const knowledge_base back = load_corpus(out.root);
  // Loading reads the general sources' folder first and the topic files in name order.
  knowledge_base expected = kb;
  std::swap(expected.sources[0], expected.sources[1]);
  expect_same_knowledge(back, expected);
}

TEST(write_corpus, groups_facts_per_topic_in_their_order) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  std::swap(kb.facts[0], kb.facts[1]);
  write_corpus(kb, out.root);
  EXPECT_EQ(files_under(out.root / "facts"), (std::vector<fs::path>{"cost.json", "sessions.json"}));
  const std::string cost = bytes_of(out.root / "facts" / "cost.json");
  EXPECT_LT(cost.find("general-price"), cost.find("clinic-price"));
  EXPECT_EQ(cost.back(), '\n');
}

TEST(write_corpus, touches_only_files_whose_content_changes) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  const corpus_changes first = write_corpus(kb, out.root);
  EXPECT_EQ(first.written.size(), 4u);
  EXPECT_TRUE(write_corpus(kb, out.root).empty());
  kb.facts[2].questions.push_back("how many visits");
  const corpus_changes second = write_corpus(kb, out.root);
  EXPECT_EQ(second.written, std::vector<fs::path>{fs::path("facts") / "sessions.json"});
  EXPECT_TRUE(second.removed.empty());
}

TEST(write_corpus, removes_the_files_of_topics_and_sources_no_longer_there) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  kb.facts.pop_back();
  kb.facts.pop_back();
  kb.sources.pop_back();
  const corpus_changes changes = write_corpus(kb, out.root);
  EXPECT_EQ(changes.removed, (std::vector<fs::path>{fs::path("facts") / "sessions.json", fs::path("sources") / "s2.txt"}));
  EXPECT_EQ(files_under(out.root), (std::vector<fs::path>{fs::path("facts") / "cost.json", "lexicon.json",
                                                           fs::path("sources") / "clinic" / "s1.txt"}));
}

TEST(write_corpus, moves_a_source_into_the_clinic_folder_when_it_becomes_the_clinics) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  kb.sources[1].clinic = true;
  write_corpus(kb, out.root);
  EXPECT_TRUE(fs::exists(out.root / "sources" / "clinic" / "s2.txt"));
  EXPECT_FALSE(fs::exists(out.root / "sources" / "s2.txt"));
}

TEST(write_corpus, refuses_to_change_a_sources_text_and_writes_nothing) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  const std::string before = bytes_of(out.root / "sources" / "clinic" / "s1.txt");
  kb.sources[0].text = "We charge £500 per session.\n";
  kb.facts[0].questions.push_back("price?");
  try {
    write_corpus(kb, out.root);
    FAIL() << "a source's text was changed";
  } catch (const corpus_error& e) {
    EXPECT_NE(std::string(e.what()).find("new version of a page must be added as a new source"), std::string::npos) << e.what();
  }
  EXPECT_EQ(bytes_of(out.root / "sources" / "clinic" / "s1.txt"), before);
  EXPECT_EQ(bytes_of(out.root / "facts" / "cost.json").find("price?"), std::string::npos);
}

TEST(write_corpus, refuses_names_that_would_leave_the_folder) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  kb.facts[0].topic = "../../escaped";
  kb.sources[1].id = "../s2";
  try {
    write_corpus(kb, out.root);
    FAIL() << "a topic or id that climbs out of the folder was accepted";
  } catch (const corpus_error& e) {
    EXPECT_EQ(e.problems().size(), 2u) << e.what();
  }
  EXPECT_EQ(files_under(out.root), std::vector<fs::path>{"lexicon.json"});
  EXPECT_FALSE(fs::exists(out.root.parent_path().parent_path() / "escaped.json"));
}

TEST(write_corpus, refuses_a_title_of_several_lines) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  kb.sources[0].title = "Prices\nand more";
  EXPECT_THROW(write_corpus(kb, out.root), corpus_error);
}

TEST(write_corpus, leaves_no_temporary_files_behind) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  kb.facts[0].answer = "We charge £450 per session [1]!";
  write_corpus(kb, out.root);
  for (const auto& f : files_under(out.root)) EXPECT_EQ(f.string().find(".tmp"), std::string::npos) << f;
}

TEST(write_corpus, replaces_a_file_by_renaming_so_an_open_reader_keeps_the_old_one) {
  const scratch_corpus out;
  knowledge_base kb = small_base();
  write_corpus(kb, out.root);
  std::ifstream reader(out.root / "facts" / "sessions.json", std::ios::binary);
  kb.facts[2].answer = "Three sessions [1].";
  write_corpus(kb, out.root);
  std::ostringstream old;
  old << reader.rdbuf();
  EXPECT_NE(old.str().find("A full scalp takes three sessions [1]."), std::string::npos);
  EXPECT_NE(bytes_of(out.root / "facts" / "sessions.json").find("Three sessions [1]."), std::string::npos);
}
