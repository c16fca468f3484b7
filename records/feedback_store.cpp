#include "feedback_store.hpp"

#include "store.hpp"

namespace cited::records {

void insert_feedback(database& db, const feedback& f) {
  statement insert(db, "INSERT INTO feedback(answer_id, helpful, comment) VALUES (?1, ?2, ?3)");
  insert.bind(1, f.answer_id).bind(2, static_cast<long long>(f.helpful ? 1 : 0)).bind(3, f.comment);
  insert.run();
}

feedback_store::feedback_store(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout)
    : db_(open_for_writing(path)) {
  sqlite3_busy_timeout(db_.get(), static_cast<int>(busy_timeout.count()));
}

feedback_store::~feedback_store() {
  // Best effort: the WAL is already durable; this only folds it back into the main file.
  sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void feedback_store::save(const feedback& f) {
  // An INSERT outside a transaction commits by itself; returning means it is on disk.
  insert_feedback(db_, f);
}

std::vector<stored_feedback> feedback_store::recent(std::size_t limit) const {
  statement q(db_, "SELECT id, received_at, answer_id, helpful, comment FROM feedback ORDER BY id DESC LIMIT ?1");
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
  statement q(db_, "SELECT count(*) FROM feedback");
  return q.step() ? q.integer(0) : 0;
}

}  // namespace cited::records
