#pragma once
// The server's counters, rendered in the Prometheus text format for GET /metrics. The hot
// paths (answers, connections) are lock-free; HTTP requests by route and status take a mutex.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "answer.hpp"
#include "protocol.hpp"

namespace cited::web {

enum class connection_kind { http, websocket };

// What the counters of metrics do not hold but /metrics shows beside them.
struct metrics_gauges {
  std::size_t buffered_message_bytes = 0;  // held by WebSocket messages still arriving
  std::size_t buffered_message_peak = 0;
  std::uint64_t buffer_refusals = 0;       // messages not kept: the budget had no room
  std::uint64_t memory_trims = 0;          // times freed memory was handed back after a spike
  std::uint64_t log_lines_dropped = 0;     // access log lines that could not be written
  std::size_t client_addresses = 0;        // in the per-address table
};

class metrics {
 public:
  // Upper bounds of the answer-latency histogram, in seconds: answers take tens to hundreds
  // of microseconds, so the buckets are finest there.
  static constexpr std::array<double, 13> latency_buckets = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                             0.01,    0.025,  0.05,    0.1,   0.25,   1.0};

  // route is the route's pattern ("/api/sources/{id}"), never the raw target, so that the
  // number of series stays bounded whatever clients send.
  void count_request(std::string_view route, unsigned status);
  void count_answer(answer_status status, std::chrono::nanoseconds latency);
  void count_error(wire_error code) { errors_[static_cast<std::size_t>(code)].fetch_add(1, std::memory_order_relaxed); }
  void count_feedback(bool saved) { (saved ? feedback_saved_ : feedback_failed_).fetch_add(1, std::memory_order_relaxed); }
  void count_rejected_connection() { rejected_.fetch_add(1, std::memory_order_relaxed); }
  // Per client address: connections refused (its share was open), requests and messages over its rate.
  void count_address_refused() { address_refused_.fetch_add(1, std::memory_order_relaxed); }
  void count_address_rate_limited() { address_rate_limited_.fetch_add(1, std::memory_order_relaxed); }
  // WebSockets cut off because a message was not finished by its deadline.
  void count_message_cut() { messages_cut_.fetch_add(1, std::memory_order_relaxed); }
  void connection_opened(connection_kind k) { open(k).fetch_add(1, std::memory_order_relaxed); }
  void connection_closed(connection_kind k) { open(k).fetch_sub(1, std::memory_order_relaxed); }

  std::int64_t open_connections(connection_kind k) const { return open(k).load(std::memory_order_relaxed); }
  std::uint64_t answers(answer_status s) const { return answers_[static_cast<std::size_t>(s)].load(std::memory_order_relaxed); }

  std::string render(const metrics_gauges& g = {}) const;

 private:
  std::atomic<std::int64_t>& open(connection_kind k) { return k == connection_kind::http ? open_http_ : open_ws_; }
  const std::atomic<std::int64_t>& open(connection_kind k) const { return k == connection_kind::http ? open_http_ : open_ws_; }

  mutable std::mutex requests_mutex_;
  std::map<std::pair<std::string, unsigned>, std::uint64_t> requests_;
  std::array<std::atomic<std::uint64_t>, 4> answers_{};
  std::array<std::atomic<std::uint64_t>, latency_buckets.size() + 1> latency_counts_{};  // last: +Inf
  std::atomic<std::uint64_t> latency_sum_ns_{0};
  std::array<std::atomic<std::uint64_t>, wire_error_count> errors_{};
  std::atomic<std::uint64_t> feedback_saved_{0}, feedback_failed_{0}, rejected_{0};
  std::atomic<std::uint64_t> address_refused_{0}, address_rate_limited_{0}, messages_cut_{0};
  std::atomic<std::int64_t> open_http_{0}, open_ws_{0};
};

}  // namespace cited::web
