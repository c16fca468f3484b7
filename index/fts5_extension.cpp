#include "fts5_extension.hpp"

#include <sqlite3.h>

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

// cited_matched(table [, columns]): bit i set when phrase i occurs in the row, within the
// columns whose bits are set in the optional mask (default: all).
void matched_phrases(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* result, int argc,
                     sqlite3_value** argv) {
  const sqlite3_int64 columns = argc > 0 ? sqlite3_value_int64(argv[0]) : -1;
  std::uint64_t mask = 0;
  const int phrases = api->xPhraseCount(fts);
  for (int i = 0; i < phrases && i < 64; ++i) {
    Fts5PhraseIter iter;
    int column = -1, offset = -1;
    for (api->xPhraseFirst(fts, i, &iter, &column, &offset); column >= 0; api->xPhraseNext(fts, &iter, &column, &offset)) {
      if (column < 63 && (columns & (sqlite3_int64{1} << column))) {
        mask |= std::uint64_t{1} << i;
        break;
      }
    }
  }
  sqlite3_result_int64(result, static_cast<sqlite3_int64>(mask));
}

}  // namespace

void register_fts5_extensions(sqlite3* db) {
  fts5_api* api = fts5_api_of(db);
  if (!api || api->iVersion < 2) throw index_error("this SQLite has no FTS5");
  fts5_tokenizer tokenizer{create_tokenizer, delete_tokenizer, tokenize};
  if (api->xCreateTokenizer(api, "cited", nullptr, &tokenizer, nullptr) != SQLITE_OK ||
      api->xCreateFunction(api, "cited_matched", nullptr, matched_phrases, nullptr) != SQLITE_OK)
    throw index_error("cannot register cited's FTS5 tokenizer");
}

}  // namespace cited
