#pragma once
// cited's FTS5 pieces. register_fts5_extensions() adds, on a connection, the "cited" tokenizer
// (core's ICU text_normaliser, so indexed text and questions fold the same way; wrap it as
// "porter cited" for English stems). register_scorer() adds cited_score(), FTS5's own
// column-weighted BM25 computed from facts the index fixes once (row lengths, phrase
// document counts) rather than looked up again for every query and row.
#include <sqlite3.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace cited {

// Throws index_error when this SQLite has no FTS5.
void register_fts5_extensions(sqlite3* db);

// What cited_score needs to know of the table it scores, fixed for a connection's life.
struct bm25_table {
  std::vector<int> row_length;                // tokens in each row, indexed by rowid
  double average_length = 1;
  std::array<double, 3> column_weight{1, 1, 1};
};

// BM25's length normalisation for a row of length tokens, and one phrase's part of the
// row's score: what cited_score() sums, kept here so that other sums cannot drift from it.
inline double bm25_norm(const bm25_table& table, double length) {
  constexpr double k1 = 1.2, b = 0.75;
  return k1 * (1 - b + b * length / table.average_length);
}
inline double bm25_term(double idf, double frequency, double norm) {
  constexpr double k1 = 1.2;
  return idf * frequency * (k1 + 1) / (frequency + norm);
}

// Adds cited_score(table, columns, idf) to db: for the current row, a 24-byte blob holding the
// row's BM25 score (a double, larger is better; idf holds one double per query phrase, in
// order), then two 64-bit masks: bit i of the first set when phrase i occurs within the
// columns whose bits are set in columns, bit i of the second when it occurs in any column.
// Also adds cited_phrase(table, columns): a 9-byte blob, the first phrase's column-weighted
// frequency in the row (a double) and a byte, 1 when it occurs within columns. table must
// outlive the connection.
void register_scorer(sqlite3* db, const bm25_table* table);

// The tokens text has in an FTS5 table tokenized "porter cited": its stems, in order.
class stemmer {
 public:
  explicit stemmer(sqlite3* db);
  ~stemmer();
  stemmer(const stemmer&) = delete;
  stemmer& operator=(const stemmer&) = delete;
  std::vector<std::string> stems(std::string_view text) const;

 private:
  struct impl;
  impl* impl_;
};

}  // namespace cited
