#include "writer.hpp"

#include <future>

#include "feedback_store.hpp"
#include "store.hpp"

namespace cited::records {
namespace {

// Enough queued turns to be worth a transaction now rather than at the batch deadline.
constexpr std::size_t eager_batch = 2000;
constexpr long long day_ms = 24LL * 60 * 60 * 1000;

class writer_feedback_sink : public feedback_sink {
 public:
  explicit writer_feedback_sink(writer& w) : writer_(w) {}
  void save(const feedback& f) override {
    if (auto failure = writer_.run([&f](database& db) { insert_feedback(db, f); })) throw records_error(*failure);
  }

 private:
  writer& writer_;
};

}  // namespace

writer::writer(std::filesystem::path path, writer_settings settings)
    : path_(std::move(path)), settings_(settings), db_(open_for_writing(path_)) {
  inserter_ = std::make_unique<turn_inserter>(db_);
  thread_ = std::thread([this] { loop(); });
}

writer::~writer() { stop(); }

void writer::submit(job work, completion done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      jobs_.push_back({std::move(work), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done("the records writer has stopped");
}

std::optional<std::string> writer::run(job work) {
  auto result = std::make_shared<std::promise<std::optional<std::string>>>();
  auto future = result->get_future();
  submit(std::move(work), [result](std::optional<std::string> failure) { result->set_value(std::move(failure)); });
  return future.get();
}

bool writer::log_turn(turn_row row) {
  if (!logging()) return false;
  std::lock_guard lock(mutex_);
  if (stopping_ || turns_.size() >= settings_.max_queued_turns) {
    turns_dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  turns_.push_back(std::move(row));
  // Only a big backlog wakes the writer early; otherwise it comes by at the batch deadline.
  if (turns_.size() == eager_batch) wake_.notify_one();
  return true;
}

long long writer::purge() {
  // Shared with the queued job rather than captured by reference: run() waits for it, but the
  // job outlives this frame's view of it in the queue's type.
  auto deleted = std::make_shared<long long>(0);
  if (auto failure = run([this, deleted](database&) { *deleted = purge_now(); })) throw records_error(*failure);
  return *deleted;
}

std::shared_ptr<feedback_sink> writer::feedback() { return std::make_shared<writer_feedback_sink>(*this); }

void writer::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  inserter_.reset();
  // Best effort: fold the WAL back into the main file.
  sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

void writer::loop() {
  // Once at start: a server that was down for a while deletes what expired meanwhile.
  try {
    purge_now();
  } catch (const std::exception&) {
    next_purge_ = std::chrono::steady_clock::now() + settings_.purge_every;
  }
  std::vector<turn_row> turns;
  std::vector<queued_job> jobs;
  std::unique_lock lock(mutex_);
  for (;;) {
    const auto deadline = std::chrono::steady_clock::now() + settings_.batch_wait;
    wake_.wait_until(lock, deadline, [this] { return stopping_ || !jobs_.empty() || turns_.size() >= eager_batch; });
    // On stop, what is queued is still written: the server said it would flush on the way down.
    if (stopping_ && jobs_.empty() && turns_.empty()) return;
    turns.swap(turns_);
    while (!jobs_.empty()) {
      jobs.push_back(std::move(jobs_.front()));
      jobs_.pop_front();
    }
    lock.unlock();
    if (!turns.empty() || !jobs.empty()) commit_batch(turns, jobs);
    turns.clear();
    jobs.clear();
    if (std::chrono::steady_clock::now() >= next_purge_) {
      try {
        purge_now();
      } catch (const std::exception&) {
        // A purge that failed (the disk is full, a reader held a lock too long) is tried again
        // at the next turn of the clock; nothing waits on it.
      }
    }
    lock.lock();
  }
}

void writer::commit_batch(std::vector<turn_row>& turns, std::vector<queued_job>& jobs) {
  std::vector<std::optional<std::string>> failures(jobs.size());
  std::optional<std::string> batch_failure;
  try {
    // Turns alone are not worth an fsync: nobody was promised them. A batch with a job in it is
    // synced, and takes the turns before it along.
    const bool want_full = !jobs.empty();
    if (want_full != synchronous_full_) {
      db_.exec(want_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      synchronous_full_ = want_full;
    }
    transaction t(db_);
    for (const auto& turn : turns) inserter_->insert(turn);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      // A savepoint each: one job that fails must not take the others' rows with it.
      db_.exec("SAVEPOINT job");
      try {
        jobs[i].work(db_);
        db_.exec("RELEASE job");
      } catch (const std::exception& e) {
        failures[i] = e.what();
        db_.exec("ROLLBACK TO job");
        db_.exec("RELEASE job");
      }
    }
    t.commit();
    turns_logged_.fetch_add(turns.size(), std::memory_order_relaxed);
  } catch (const std::exception& e) {
    batch_failure = e.what();
    turns_dropped_.fetch_add(turns.size(), std::memory_order_relaxed);
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) jobs[i].done(batch_failure ? batch_failure : failures[i]);
}

long long writer::purge_now() {
  next_purge_ = std::chrono::steady_clock::now() + settings_.purge_every;
  const long long now = now_ms();
  return purge_older_than(db_, now - settings_.retain_days * day_ms, now - settings_.session_idle.count());
}

}  // namespace cited::records
