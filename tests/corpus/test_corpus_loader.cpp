#include "corpus_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace cited;
namespace fs = std::filesystem;

namespace {

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
  for (const auto& p : check_knowledge(kb)) ADD_FAILURE() << describe(p);
  EXPECT_EQ(kb.sources.size(), 5u);
  EXPECT_GT(kb.facts.size(), 60u);
  for (const char* topic : {"cost", "permanence", "pain", "risks", "sessions", "aftercare", "candidates", "procedure", "comparison"})
    EXPECT_TRUE(std::any_of(kb.facts.begin(), kb.facts.end(), [&](const fact& f) { return f.topic == topic; })) << topic;
  EXPECT_GE(std::count_if(kb.facts.begin(), kb.facts.end(), [](const fact& f) { return f.conflict; }), 10);
}

TEST(load_corpus, marks_the_clinics_own_sources_and_facts) {
  corpus_dir dir;
  fs::create_directories(dir.root / "sources" / "clinic");
  dir.write("sources/s1.txt", "An article\n\nMost clinics charge between $500 and $3000 per session.\n");
  dir.write("sources/clinic/prices.txt", "Our prices\n\nA session costs 450 pounds.\n");
  dir.write("facts/cost.json", R"([{"id": "our-price", "topic": "cost", "questions": ["price?"], "clinic": true,
      "answer": "A session costs 450 pounds [1].", "citations": [{"source": "prices", "quote": "A session costs 450 pounds."}]},
      {"id": "price", "topic": "cost", "questions": ["price?"],
      "answer": "Between $500 and $3000 [1].", "citations": [{"source": "s1", "quote": "Most clinics charge between $500 and $3000 per session."}]}])");
  dir.write("lexicon.json", minimal_lexicon);
  const knowledge_base kb = load_corpus(dir.root);
  ASSERT_NE(kb.find_source("prices"), nullptr);
  EXPECT_TRUE(kb.find_source("prices")->clinic);
  EXPECT_FALSE(kb.find_source("s1")->clinic);
  EXPECT_TRUE(kb.find_fact("our-price")->clinic);
  EXPECT_FALSE(kb.find_fact("price")->clinic);
}
