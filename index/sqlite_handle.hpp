#pragma once
// Thin ownership for SQLite handles: a connection and a prepared statement that finalize
// themselves, and an error type that carries SQLite's message for logs (never for patients).
#include <sqlite3.h>

#include "index_error.hpp"
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <string_view>

namespace cited {

class sqlite_db {
 public:
  sqlite_db() = default;
  sqlite_db(const std::string& path, int flags);
  ~sqlite_db();
  sqlite_db(sqlite_db&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  sqlite_db& operator=(sqlite_db&& other) noexcept;
  sqlite_db(const sqlite_db&) = delete;
  sqlite_db& operator=(const sqlite_db&) = delete;

  sqlite3* get() const { return db_; }
  void exec(const char* sql);
  std::string error() const { return db_ ? sqlite3_errmsg(db_) : "no database"; }

 private:
  sqlite3* db_ = nullptr;
};

class statement {
 public:
  statement(sqlite3* db, std::string_view sql);
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::string_view text);
  statement& bind(int i, long long value);
  // True while a row is available; throws index_error on failure.
  bool step();
  void reset();
  std::string text(int col) const;
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  statement& bind_blob(int i, const void* data, std::size_t size);
  // A cited_score() column: the score and its two phrase masks; zeros when it holds anything else.
  std::tuple<double, std::uint64_t, std::uint64_t> score(int col) const;
  // A cited_phrase() column: the phrase's weighted frequency and whether it is in the columns
  // asked for; zeros when it holds anything else.
  std::pair<double, bool> phrase_hit(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_;
};

}  // namespace cited
