#pragma once
// What keeps one client from taking what every patient shares:
//   - per client address, a message rate shared by its HTTP requests and WebSocket messages,
//     and a cap on its open connections (client_table, client_slot);
//   - across all connections, a cap on the bytes held by WebSocket messages still arriving,
//     with the memory given back to the system after a spike (message_budget);
//   - the answers given over HTTP, for a while, so that feedback on them can be accepted once
//     from the client that got them (answer_window).
// All are safe to use from every I/O thread at once.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "client_address.hpp"

namespace cited::web {

using limits_clock = std::chrono::steady_clock;

// A rate with bursts, as a token bucket gives, kept in one atomic (the generic cell rate
// algorithm: the time the next message is due), so that an address's connections on several
// I/O threads share it without a lock.
class shared_rate {
 public:
  // rate <= 0: no limit.
  shared_rate(double rate, double burst);

  bool try_take(limits_clock::time_point now);
  // True when a whole burst is available again: as if it had never been used.
  bool full(limits_clock::time_point now) const;
  // Whole seconds until try_take would succeed (at least 1), for Retry-After.
  long retry_after_seconds(limits_clock::time_point now) const;

 private:
  std::int64_t interval_ns_;   // one message's share of time; 0: unlimited
  std::int64_t tolerance_ns_;  // how far ahead the burst may run
  std::atomic<std::int64_t> due_ns_{INT64_MIN / 2};
};

// One client address's share.
struct client_entry {
  client_entry(double per_second, double burst) : rate(per_second, burst) {}
  shared_rate rate;
  std::atomic<std::size_t> connections{0};
};

// A connection counted against its client's address for as long as it lives; what its
// messages are counted against too. Empty (no limits) when the per-address limits are off.
class client_slot {
 public:
  client_slot() = default;
  client_slot(std::shared_ptr<client_entry> entry, const ip_address& address);
  client_slot(client_slot&& other) noexcept;
  client_slot& operator=(client_slot&& other) noexcept;
  client_slot(const client_slot&) = delete;
  client_slot& operator=(const client_slot&) = delete;
  ~client_slot();

  const ip_address& address() const { return address_; }
  // One message (or request) from this client: false when its address is over its rate.
  bool try_take(limits_clock::time_point now = limits_clock::now()) { return !entry_ || entry_->rate.try_take(now); }
  long retry_after_seconds() const { return entry_ ? entry_->rate.retry_after_seconds(limits_clock::now()) : 1; }

 private:
  void release();
  std::shared_ptr<client_entry> entry_;
  ip_address address_;
};

// Every client address seen lately, bounded: an address with no open connection and a full
// bucket is forgotten (nothing about it would differ if it came back), and past max_entries
// the least recently limited of those with no open connection go too.
class client_table {
 public:
  struct settings {
    double rate = 0;                  // per address, messages a second; 0: off
    double burst = 0;
    std::size_t max_connections = 0;  // per address; 0: off
    std::size_t max_entries = 100'000;
  };
  explicit client_table(const settings& s);

  bool enabled() const { return s_.rate > 0 || s_.max_connections > 0; }
  // A slot for a new connection from address; nullopt when the address has its share open.
  std::optional<client_slot> open(const ip_address& address);
  std::size_t size() const;

 private:
  void sweep(limits_clock::time_point now, std::size_t target);

  settings s_;
  mutable std::mutex mutex_;
  std::unordered_map<address_key, std::shared_ptr<client_entry>, address_key_hash> entries_;
  std::size_t next_sweep_ = 1024;
};

// The bytes held by WebSocket messages not yet finished, across all connections, under one
// cap. A connection reserves what its unfinished message holds before it reads more of it; a
// reservation refused means that message is not kept (it gets too_large) while every other
// connection goes on as before. After a spike, once the bytes held fall back, the freed memory
// is handed back to the system (malloc_trim): the allocator would otherwise keep it.
class message_budget {
 public:
  // cap 0: no cap (still counted).
  explicit message_budget(std::size_t cap);
  bool reserve(std::size_t bytes);
  void release(std::size_t bytes);

  std::size_t held() const { return held_.load(std::memory_order_relaxed); }
  std::size_t peak() const { return peak_.load(std::memory_order_relaxed); }
  std::uint64_t refusals() const { return refusals_.load(std::memory_order_relaxed); }
  std::uint64_t trims() const { return trims_.load(std::memory_order_relaxed); }

 private:
  std::size_t cap_;
  std::atomic<std::size_t> held_{0}, peak_{0};
  std::atomic<bool> spiked_{false};
  std::atomic<std::uint64_t> refusals_{0}, trims_{0};
};

// Answers given over POST /api/ask in the last `window`, each to be rated once, by the client
// (address key) it was given to. At most max_entries are kept; the oldest go first.
class answer_window {
 public:
  answer_window(std::chrono::milliseconds window, std::size_t max_entries);
  void remember(const std::string& answer_id, const address_key& client, limits_clock::time_point now = limits_clock::now());
  // True, and forgotten, when answer_id was given to client within the window.
  bool take(const std::string& answer_id, const address_key& client, limits_clock::time_point now = limits_clock::now());

 private:
  struct given {
    address_key client;
    limits_clock::time_point at;
  };
  void expire(limits_clock::time_point now);

  std::chrono::milliseconds window_;
  std::size_t max_entries_;
  std::mutex mutex_;
  std::unordered_map<std::string, given> given_;
  std::deque<std::pair<limits_clock::time_point, std::string>> order_;
};

}  // namespace cited::web
