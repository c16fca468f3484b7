#include "feedback_writer.hpp"

#include <exception>
#include <stdexcept>

namespace cited::web {

feedback_writer::feedback_writer(std::shared_ptr<feedback_sink> sink) : sink_(std::move(sink)) {
  thread_ = std::thread([this] { run(); });
}

feedback_writer::~feedback_writer() { stop(); }

void feedback_writer::submit(feedback f, completion done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(f), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done("the feedback writer has stopped");
}

void feedback_writer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void feedback_writer::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    // On stop, what is queued is still stored: a patient was promised nothing yet, but the
    // server said it would flush feedback on the way down.
    if (queue_.empty()) return;
    item next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    std::optional<std::string> failure;
    try {
      if (!sink_) throw std::runtime_error("no feedback store is configured");
      sink_->save(next.what);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    next.done(std::move(failure));
    lock.lock();
  }
}

}  // namespace cited::web
