#pragma once
// Opens a built index: the knowledge base and vocabulary it holds, and FTS5 retrievers over it.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "fts5_extension.hpp"
#include "index_error.hpp"
#include "knowledge.hpp"
#include "retriever.hpp"
#include "vocabulary.hpp"

namespace cited {

struct index_info {
  int schema_version = 0;
  long long built_at = 0;  // seconds since the epoch
  long long facts = 0;
  long long sources = 0;
};

// What the index file says of itself. Throws index_error with a plain message when the file
// is missing, is not a cited index (corrupt, truncated), or has another schema version.
index_info read_index_info(const std::filesystem::path& path);

struct loaded_index {
  std::shared_ptr<const knowledge_base> knowledge;
  std::shared_ptr<const vocabulary> words;
};

// Reads the whole knowledge base back, so serving needs nothing but the index file.
loaded_index load_index(const std::filesystem::path& path);

// The row lengths and column weights cited_score() scores fact_search with, read from db.
bm25_table load_bm25_table(sqlite3* db, const stemmer& stems);

struct retriever_options {
  // Keep each phrase's rows once FTS5 has found them, and score questions from those: the
  // same hits and scores as one FTS5 query per question, at a fraction of the cost.
  bool cache_phrase_rows = true;
};

// A retriever with its own read-only connection: create one per thread.
std::unique_ptr<retriever> open_retriever(const std::filesystem::path& path, const retriever_options& options = {});

// An FTS5 MATCH expression for term groups: every term a quoted phrase (so "NEAR(", "*", ":"
// and quotes in a question are only ever text), all joined by OR; at most 64 phrases. Terms
// searchable() turns down are left out.
struct fts_query {
  std::string expression;                 // empty when there is nothing to search for
  std::vector<std::size_t> phrase_group;  // the group of phrase i
  std::vector<std::string> phrase_text;   // the term of phrase i
};
fts_query make_fts_query(const std::vector<term_group>& groups,
                          const std::function<bool(std::size_t group, const std::string& term)>& searchable = {});

}  // namespace cited
