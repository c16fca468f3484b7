#pragma once
// The records store's one writer: a thread of its own with the store's one read-write
// connection. Everything the server writes goes through it, so an I/O thread never waits for
// the disk and writes never contend with one another:
//   - jobs (a hand-off, feedback, a session, a status change): committed with fsync before their
//     completion runs, so "handoff_saved" or "feedback_saved" promises a row on disk;
//   - conversation-log turns: queued (bounded; past the bound a turn is dropped and counted),
//     written in batches without an fsync of their own (WAL, synchronous=NORMAL), at most
//     batch_wait after they were queued. Whatever is queued together goes in one transaction.
// Old rows are purged every purge_every, and once at start.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "conversation_log.hpp"
#include "feedback.hpp"
#include "sqlite.hpp"

namespace cited::records {

struct writer_settings {
  int retain_days = 90;                          // the log (and feedback, finished hand-offs) kept this long; 0: no log
  std::chrono::milliseconds session_idle = std::chrono::hours(12);  // idle sessions older than this are deleted
  std::size_t max_queued_turns = 50'000;         // turns waiting for the disk; past this they are dropped
  std::chrono::milliseconds batch_wait{200};     // how long a turn may wait to be batched with others
  std::chrono::milliseconds purge_every = std::chrono::hours(1);
};

class writer {
 public:
  using job = std::function<void(database&)>;
  // Called on the writer thread once the job is committed (nullopt) or failed (why, for logs).
  using completion = std::function<void(std::optional<std::string> failure)>;

  // Opens (or creates, or upgrades) the store and starts the thread; throws records_error.
  writer(std::filesystem::path path, writer_settings settings);
  ~writer();
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  // Queues work. After stop(), done is called at once with a failure.
  void submit(job work, completion done);
  // Runs work through the queue and waits for its commit; the failure, or nullopt. Never call
  // it on the writer thread (from a job or a completion).
  std::optional<std::string> run(job work);
  // Queues a turn for the log; false when the log is off or the queue is full (then it is dropped).
  bool log_turn(turn_row row);
  // Purges old rows now and waits; the number deleted (for tests and tools).
  long long purge();

  // Writes everything queued, then ends the thread. Idempotent.
  void stop();

  bool logging() const { return settings_.retain_days > 0; }
  const std::filesystem::path& path() const { return path_; }
  std::uint64_t turns_logged() const { return turns_logged_.load(std::memory_order_relaxed); }
  std::uint64_t turns_dropped() const { return turns_dropped_.load(std::memory_order_relaxed); }

  // A feedback_sink that saves through this writer (waiting for the commit).
  std::shared_ptr<feedback_sink> feedback();

 private:
  struct queued_job {
    job work;
    completion done;
  };
  void loop();
  void commit_batch(std::vector<turn_row>& turns, std::vector<queued_job>& jobs);
  long long purge_now();

  std::filesystem::path path_;
  writer_settings settings_;
  database db_;
  std::unique_ptr<turn_inserter> inserter_;
  bool synchronous_full_ = true;
  std::chrono::steady_clock::time_point next_purge_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<turn_row> turns_;
  std::deque<queued_job> jobs_;
  bool stopping_ = false;
  std::atomic<std::uint64_t> turns_logged_{0}, turns_dropped_{0};
  std::thread thread_;
};

}  // namespace cited::records
