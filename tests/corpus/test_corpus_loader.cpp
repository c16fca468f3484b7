#include "corpus_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace cited;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& a, const std::string& b) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(a) != std::string::npos && p.find(b) != std::string::npos; });
}

knowledge_base valid_base() {
  knowledge_base kb;
  kb.sources = {{"s1", "Title", "Most clinics charge between $500 and $3000 per session.\nThe procedure is relatively painless."}};
  kb.facts = {{"cost", "cost", {"price?"}, "Between $500 and $3000 per session [1].",
               {{"s1", "Most clinics charge between   $500 and $3000\nper session."}}, false, {}}};
  kb.words.warning_signs.signs = {{"infection", "test", true, {{{{"pus"}}, 0}}, {}}};
  return kb;
}

// A corpus folder in a fresh temporary directory.
struct corpus_dir {
  fs::path root = fs::temp_directory_path() / ("cited-corpus-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                                               "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  corpus_dir() {
    fs::remove_all(root);
    fs::create_directories(root / "sources");
    fs::create_directories(root / "facts");
  }
  ~corpus_dir() { fs::remove_all(root); }
  void write(const fs::path& rel, const std::string& text) const { std::ofstream(root / rel) << text; }
};

const char* minimal_lexicon = R"({"synonyms": {"price": ["cost"]}, "stop_words": ["the"],
  "warning_signs": {"signs": [{"sign": "infection", "patterns": [["pus"]]}]}, "replies":
  {"no_answer": "n", "urgent": "u", "greeting": "g", "thanks": "t", "goodbye": "b", "identity": "i"}})";

}  // namespace

TEST(validate, accepts_a_sound_knowledge_base) { EXPECT_TRUE(validate(valid_base()).empty()); }

TEST(validate, refuses_a_quote_that_is_not_verbatim_naming_the_fact) {
  auto kb = valid_base();
  kb.facts[0].citations[0].quote = "Most clinics charge between $500 and $4000 per session.";
  EXPECT_TRUE(mentions(validate(kb), "fact cost", "not verbatim"));
}

TEST(validate, refuses_a_fact_without_citation) {
  auto kb = valid_base();
  kb.facts[0].citations.clear();
  kb.facts[0].answer = "Cheap.";
  EXPECT_TRUE(mentions(validate(kb), "fact cost", "no citation"));
}

TEST(validate, refuses_repeated_ids_and_missing_sources) {
  auto kb = valid_base();
  kb.facts.push_back(kb.facts[0]);
  kb.facts[1].citations[0].source = "s9";
  const auto problems = validate(kb);
  EXPECT_TRUE(mentions(problems, "fact cost", "id repeats"));
  EXPECT_TRUE(mentions(problems, "fact cost", "missing source \"s9\""));
}

TEST(validate, refuses_markers_without_citations_and_unreferenced_citations) {
  auto kb = valid_base();
  kb.facts[0].answer = "Between $500 and $3000 per session [2].";
  const auto problems = validate(kb);
  EXPECT_TRUE(mentions(problems, "fact cost", "[2] has no citation"));
  EXPECT_TRUE(mentions(problems, "fact cost", "citation [1] is never referenced"));
}

// Found by fuzzing (tests/fuzz/regressions/corpus): a marker past an int threw out of validate().
TEST(validate, refuses_a_marker_too_long_for_any_number) {
  auto kb = valid_base();
  kb.facts[0].answer = "Between $500 and $3000 per session [99999999999] [1].";
  std::vector<std::string> problems;
  ASSERT_NO_THROW(problems = validate(kb));
  EXPECT_TRUE(mentions(problems, "fact cost", "[99999999999] has no citation"));
}

TEST(validate, refuses_a_number_no_quote_states) {
  auto kb = valid_base();
  kb.facts[0].answer = "Between $500 and $3500 per session [1].";
  EXPECT_TRUE(mentions(validate(kb), "fact cost", "states 3500"));
}

TEST(validate, names_every_bad_fact_at_once) {
  auto kb = valid_base();
  kb.facts.push_back({"other", "pain", {"hurt?"}, "Painless [1].", {{"s1", "Not in the source."}}, false, {"nowhere"}});
  kb.facts[0].citations[0].quote = "Also not there.";
  const auto problems = validate(kb);
  EXPECT_TRUE(mentions(problems, "fact cost", "not verbatim"));
  EXPECT_TRUE(mentions(problems, "fact other", "not verbatim"));
  EXPECT_TRUE(mentions(problems, "fact other", "related fact \"nowhere\""));
}

TEST(load_corpus, reads_sources_facts_and_lexicon) {
  corpus_dir dir;
  dir.write("sources/s1.txt", "A Title\n\nMost clinics charge between $500 and $3000 per session.\n");
  dir.write("facts/cost.json", R"([{"id": "cost", "topic": "cost", "questions": ["price?"],
      "answer": "Between $500 and $3000 [1].", "citations": [{"source": "s1", "quote": "Most clinics charge between $500 and $3000 per session."}]}])");
  dir.write("lexicon.json", minimal_lexicon);
  const knowledge_base kb = load_corpus(dir.root);
  ASSERT_EQ(kb.sources.size(), 1u);
  EXPECT_EQ(kb.sources[0].id, "s1");
  EXPECT_EQ(kb.sources[0].title, "A Title");
  EXPECT_EQ(kb.sources[0].text.rfind("Most clinics", 0), 0u);
  ASSERT_EQ(kb.facts.size(), 1u);
  EXPECT_EQ(kb.words.synonyms.at("price"), std::vector<std::string>{"cost"});
  EXPECT_TRUE(validate(kb).empty());
}

TEST(validate, refuses_warning_signs_the_reader_could_not_use) {
  auto kb = valid_base();
  kb.words.warning_signs.signs[0].patterns[0].slots.push_back({"@worse"});
  EXPECT_TRUE(mentions(validate(kb), "lexicon: warning_signs", "set \"worse\" that is not defined"));
  kb.words.warning_signs.signs[0].facts = {"no-such-fact"};
  EXPECT_TRUE(mentions(validate(kb), "warning sign infection", "fact \"no-such-fact\" that does not exist"));
  kb.words.warning_signs.signs.clear();
  EXPECT_TRUE(mentions(validate(kb), "lexicon: warning_signs", "no signs"));
}

TEST(load_corpus, names_the_file_of_malformed_json) {
  corpus_dir dir;
  dir.write("sources/s1.txt", "T\n\ntext");
  dir.write("facts/broken.json", "[{\"id\": ");
  dir.write("lexicon.json", minimal_lexicon);
  try {
    load_corpus(dir.root);
    FAIL() << "malformed JSON was accepted";
  } catch (const corpus_error& e) {
    EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos);
  }
}

TEST(load_corpus, refuses_a_missing_folder) {
  EXPECT_THROW(load_corpus("/nonexistent/corpus"), corpus_error);
}

TEST(the_bundled_corpus, is_valid_and_covers_the_topics) {
  const knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
  const auto problems = validate(kb);
  for (const auto& p : problems) ADD_FAILURE() << p;
  EXPECT_EQ(kb.sources.size(), 5u);
  EXPECT_GT(kb.facts.size(), 60u);
  for (const char* topic : {"cost", "permanence", "pain", "risks", "sessions", "aftercare", "candidates", "procedure", "comparison"})
    EXPECT_TRUE(std::any_of(kb.facts.begin(), kb.facts.end(), [&](const fact& f) { return f.topic == topic; })) << topic;
  EXPECT_GE(std::count_if(kb.facts.begin(), kb.facts.end(), [](const fact& f) { return f.conflict; }), 10);
}
