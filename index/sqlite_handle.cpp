#include "sqlite_handle.hpp"

#include <cstring>

namespace cited {

namespace {

// SQLite keeps global memory statistics behind a mutex on every allocation; nothing here reads
// them. The setting only takes before SQLite initialises, hence once, before the first open.
void configure_sqlite_once() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

sqlite_db::sqlite_db(const std::string& path, int flags) {
  configure_sqlite_once();
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw index_error("cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

sqlite_db::~sqlite_db() { sqlite3_close_v2(db_); }

sqlite_db& sqlite_db::operator=(sqlite_db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

void sqlite_db::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : error();
    sqlite3_free(message);
    throw index_error(text);
  }
}

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
    throw index_error(sqlite3_errmsg(db));
}

statement& statement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind(int i, long long value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw index_error(sqlite3_errmsg(db_));
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

statement& statement::bind_blob(int i, const void* data, std::size_t size) {
  sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_TRANSIENT);
  return *this;
}

std::tuple<double, std::uint64_t, std::uint64_t> statement::score(int col) const {
  double score = 0;
  std::uint64_t in_columns = 0, anywhere = 0;
  if (sqlite3_column_bytes(stmt_, col) == 24) {
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    std::memcpy(&score, blob, 8);
    std::memcpy(&in_columns, blob + 8, 8);
    std::memcpy(&anywhere, blob + 16, 8);
  }
  return {score, in_columns, anywhere};
}

std::pair<double, bool> statement::phrase_hit(int col) const {
  double frequency = 0;
  bool in_columns = false;
  if (sqlite3_column_bytes(stmt_, col) == 9) {
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
    std::memcpy(&frequency, blob, 8);
    in_columns = blob[8] != 0;
  }
  return {frequency, in_columns};
}

std::string statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

}  // namespace cited
