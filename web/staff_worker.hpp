#pragma once
// The staff workspace's threads: what staff ask for runs here, never on an I/O thread, since
// it may take long (an Argon2id check is a tenth of a second and 64 MiB; a report reads weeks
// of the log; a draft answers every question of an email). Each thread has its own answer
// engine, its own read-only connection to the records store and its own question grouper.
// Writes still go through the records writer.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "answer_engine.hpp"
#include "live_index.hpp"
#include "question_groups.hpp"
#include "sqlite.hpp"

namespace cited::web {

// What a staff job may use, the calling thread's own.
struct staff_context {
  answer_engine& engine;
  records::database& db;
  const records::question_grouper& grouper;
};

class staff_worker {
 public:
  // Given the thread's context, or null when the thread cannot open the records store. A job
  // must not throw: it answers its request whatever happens.
  using job = std::function<void(staff_context*)>;

  // Starts the threads; thread i answers from index's slot first_slot + i, so each moves to a
  // new index between jobs.
  staff_worker(unsigned threads, std::size_t max_queued, live_index& index, std::size_t first_slot,
               std::filesystem::path records);
  ~staff_worker();
  staff_worker(const staff_worker&) = delete;
  staff_worker& operator=(const staff_worker&) = delete;

  // Queues work; false when the queue is full or the worker has stopped (the caller says 503).
  bool submit(job work);
  // Finishes what is queued, then ends the threads. Idempotent.
  void stop();

 private:
  void run(std::size_t index);

  std::filesystem::path records_;
  std::size_t max_queued_;
  live_index& index_;
  std::size_t first_slot_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cited::web
