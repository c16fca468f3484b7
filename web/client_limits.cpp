#include "client_limits.hpp"

#include <malloc.h>

#include <algorithm>
#include <vector>

namespace cited::web {
namespace {

std::int64_t ns(limits_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// A spike is this many bytes of unfinished messages at once; the memory is handed back once
// they fall below the second figure.
constexpr std::size_t spike_bytes = 4 * 1024 * 1024;
constexpr std::size_t settled_bytes = 1024 * 1024;

}  // namespace

// --- shared_rate ----------------------------------------------------------------------------

shared_rate::shared_rate(double rate, double burst)
    : interval_ns_(rate > 0 ? static_cast<std::int64_t>(1e9 / rate) : 0),
      tolerance_ns_(rate > 0 ? static_cast<std::int64_t>((std::max(burst, 1.0) - 1) * 1e9 / rate) : 0) {}

bool shared_rate::try_take(limits_clock::time_point now_tp) {
  if (interval_ns_ == 0) return true;
  const std::int64_t now = ns(now_tp);
  std::int64_t due = due_ns_.load(std::memory_order_relaxed);
  for (;;) {
    // The burst lets the schedule run ahead of now by the tolerance; no further.
    const std::int64_t next = std::max(due, now) + interval_ns_;
    if (next - now > tolerance_ns_ + interval_ns_) return false;
    if (due_ns_.compare_exchange_weak(due, next, std::memory_order_relaxed)) return true;
  }
}

bool shared_rate::full(limits_clock::time_point now) const {
  return interval_ns_ == 0 || due_ns_.load(std::memory_order_relaxed) <= ns(now);
}

long shared_rate::retry_after_seconds(limits_clock::time_point now_tp) const {
  if (interval_ns_ == 0) return 1;
  const std::int64_t wait = due_ns_.load(std::memory_order_relaxed) - tolerance_ns_ - ns(now_tp);
  return std::max<long>(1, static_cast<long>((wait + 999'999'999) / 1'000'000'000));
}

// --- client_slot ----------------------------------------------------------------------------

client_slot::client_slot(std::shared_ptr<client_entry> entry, const ip_address& address)
    : entry_(std::move(entry)), address_(address) {}

client_slot::client_slot(client_slot&& other) noexcept : entry_(std::move(other.entry_)), address_(std::move(other.address_)) {}

client_slot& client_slot::operator=(client_slot&& other) noexcept {
  if (this != &other) {
    release();
    entry_ = std::move(other.entry_);
    address_ = other.address_;
  }
  return *this;
}

client_slot::~client_slot() { release(); }

void client_slot::release() {
  if (entry_) entry_->connections.fetch_sub(1, std::memory_order_relaxed);
  entry_.reset();
}

// --- client_table ---------------------------------------------------------------------------

client_table::client_table(const settings& s) : s_(s) {}

std::optional<client_slot> client_table::open(const ip_address& address) {
  if (!enabled()) return client_slot({}, address);
  const address_key key = limit_key(address);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= next_sweep_ || entries_.size() >= s_.max_entries) {
      sweep(limits_clock::now(), s_.max_entries - s_.max_entries / 4);
      next_sweep_ = std::max<std::size_t>(1024, 2 * entries_.size());
    }
    it = entries_.emplace(key, std::make_shared<client_entry>(s_.rate, s_.burst)).first;
  }
  auto& entry = it->second;
  // Counted under the table's lock, so that sweep() never sees a slot half made.
  const std::size_t open = entry->connections.fetch_add(1, std::memory_order_relaxed);
  if (s_.max_connections > 0 && open >= s_.max_connections) {
    entry->connections.fetch_sub(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  return client_slot(entry, address);
}

std::size_t client_table::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void client_table::sweep(limits_clock::time_point now, std::size_t target) {
  // Under mutex_. An entry held only here has no open connection, and no slot can be made for
  // it while we hold the lock.
  std::vector<address_key> idle;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->second.use_count() != 1) {
      ++it;
      continue;
    }
    if (it->second->rate.full(now)) {
      // Its bucket has refilled: forgetting it changes nothing.
      it = entries_.erase(it);
      continue;
    }
    idle.push_back(it->first);
    ++it;
  }
  if (entries_.size() <= target) return;
  // Still too many: the idle ones go, in no particular order, until the table is back under
  // its target. Their buckets start full again if they return, which is the price of a bound.
  for (const auto& key : idle) {
    if (entries_.size() <= target) break;
    entries_.erase(key);
  }
}

// --- message_budget -------------------------------------------------------------------------

message_budget::message_budget(std::size_t cap) : cap_(cap) {}

bool message_budget::reserve(std::size_t bytes) {
  std::size_t held = held_.load(std::memory_order_relaxed);
  for (;;) {
    if (cap_ > 0 && held + bytes > cap_) {
      refusals_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    if (held_.compare_exchange_weak(held, held + bytes, std::memory_order_relaxed)) break;
  }
  const std::size_t now = held + bytes;
  std::size_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  if (now >= spike_bytes) spiked_.store(true, std::memory_order_relaxed);
  return true;
}

void message_budget::release(std::size_t bytes) {
  const std::size_t left = held_.fetch_sub(bytes, std::memory_order_relaxed) - bytes;
  // The spike is over: what the allocator keeps in its free lists goes back to the system.
  // Rare (a spike is megabytes of unfinished messages), and it takes a few milliseconds.
  if (left < settled_bytes && spiked_.load(std::memory_order_relaxed) && spiked_.exchange(false)) {
    ::malloc_trim(0);
    trims_.fetch_add(1, std::memory_order_relaxed);
  }
}

// --- answer_window --------------------------------------------------------------------------

answer_window::answer_window(std::chrono::milliseconds window, std::size_t max_entries)
    : window_(window), max_entries_(max_entries) {}

void answer_window::expire(limits_clock::time_point now) {
  while (!order_.empty() && (order_.front().first + window_ <= now || given_.size() > max_entries_)) {
    const auto it = given_.find(order_.front().second);
    // Taken already, or given again since (a later entry in order_ stands for it).
    if (it != given_.end() && it->second.at == order_.front().first) given_.erase(it);
    order_.pop_front();
  }
}

void answer_window::remember(const std::string& answer_id, const address_key& client, limits_clock::time_point now) {
  if (max_entries_ == 0 || window_.count() <= 0) return;
  std::lock_guard lock(mutex_);
  given_[answer_id] = {client, now};
  order_.emplace_back(now, answer_id);
  expire(now);
}

bool answer_window::take(const std::string& answer_id, const address_key& client, limits_clock::time_point now) {
  std::lock_guard lock(mutex_);
  expire(now);
  const auto it = given_.find(answer_id);
  if (it == given_.end() || !(it->second.client == client)) return false;
  given_.erase(it);
  return true;
}

}  // namespace cited::web
