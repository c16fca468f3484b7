#pragma once
// Patients' feedback in the records store (records/store.hpp), on a connection of its own: a
// row is on disk before save() returns, so an acknowledged "feedback_saved" survives a crash or
// kill -9. The server saves through the records writer instead (records/writer.hpp); this one
// serves tools and tests, and servers given a store of their own.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "feedback.hpp"
#include "sqlite.hpp"

namespace cited::records {

struct stored_feedback {
  long long row = 0;
  std::string received_at;  // UTC, ISO 8601
  feedback what;
};

// The INSERT both savers use.
void insert_feedback(database& db, const feedback& f);

class feedback_store : public feedback_sink {
 public:
  // Opens or creates the store at path (upgrading a feedback store of version 1). Throws
  // records_error when it cannot (unwritable, not a records store, a newer schema).
  // A save waits up to busy_timeout for another connection's lock.
  explicit feedback_store(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));
  // Checkpoints the WAL into the main file, so the store is one self-contained file again.
  ~feedback_store() override;

  // One writer: call save from one thread at a time. Throws records_error when the row cannot
  // be committed (disk full, read-only file).
  void save(const feedback& f) override;

  // The newest rows first, for staff tools and tests.
  std::vector<stored_feedback> recent(std::size_t limit) const;
  long long count() const;

 private:
  database db_;
};

}  // namespace cited::records
