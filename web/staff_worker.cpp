#include "staff_worker.hpp"

#include <optional>

#include "store.hpp"

namespace cited::web {

staff_worker::staff_worker(unsigned threads, std::size_t max_queued, live_index& index, std::size_t first_slot,
                           std::filesystem::path records)
    : records_(std::move(records)), max_queued_(max_queued), index_(index), first_slot_(first_slot) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this, i] { run(i); });
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
  live_index::slot slot(index_, first_slot_ + index);
  std::optional<records::question_grouper> grouper;
  std::uint64_t grouped_for = 0;  // the generation whose lexicon the grouper has
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
      answer_engine& engine = slot.engine();
      if (!grouper || grouped_for != slot.generation()) {
        grouper.reset();
        grouper.emplace(engine.knowledge().words);
        grouped_for = slot.generation();
      }
      context.emplace(staff_context{engine, *db, *grouper});
    } catch (const std::exception&) {
      context.reset();
    }
    next(context ? &*context : nullptr);
    lock.lock();
  }
}

}  // namespace cited::web
