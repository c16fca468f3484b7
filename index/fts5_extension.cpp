#include "fts5_extension.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include "sqlite_handle.hpp"
#include "text_normaliser.hpp"

namespace cited {
namespace {

fts5_api* fts5_api_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, reinterpret_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

struct cited_tokenizer {
  text_normaliser normaliser;
};

int create_tokenizer(void*, const char**, int, Fts5Tokenizer** out) {
  try {
    *out = reinterpret_cast<Fts5Tokenizer*>(new cited_tokenizer);
    return SQLITE_OK;
  } catch (...) {
    return SQLITE_ERROR;
  }
}

void delete_tokenizer(Fts5Tokenizer* t) { delete reinterpret_cast<cited_tokenizer*>(t); }

int tokenize(Fts5Tokenizer* t, void* ctx, int, const char* text, int length,
             int (*emit)(void*, int, const char*, int, int, int)) {
  try {
    auto* self = reinterpret_cast<cited_tokenizer*>(t);
    for (const auto& w : self->normaliser.words({text, static_cast<std::size_t>(length)})) {
      const int rc = emit(ctx, 0, w.text.data(), static_cast<int>(w.text.size()), static_cast<int>(w.begin),
                          static_cast<int>(w.end));
      if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
  } catch (...) {
    return SQLITE_NOMEM;
  }
}

// Each phrase's weighted term frequency in the current row, and the phrases found in the
// columns whose bits are set in columns (in_columns) or in any column (anywhere).
struct phrase_counts {
  double frequency[64] = {};
  std::uint64_t in_columns = 0, anywhere = 0;
  int phrases = 0;
};

phrase_counts count_phrases(const Fts5ExtensionApi* api, Fts5Context* fts, const bm25_table& table, sqlite3_int64 columns) {
  phrase_counts counts;
  // Walking each phrase's own hits is cheaper than xInst(), which sorts every hit of the row.
  counts.phrases = std::min(api->xPhraseCount(fts), 64);
  for (int phrase = 0; phrase < counts.phrases; ++phrase) {
    Fts5PhraseIter iter;
    int column = -1, offset = -1;
    const std::uint64_t bit = std::uint64_t{1} << phrase;
    for (api->xPhraseFirst(fts, phrase, &iter, &column, &offset); column >= 0; api->xPhraseNext(fts, &iter, &column, &offset)) {
      counts.anywhere |= bit;
      if (column < 63 && (columns & (sqlite3_int64{1} << column))) counts.in_columns |= bit;
      if (column < static_cast<int>(table.column_weight.size())) counts.frequency[phrase] += table.column_weight[static_cast<std::size_t>(column)];
    }
  }
  return counts;
}

double row_norm(const bm25_table& table, sqlite3_int64 rowid) {
  const double length = rowid >= 0 && rowid < static_cast<sqlite3_int64>(table.row_length.size())
                            ? table.row_length[static_cast<std::size_t>(rowid)]
                            : table.average_length;
  return bm25_norm(table, length);
}

// BM25 as FTS5's bm25() computes it (k1 = 1.2, b = 0.75, per-column weights on term
// frequency, the whole row's length), from what the index fixes once instead of asking again.
void score_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc, sqlite3_value** argv) {
  const auto* table = static_cast<const bm25_table*>(api->xUserData(fts));
  const sqlite3_int64 columns = argc > 0 ? sqlite3_value_int64(argv[0]) : -1;
  const auto* idf = argc > 1 ? static_cast<const double*>(sqlite3_value_blob(argv[1])) : nullptr;
  const int idf_count = argc > 1 ? sqlite3_value_bytes(argv[1]) / static_cast<int>(sizeof(double)) : 0;

  const phrase_counts counts = count_phrases(api, fts, *table, columns);
  const double norm = row_norm(*table, api->xRowid(fts));
  double score = 0;
  for (int p = 0; p < idf_count && p < 64; ++p)
    if (counts.frequency[p] > 0) score += bm25_term(idf[p], counts.frequency[p], norm);

  unsigned char blob[24];
  std::memcpy(blob, &score, 8);
  std::memcpy(blob + 8, &counts.in_columns, 8);
  std::memcpy(blob + 16, &counts.anywhere, 8);
  sqlite3_result_blob(result, blob, sizeof blob, SQLITE_TRANSIENT);
}

// The first phrase's weighted frequency in the row, and whether it occurs in columns.
void phrase_in_row(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc, sqlite3_value** argv) {
  const auto* table = static_cast<const bm25_table*>(api->xUserData(fts));
  const sqlite3_int64 columns = argc > 0 ? sqlite3_value_int64(argv[0]) : -1;
  const phrase_counts counts = count_phrases(api, fts, *table, columns);
  unsigned char blob[9];
  std::memcpy(blob, &counts.frequency[0], 8);
  blob[8] = (counts.in_columns & 1) ? 1 : 0;
  sqlite3_result_blob(result, blob, sizeof blob, SQLITE_TRANSIENT);
}

}  // namespace

void register_fts5_extensions(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (!api || api->iVersion < 2) throw index_error("this SQLite has no FTS5");
  fts5_tokenizer tokenizer{create_tokenizer, delete_tokenizer, tokenize};
  if (api->xCreateTokenizer(api, "cited", nullptr, &tokenizer, nullptr) != SQLITE_OK)
    throw index_error("cannot register cited's FTS5 tokenizer");
}

void register_scorer(sqlite3* db, const bm25_table* table) {
  fts5_api* api = fts5_api_of(db);
  auto* data = const_cast<bm25_table*>(table);
  if (!api || api->xCreateFunction(api, "cited_score", data, score_row, nullptr) != SQLITE_OK ||
      api->xCreateFunction(api, "cited_phrase", data, phrase_in_row, nullptr) != SQLITE_OK)
    throw index_error("cannot register cited's FTS5 scorer");
}

struct stemmer::impl {
  fts5_tokenizer api{};
  Fts5Tokenizer* tokenizer = nullptr;
};

stemmer::stemmer(sqlite3* db) : impl_(new impl) {
  fts5_api* api = fts5_api_of(db);
  void* porter_data = nullptr;
  const char* args[] = {"cited"};
  if (!api || api->xFindTokenizer(api, "porter", &porter_data, &impl_->api) != SQLITE_OK ||
      impl_->api.xCreate(porter_data, args, 1, &impl_->tokenizer) != SQLITE_OK) {
    delete impl_;
    throw index_error("cannot create the porter tokenizer");
  }
}

stemmer::~stemmer() {
  impl_->api.xDelete(impl_->tokenizer);
  delete impl_;
}

std::vector<std::string> stemmer::stems(std::string_view text) const {
  std::vector<std::string> out;
  auto collect = [](void* ctx, int, const char* token, int length, int, int) {
    static_cast<std::vector<std::string>*>(ctx)->emplace_back(token, static_cast<std::size_t>(length));
    return SQLITE_OK;
  };
  impl_->api.xTokenize(impl_->tokenizer, &out, FTS5_TOKENIZE_QUERY, text.data(), static_cast<int>(text.size()), collect);
  return out;
}

}  // namespace cited
