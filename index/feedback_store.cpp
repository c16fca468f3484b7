#include "feedback_store.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace cited {
namespace {

constexpr int schema_version = 1;

// The store holds what patients wrote: a new one is made readable by its owner only. SQLite
// gives its -wal and -shm files the same mode as the database's.
std::string private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // when it cannot be made, SQLite's open says why
  return path.string();
}

}  // namespace

feedback_store::feedback_store(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout)
    : db_(private_file(path), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX) {
  // A reader (a staff report) must not make a save fail at once.
  sqlite3_busy_timeout(db_.get(), static_cast<int>(busy_timeout.count()));
  db_.exec("PRAGMA journal_mode=WAL");
  // FULL: the WAL is synced at every commit, so what we acknowledge survives power loss too.
  db_.exec("PRAGMA synchronous=FULL");
  int version = 0;
  {
    statement v(db_.get(), "PRAGMA user_version");
    if (v.step()) version = static_cast<int>(v.integer(0));
  }
  if (version > schema_version)
    throw index_error(path.string() + " is a feedback store of a newer version (" + std::to_string(version) + ")");
  if (version == 0) {
    // A file with other tables in it is not ours: refuse rather than write into it.
    statement tables(db_.get(), "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name<>'feedback'");
    if (tables.step() && tables.integer(0) > 0) throw index_error(path.string() + " is not a feedback store");
    db_.exec(
        "CREATE TABLE IF NOT EXISTS feedback ("
        "  id INTEGER PRIMARY KEY,"
        "  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
        "  answer_id TEXT NOT NULL,"
        "  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),"
        "  comment TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX IF NOT EXISTS feedback_by_answer ON feedback(answer_id);"
        "PRAGMA user_version=1;");
  }
  insert_ = std::make_unique<statement>(db_.get(), "INSERT INTO feedback(answer_id, helpful, comment) VALUES (?1, ?2, ?3)");
}

feedback_store::~feedback_store() {
  insert_.reset();
  // Best effort: the WAL is already durable; this only folds it back into the main file.
  sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void feedback_store::save(const feedback& f) {
  insert_->reset();
  insert_->bind(1, f.answer_id).bind(2, static_cast<long long>(f.helpful ? 1 : 0)).bind(3, f.comment);
  // An INSERT outside a transaction commits by itself; step() returning means it is on disk.
  insert_->step();
  insert_->reset();
}

std::vector<stored_feedback> feedback_store::recent(std::size_t limit) const {
  statement q(db_.get(), "SELECT id, received_at, answer_id, helpful, comment FROM feedback ORDER BY id DESC LIMIT ?1");
  q.bind(1, static_cast<long long>(limit));
  std::vector<stored_feedback> out;
  while (q.step()) {
    stored_feedback row;
    row.row = q.integer(0);
    row.received_at = q.text(1);
    row.what.answer_id = q.text(2);
    row.what.helpful = q.integer(3) != 0;
    row.what.comment = q.text(4);
    out.push_back(std::move(row));
  }
  return out;
}

long long feedback_store::count() const {
  statement q(db_.get(), "SELECT count(*) FROM feedback");
  return q.step() ? q.integer(0) : 0;
}

}  // namespace cited
