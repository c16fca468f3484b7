#pragma once
// Registers cited's FTS5 pieces on a connection: the "cited" tokenizer (core's ICU
// text_normaliser, so indexed text and questions fold the same way; wrap it as
// "porter cited" for English stems) and the auxiliary function cited_matched(table, columns),
// which returns a bit mask of the query phrases that occur in the current row within the
// columns named by the bit mask columns.
#include <sqlite3.h>

namespace cited {

// Throws index_error when this SQLite has no FTS5.
void register_fts5_extensions(sqlite3* db);

}  // namespace cited
