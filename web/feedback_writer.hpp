#pragma once
// The one writer of feedback: a thread of its own that hands each item to the feedback_sink
// (an SQLite commit with fsync takes milliseconds, far too long for an I/O thread) and reports
// back when the item is durably stored or could not be.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "feedback.hpp"

namespace cited::web {

class feedback_writer {
 public:
  // Called on the writer thread once the item is stored (nullopt) or failed (why, for logs).
  using completion = std::function<void(std::optional<std::string> failure)>;

  // sink may be null: then every item fails, and the server says so instead of pretending.
  explicit feedback_writer(std::shared_ptr<feedback_sink> sink);
  ~feedback_writer();
  feedback_writer(const feedback_writer&) = delete;
  feedback_writer& operator=(const feedback_writer&) = delete;

  // Queues f. After stop(), done is called at once with a failure.
  void submit(feedback f, completion done);
  // Stores everything already queued, then ends the thread. Idempotent.
  void stop();

 private:
  struct item {
    feedback what;
    completion done;
  };
  void run();

  std::shared_ptr<feedback_sink> sink_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cited::web
