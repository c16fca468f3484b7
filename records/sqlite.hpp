#pragma once
// Thin ownership for the records store's SQLite handles: a connection and a prepared statement
// that finalize themselves, and records_error, which carries SQLite's message for logs (never
// for patients). The index has its own (index/sqlite_handle.hpp): the two stores share nothing.
#include <sqlite3.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace cited::records {

class records_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class database {
 public:
  database() = default;
  // Opens path with SQLite's flags; throws records_error when it cannot.
  database(const std::string& path, int flags);
  ~database();
  database(database&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const char* sql);
  long long changes() const { return sqlite3_changes64(db_); }
  long long last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

 private:
  sqlite3* db_ = nullptr;
};

class statement {
 public:
  statement(const database& db, std::string_view sql);
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::string_view text);
  statement& bind(int i, long long value);
  statement& bind_null(int i);
  statement& bind_blob(int i, const void* data, std::size_t size);
  // Binds text, or NULL when there is none.
  statement& bind_optional(int i, const std::optional<std::string>& text);
  // True while a row is available; throws records_error on failure.
  bool step();
  // Steps to the end, for statements that return nothing.
  void run();
  void reset();
  std::string text(int col) const;
  std::optional<std::string> optional_text(int col) const;
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when it goes out of scope uncommitted.
class transaction {
 public:
  explicit transaction(database& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  void commit();

 private:
  database& db_;
  bool done_ = false;
};

}  // namespace cited::records
