#pragma once
// Patients' feedback in an SQLite file of its own (not the index, which is rebuilt at will):
// WAL mode with synchronous=FULL, so a row is on disk before save() returns and an
// acknowledged "feedback_saved" survives a crash or kill -9.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "feedback.hpp"
#include "sqlite_handle.hpp"

namespace cited {

struct stored_feedback {
  long long row = 0;
  std::string received_at;  // UTC, ISO 8601
  feedback what;
};

class feedback_store : public feedback_sink {
 public:
  // Opens or creates the store at path. A save waits up to busy_timeout for a reader holding a
  // lock (a staff report). Throws index_error when it cannot (unwritable, not a feedback
  // store, a newer schema).
  explicit feedback_store(const std::filesystem::path& path,
                          std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));
  // Checkpoints the WAL into the main file, so the store is one self-contained file again.
  ~feedback_store() override;

  // One writer: call save from one thread at a time. Throws index_error when the row cannot be
  // committed (disk full, read-only file).
  void save(const feedback& f) override;

  // The newest rows first, for staff tools and tests.
  std::vector<stored_feedback> recent(std::size_t limit) const;
  long long count() const;

 private:
  sqlite_db db_;
  std::unique_ptr<statement> insert_;
};

}  // namespace cited
