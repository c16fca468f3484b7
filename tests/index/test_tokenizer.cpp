#include "fts5_extension.hpp"

#include <gtest/gtest.h>

#include <set>

#include "sqlite_handle.hpp"

using namespace cited;

namespace {

// An in-memory FTS5 table over one text, tokenized by "tokenizer"; returns its vocabulary.
std::set<std::string> vocabulary_of(const std::string& tokenizer, const std::string& text) {
  sqlite_db db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  register_fts5_extensions(db.get());
  db.exec(("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '" + tokenizer + "');"
           "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row');").c_str());
  statement insert(db.get(), "INSERT INTO t(body) VALUES(?1)");
  insert.bind(1, text).step();
  std::set<std::string> terms;
  statement read(db.get(), "SELECT term FROM v");
  while (read.step()) terms.insert(read.text(0));
  return terms;
}

long long matches(const std::string& text, const std::string& query) {
  sqlite_db db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  register_fts5_extensions(db.get());
  db.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter cited');");
  statement insert(db.get(), "INSERT INTO t(body) VALUES(?1)");
  insert.bind(1, text).step();
  statement count(db.get(), "SELECT count(*) FROM t WHERE t MATCH ?1");
  count.bind(1, query).step();
  return count.integer(0);
}

}  // namespace

TEST(cited_tokenizer, indexes_folded_words_as_fts5vocab_shows) {
  EXPECT_EQ(vocabulary_of("cited", "Anésthésie doesn’t HURT"), (std::set<std::string>{"anesthesie", "doesnt", "hurt"}));
}

TEST(cited_tokenizer, writes_money_one_way) {
  EXPECT_EQ(vocabulary_of("cited", "$3,000 or 3k"), (std::set<std::string>{"money", "3000", "or"}));
}

TEST(cited_tokenizer, porter_wraps_it_for_english_stems) {
  EXPECT_EQ(vocabulary_of("porter cited", "fading touches"), (std::set<std::string>{"fade", "touch"}));
}

TEST(cited_tokenizer, matches_numbers_whatever_their_form) {
  const std::string text = "Most clinics charge between $500 and $3000 per session.";
  EXPECT_EQ(matches(text, "\"3,000\""), 1);
  EXPECT_EQ(matches(text, "\"3k\""), 1);
  EXPECT_EQ(matches(text, "\"3000\""), 1);
  EXPECT_EQ(matches(text, "\"$\""), 1);  // any currency sign is the word money
  EXPECT_EQ(matches(text, "\"4000\""), 0);
}

TEST(cited_tokenizer, matches_inflections_and_accents) {
  EXPECT_EQ(matches("The pigment will eventually fade", "\"fading\""), 1);
  EXPECT_EQ(matches("anesthesia is applied", "\"anésthesia\""), 1);
}

TEST(cited_tokenizer, keeps_offsets_for_highlighting) {
  sqlite_db db(":memory:", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  register_fts5_extensions(db.get());
  db.exec("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'porter cited'); INSERT INTO t VALUES('Does it HURT much?');");
  statement q(db.get(), "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH 'hurt'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "Does it [HURT] much?");
}
