#include "index_reader.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "answer_engine.hpp"
#include "answer_json.hpp"
#include "corpus_loader.hpp"
#include "index_builder.hpp"
#include "sqlite_handle.hpp"
#include "text_normaliser.hpp"
#include "utf8.hpp"

using namespace cited;
namespace fs = std::filesystem;

namespace {

// One index of the bundled corpus, built once for all tests here.
class bundled_index : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new fs::path(fs::temp_directory_path() / ("cited-index-test-" + std::to_string(::getpid()) + ".db"));
    build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), *path_);
  }
  static void TearDownTestSuite() {
    fs::remove(*path_);
    delete path_;
  }
  static const fs::path& path() { return *path_; }

  answer ask(const std::string& text) {
    if (!engine_) {
      auto loaded = load_index(path());
      engine_ = std::make_unique<answer_engine>(loaded.knowledge, loaded.words, open_retriever(path()));
    }
    return engine_->ask(text);
  }

 private:
  static fs::path* path_;
  std::unique_ptr<answer_engine> engine_;
};
fs::path* bundled_index::path_ = nullptr;

fs::path scratch(const std::string& name) { return fs::temp_directory_path() / ("cited-" + std::to_string(::getpid()) + "-" + name); }

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const index_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_F(bundled_index, round_trips_the_knowledge_base) {
  const knowledge_base original = load_corpus(CITED_SOURCE_DIR "/corpus");
  const loaded_index loaded = load_index(path());
  ASSERT_EQ(loaded.knowledge->facts.size(), original.facts.size());
  for (std::size_t i = 0; i < original.facts.size(); ++i) {
    const fact& a = original.facts[i];
    const fact& b = loaded.knowledge->facts[i];
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.questions, b.questions);
    EXPECT_EQ(a.answer, b.answer);
    EXPECT_EQ(a.conflict, b.conflict);
    EXPECT_EQ(a.related, b.related);
    ASSERT_EQ(a.citations.size(), b.citations.size());
    for (std::size_t c = 0; c < a.citations.size(); ++c) EXPECT_EQ(a.citations[c].quote, b.citations[c].quote);
  }
  EXPECT_EQ(loaded.knowledge->sources.size(), original.sources.size());
  EXPECT_EQ(loaded.knowledge->words.synonyms, original.words.synonyms);
  EXPECT_EQ(loaded.knowledge->words.replies.no_answer, original.words.replies.no_answer);
  EXPECT_GT(loaded.words->size(), 500u);
  EXPECT_EQ(read_index_info(path()).facts, static_cast<long long>(original.facts.size()));
}

TEST_F(bundled_index, retrieval_finds_the_fact_and_which_words_matched) {
  const loaded_index loaded = load_index(path());
  auto r = open_retriever(path());
  std::vector<term_group> groups{{"price", {"price", "cost"}, 1, true}, {"zebra", {"zebra"}, 1, false}};
  const auto hits = r->search(groups, 5);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(loaded.knowledge->facts[hits[0].fact].topic, "cost");
  EXPECT_EQ(hits[0].matched, 1u);  // price/cost matched; zebra did not
  EXPECT_GT(hits[0].relevance, 0);
}

TEST_F(bundled_index, cited_score_is_fts5_s_own_bm25) {
  sqlite_db db(path().string(), SQLITE_OPEN_READONLY);
  register_fts5_extensions(db.get());
  stemmer stems(db.get());
  const bm25_table table = load_bm25_table(db.get(), stems);
  register_scorer(db.get(), &table);
  statement documents(db.get(), "SELECT doc FROM fact_search_vocab WHERE term = ?1");
  statement rows(db.get(), "SELECT count(*) FROM fact_search");
  rows.step();
  const double n = static_cast<double>(rows.integer(0));
  int compared = 0;
  for (const char* word : {"pain", "cost", "scalp", "fade", "women"}) {
    documents.bind(1, stems.stems(word).at(0));
    ASSERT_TRUE(documents.step()) << word;
    const double df = static_cast<double>(documents.integer(0));
    documents.reset();
    const double idf = std::max(std::log((n - df + 0.5) / (df + 0.5)), 1e-6);
    statement both(db.get(), "SELECT bm25(fact_search, 4.0, 2.0, 1.0), cited_score(fact_search, 3, ?2) FROM fact_search WHERE fact_search MATCH ?1");
    both.bind(1, std::string("\"") + word + "\"").bind_blob(2, &idf, sizeof idf);
    while (both.step()) {
      EXPECT_NEAR(-both.real(0), std::get<0>(both.score(1)), 1e-9) << word;
      ++compared;
    }
  }
  EXPECT_GT(compared, 20);
}

// The phrase-row cache is a shortcut, not a second scorer: for any groups, the hits, their
// order, their matched groups and their scores (to the last bit) are what one FTS5 query gives.
TEST_F(bundled_index, cached_phrase_rows_give_exactly_the_fts5_query_s_hits) {
  const knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
  std::vector<std::string> terms{"zebra", "NEAR(", "\"", "col:pain", "scalp micropigmentation", "hair transplant", "no such phrase"};
  for (const auto& [word, synonyms] : kb.words.synonyms) {
    terms.push_back(word);
    terms.insert(terms.end(), synonyms.begin(), synonyms.end());
  }
  text_normaliser normaliser;
  for (const auto& f : kb.facts)
    for (const auto& w : normaliser.words(f.questions.front())) terms.push_back(w.text);

  auto cached = open_retriever(path(), {.cache_phrase_rows = true});
  auto direct = open_retriever(path(), {.cache_phrase_rows = false});
  std::mt19937 random(20261121);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  int compared_hits = 0;
  for (int query = 0; query < 400; ++query) {
    std::vector<term_group> groups(1 + pick(8));
    for (auto& g : groups) {
      for (std::size_t t = 0, n = 1 + pick(4); t < n; ++t) g.terms.push_back(terms[pick(terms.size())]);
      g.origin = g.terms.front();
    }
    const auto want = direct->search(groups, 1000);
    for (int pass = 0; pass < 2; ++pass) {  // rows found now, then rows kept from before
      const auto got = cached->search(groups, 1000);
      ASSERT_EQ(got.size(), want.size()) << groups.front().origin;
      for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(got[i].fact, want[i].fact);
        EXPECT_EQ(got[i].relevance, want[i].relevance);
        EXPECT_EQ(got[i].matched, want[i].matched);
        EXPECT_EQ(got[i].matched_in_point, want[i].matched_in_point);
      }
    }
    compared_hits += static_cast<int>(want.size());
  }
  EXPECT_GT(compared_hits, 4000);
}

TEST_F(bundled_index, question_text_is_never_fts5_syntax) {
  auto r = open_retriever(path());
  for (const char* t : {"\"", "*", "NEAR(", "col:", "^", "-", "AND", "OR", "NOT", "(", ")", "questions:pain", "\"\"\"", "a\"b"})
    EXPECT_NO_THROW(r->search({{t, {t}, 1, false}}, 5)) << t;
  const fts_query q = make_fts_query({{"x", {"a\"b", "NEAR(c"}, 1, true}, {"y", {"pain"}, 1, true}});
  EXPECT_EQ(q.expression, "\"a\"\"b\" OR \"NEAR(c\" OR \"pain\"");
  EXPECT_EQ(q.phrase_group, (std::vector<std::size_t>{0, 0, 1}));
}

// Found by fuzzing (tests/fuzz/regressions/query): FTS5 stopped reading at the NUL, inside the
// phrase's quotes, and refused the query as an unterminated string.
TEST_F(bundled_index, a_nul_in_a_term_separates_words) {
  auto r = open_retriever(path());
  const std::string with_nul("cost\0pain", 9), only_nul("\0", 1);
  EXPECT_NO_THROW(r->search({{with_nul, {with_nul, only_nul}, 1, false}}, 5));
  const fts_query q = make_fts_query({{"x", {with_nul, only_nul}, 1, true}});
  EXPECT_EQ(q.expression, "\"cost pain\"");
  EXPECT_EQ(q.phrase_text, (std::vector<std::string>{"cost pain"}));
}

TEST_F(bundled_index, answers_the_acceptance_questions) {
  const answer cost = ask("how much does scalp micropigmentation cost?");
  EXPECT_EQ(cost.status, answer_status::answered);
  EXPECT_NE(cost.text.find("$500"), std::string::npos);
  EXPECT_NE(cost.text.find("$3000"), std::string::npos);
  EXPECT_TRUE(std::any_of(cost.citations.begin(), cost.citations.end(),
                          [](auto& c) { return c.quote.find("between $500 and $3000 per session") != std::string::npos; }));

  const answer forever = ask("does SMP last forever?");
  EXPECT_EQ(forever.status, answer_status::answered);
  EXPECT_TRUE(forever.conflict);
  EXPECT_TRUE(std::any_of(forever.citations.begin(), forever.citations.end(), [](auto& c) { return c.quote.find("are permanent") != std::string::npos; }));
  EXPECT_TRUE(std::any_of(forever.citations.begin(), forever.citations.end(), [](auto& c) { return c.quote.find("not permanent") != std::string::npos; }));

  EXPECT_EQ(ask("what time do you open on Sunday?").status, answer_status::no_answer);
  EXPECT_EQ(ask("best pizza nearby").status, answer_status::no_answer);
  EXPECT_EQ(ask("my scalp is oozing pus and I have a fever").status, answer_status::urgent);
  EXPECT_EQ(ask("hello!").status, answer_status::smalltalk);
}

TEST_F(bundled_index, bad_input_gets_a_valid_answer_object) {
  const std::vector<std::string> inputs{"", "   \t ", std::string(100 * 1024, 'a'), "\xFF\xFE\xC3(", "\"", "*", "NEAR(",
                                        "col:", "^", "-", "AND OR NOT", "((((", ")))", "pain\" OR \"cost", "questions:pain*"};
  for (const auto& in : inputs) {
    const std::string line = to_json_line(ask(in));
    EXPECT_TRUE(is_valid_utf8(line));
    const auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j["type"], "answer");
    EXPECT_TRUE(j["status"].is_string());
    EXPECT_EQ(line.find("fts5"), std::string::npos) << "SQL error leaked for " << in.substr(0, 20);
  }
}

TEST_F(bundled_index, every_suggestion_is_answerable) {
  for (const char* q : {"price?", "does it hurt", "is it permanent", "aftercare", "hi"}) {
    for (const auto& s : ask(q).suggestions) EXPECT_EQ(ask(s).status, answer_status::answered) << s << " (from " << q << ")";
  }
}

TEST(index_errors, a_missing_file_says_how_to_build_it) {
  EXPECT_NE(error_of([] { load_index("/nonexistent/cited.db"); }).find("cited index"), std::string::npos);
}

TEST(index_errors, a_file_that_is_no_database_is_called_corrupt) {
  const fs::path p = scratch("garbage.db");
  std::ofstream(p) << std::string(4096, 'x');
  EXPECT_NE(error_of([&] { load_index(p); }).find("not a cited index"), std::string::npos);
  fs::remove(p);
}

TEST(index_errors, a_truncated_index_is_called_corrupt) {
  const fs::path full = scratch("full.db"), cut = scratch("cut.db");
  build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), full);
  fs::copy_file(full, cut, fs::copy_options::overwrite_existing);
  fs::resize_file(cut, fs::file_size(full) / 3);
  const std::string message = error_of([&] { load_index(cut); });
  EXPECT_NE(message.find("not a cited index"), std::string::npos) << message;
  fs::remove(full);
  fs::remove(cut);
}

TEST(index_errors, an_older_schema_asks_for_a_rebuild) {
  const fs::path p = scratch("old.db");
  build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), p);
  {
    sqlite_db db(p.string(), SQLITE_OPEN_READWRITE);
    db.exec("UPDATE meta SET value = '0' WHERE key = 'schema_version'");
  }
  const std::string message = error_of([&] { read_index_info(p); });
  EXPECT_NE(message.find("rebuild"), std::string::npos) << message;
  fs::remove(p);
}

TEST(index_builder, replaces_an_index_only_when_the_new_one_is_complete) {
  const fs::path p = scratch("replace.db");
  build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), p);
  knowledge_base broken;
  broken.facts.push_back({"x", "cost", {"q"}, "a", {{"s", "q"}}, false, {}});
  broken.facts.push_back({"x", "cost", {"q"}, "a", {{"s", "q"}}, false, {}});  // a repeated id breaks UNIQUE
  EXPECT_THROW(build_index(broken, p), index_error);
  EXPECT_EQ(read_index_info(p).facts, static_cast<long long>(load_corpus(CITED_SOURCE_DIR "/corpus").facts.size()));
  fs::remove(p);
}

TEST(index_builder, citation_markers_are_not_words_of_the_answer) {
  const fs::path p = scratch("markers.db");
  knowledge_base kb;
  kb.sources.push_back({"s", "Source", "Touch-ups are needed every few years."});
  kb.facts.push_back({"touch-ups", "permanence", {"do i need touch ups"}, "Touch-ups are needed every few years [1][17].",
                      {{"s", "Touch-ups are needed every few years."}}, false, {}});
  build_index(kb, p);
  const loaded_index loaded = load_index(p);
  // "[17]" is no seventeen: a question about 17 sessions must not find this fact by it.
  EXPECT_FALSE(loaded.words->contains("17"));
  EXPECT_FALSE(loaded.words->contains("1"));
  EXPECT_TRUE(loaded.words->contains("touch"));
  fs::remove(p);
}

TEST(index_builder, carries_which_facts_and_sources_are_the_clinics_own) {
  knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
  kb.sources.push_back({"clinic-prices", "Our prices", "A session at our clinic costs 450 pounds.", true});
  kb.facts.push_back({"clinic-price", "cost", {"how much do you charge"}, "A session here costs 450 pounds [1].",
                      {{"clinic-prices", "A session at our clinic costs 450 pounds."}}, false, {}, true});
  const fs::path db = scratch("clinic.db");
  build_index(kb, db);
  const loaded_index loaded = load_index(db);
  fs::remove(db);
  ASSERT_NE(loaded.knowledge->find_fact("clinic-price"), nullptr);
  EXPECT_TRUE(loaded.knowledge->find_fact("clinic-price")->clinic);
  EXPECT_FALSE(loaded.knowledge->find_fact("cost-per-session")->clinic);
  ASSERT_NE(loaded.knowledge->find_source("clinic-prices"), nullptr);
  EXPECT_TRUE(loaded.knowledge->find_source("clinic-prices")->clinic);
  EXPECT_FALSE(loaded.knowledge->find_source(kb.sources.front().id)->clinic);
}
