#include "staff_worker.hpp"

#include <optional>

#include "store.hpp"

namespace cited::web {

staff_worker::staff_worker(unsigned threads, std::size_t max_queued,
                           const std::function<std::unique_ptr<answer_engine>()>& make_engine, std::filesystem::path records)
    : records_(std::move(records)), max_queued_(max_queued) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) engines_.push_back(make_engine());
  for (std::size_t i = 0; i < engines_.size(); ++i) threads_.emplace_back([this, i] { run(i); });
}

staff_worker::~staff_worker() { stop(); }

bool staff_worker::submit(job work) {
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() >= max_queued_) return false;
  queue_.push_back(std::move(work));
  wake_.notify_one();
  return true;
}

void staff_worker::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void staff_worker::run(std::size_t index) {
  // Opened on first use: the writer has made the store by then.
  std::optional<records::database> db;
  std::optional<records::question_grouper> grouper;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;
    job next = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // A thread that cannot open the store hands its jobs no context, and they answer 500.
    std::optional<staff_context> context;
    try {
      if (!db) db.emplace(records::open_for_reading(records_));
      if (!grouper) grouper.emplace(engines_[index]->knowledge().words);
      context.emplace(staff_context{*engines_[index], *db, *grouper});
    } catch (const std::exception&) {
      context.reset();
    }
    next(context ? &*context : nullptr);
    lock.lock();
  }
}

}  // namespace cited::web
