#include "live_index.hpp"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <stdexcept>
#include <utility>

namespace cited::web {

std::string file_identity(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

live_index::live_index(index_loader load, std::size_t slots, std::filesystem::path file)
    : load_(std::move(load)), slots_(slots), file_(std::move(file)) {
  if (!load_ || slots_ == 0) throw std::invalid_argument("live_index needs a loader and a slot");
  current_ = load_generation(1);
  generation_.store(1, std::memory_order_release);
  thread_ = std::thread([this] { run(); });
}

live_index::~live_index() { stop(); }

std::shared_ptr<live_index::loaded> live_index::load_generation(std::uint64_t number) {
  // Loaded on a thread of its own at a lower priority (nice +10): on a machine with as many
  // cores as I/O threads, a load at full priority takes their CPU, and the answers in flight
  // wait. A thread's nice value can be raised but not lowered again without privilege, so the
  // calling thread (a staff thread, the signal thread) keeps its own.
  index_load fresh;
  std::exception_ptr failed;
  std::thread loader([&] {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
    try {
      fresh = load_(slots_);
    } catch (...) {
      failed = std::current_exception();
    }
  });
  loader.join();
  if (failed) std::rethrow_exception(failed);
  if (fresh.engines.size() != slots_ || !fresh.engines.front())
    throw std::logic_error("the index loader made " + std::to_string(fresh.engines.size()) + " engines for " +
                           std::to_string(slots_) + " slots");
  if (!fresh.knowledge) throw std::logic_error("the index loader gave no knowledge base");
  auto out = std::make_shared<loaded>();
  out->number = number;
  out->identity = std::move(fresh.identity);
  out->knowledge = std::move(fresh.knowledge);
  out->engines = std::move(fresh.engines);
  return out;
}

std::shared_ptr<live_index::loaded> live_index::current() const {
  std::lock_guard lock(current_mutex_);
  return current_;
}

std::shared_ptr<const knowledge_base> live_index::knowledge() const { return current()->knowledge; }

void live_index::log(const nlohmann::json& event) const {
  if (log_) log_(event);
}

std::uint64_t live_index::reload(std::string_view why) {
  std::lock_guard lock(reload_mutex_);
  const auto started = std::chrono::steady_clock::now();
  const std::uint64_t number = generation() + 1;
  std::shared_ptr<loaded> fresh;
  try {
    fresh = load_generation(number);
  } catch (const std::exception& e) {
    failed_identity_ = file_identity(file_);
    log({{"event", "error"}, {"where", "index reload"}, {"why", why}, {"what", e.what()}});
    throw;
  }
  failed_identity_.clear();
  std::shared_ptr<loaded> old;
  {
    std::lock_guard swap(current_mutex_);
    old = std::move(current_);
    current_ = fresh;
  }
  generation_.store(number, std::memory_order_release);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log({{"event", "index_reloaded"}, {"why", why}, {"generation", number}, {"facts", fresh->knowledge->facts.size()},
       {"sources", fresh->knowledge->sources.size()}, {"load_ms", ms}});
  // old (and any engine no slot took from it) goes here, on the reloading thread.
  return number;
}

bool live_index::reload_if_changed() {
  if (file_.empty()) return false;
  const std::string now = file_identity(file_);
  if (now.empty()) return false;  // mid-rename, or removed: keep serving what we have
  {
    std::lock_guard lock(reload_mutex_);
    if (now == current()->identity || now == failed_identity_) return false;
  }
  try {
    reload("the index file changed");
  } catch (const std::exception&) {
    return false;  // logged; the next change is tried again
  }
  return true;
}

void live_index::watch(std::chrono::milliseconds every, std::function<void(const nlohmann::json&)> log) {
  log_ = std::move(log);
  {
    std::lock_guard lock(thread_mutex_);
    check_every_ = file_.empty() ? std::chrono::milliseconds(0) : every;
  }
  thread_wake_.notify_all();
}

void live_index::retire(std::unique_ptr<answer_engine> engine) {
  {
    std::lock_guard lock(thread_mutex_);
    retired_.push_back(std::move(engine));
  }
  thread_wake_.notify_all();
}

void live_index::run() {
  // Releasing engines and checking a file never hurry: leave the CPU to the I/O threads.
  ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
  auto next_check = std::chrono::steady_clock::now();
  std::unique_lock lock(thread_mutex_);
  for (;;) {
    auto woken = [this] { return stopping_ || !retired_.empty(); };
    if (check_every_.count() > 0) {
      if (next_check <= std::chrono::steady_clock::now()) next_check = std::chrono::steady_clock::now() + check_every_;
      thread_wake_.wait_until(lock, next_check, woken);
    } else {
      thread_wake_.wait(lock, [&] { return woken() || check_every_.count() > 0; });
    }
    std::vector<std::unique_ptr<answer_engine>> releasing;
    releasing.swap(retired_);
    const bool stop_now = stopping_;
    const bool check = check_every_.count() > 0 && std::chrono::steady_clock::now() >= next_check;
    lock.unlock();
    releasing.clear();
    if (stop_now) return;
    if (check) reload_if_changed();
    lock.lock();
  }
}

void live_index::stop() {
  {
    std::lock_guard lock(thread_mutex_);
    stopping_ = true;
  }
  thread_wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

live_index::slot::slot(live_index& live, std::size_t index) : live_(&live), index_(index) {
  if (index >= live.slots_) throw std::out_of_range("no such index slot");
}

answer_engine& live_index::slot::engine() {
  if (engine_ && live_->generation() == generation_) return *engine_;
  const auto newest = live_->current();
  // Each slot's engine is taken by its own thread only, so taking it needs no lock. A generation
  // this slot skipped (two reloads between its answers) goes with its unused engine.
  if (auto& taken = newest->engines[index_]) {
    std::unique_ptr<answer_engine> old = std::exchange(engine_, std::move(taken));
    if (old) live_->retire(std::move(old));
  }
  generation_ = newest->number;
  return *engine_;
}

}  // namespace cited::web
