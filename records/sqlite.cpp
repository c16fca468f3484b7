#include "sqlite.hpp"

namespace cited::records {

database::database(const std::string& path, int flags) {
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw records_error("cannot open " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
}

database::~database() { sqlite3_close_v2(db_); }

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    other.db_ = nullptr;
  }
  return *this;
}

void database::exec(const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : sqlite3_errmsg(db_);
    sqlite3_free(message);
    throw records_error(text);
  }
}

statement::statement(const database& db, std::string_view sql) : db_(db.get()) {
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) !=
      SQLITE_OK)
    throw records_error(sqlite3_errmsg(db_));
}

statement& statement::bind(int i, std::string_view text) {
  sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind(int i, long long value) {
  sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

statement& statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

statement& statement::bind_blob(int i, const void* data, std::size_t size) {
  sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_TRANSIENT);
  return *this;
}

statement& statement::bind_optional(int i, const std::optional<std::string>& text) {
  return text ? bind(i, std::string_view(*text)) : bind_null(i);
}

bool statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string message = sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  throw records_error(message);
}

void statement::run() {
  while (step()) {
  }
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
}

std::optional<std::string> statement::optional_text(int col) const {
  if (is_null(col)) return std::nullopt;
  return text(col);
}

transaction::transaction(database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

transaction::~transaction() {
  if (done_) return;
  char* ignored = nullptr;
  sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, &ignored);
  sqlite3_free(ignored);
}

void transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace cited::records
