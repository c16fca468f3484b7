#include "metrics.hpp"

#include <cstdio>

#include "answer_json.hpp"

namespace cited::web {

void metrics::count_request(std::string_view route, unsigned status) {
  std::lock_guard lock(requests_mutex_);
  ++requests_[{std::string(route), status}];
}

void metrics::count_answer(answer_status status, std::chrono::nanoseconds latency) {
  answers_[static_cast<std::size_t>(status)].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < latency_buckets.size() && seconds > latency_buckets[bucket]) ++bucket;
  latency_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(static_cast<std::uint64_t>(latency.count()), std::memory_order_relaxed);
}

namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// Label values here are our own route patterns and codes, but escape them as the format
// requires so a future route with a quote cannot break the page.
std::string label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string metrics::render(const metrics_gauges& g) const {
  std::string out;
  out.reserve(4096);
  out += "# HELP cited_http_requests_total HTTP requests answered, by route pattern and status.\n"
         "# TYPE cited_http_requests_total counter\n";
  {
    std::lock_guard lock(requests_mutex_);
    for (const auto& [key, n] : requests_)
      out += "cited_http_requests_total{route=\"" + label(key.first) + "\",status=\"" + std::to_string(key.second) + "\"} " +
             std::to_string(n) + "\n";
  }

  out += "# HELP cited_answers_total Answers given (WebSocket and POST /api/ask), by status.\n"
         "# TYPE cited_answers_total counter\n";
  for (auto s : {answer_status::answered, answer_status::no_answer, answer_status::urgent, answer_status::smalltalk})
    out += "cited_answers_total{status=\"" + std::string(to_string(s)) + "\"} " + std::to_string(answers(s)) + "\n";

  out += "# HELP cited_answer_latency_seconds Time to compose an answer, from the question read to the answer queued.\n"
         "# TYPE cited_answer_latency_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
    cumulative += latency_counts_[i].load(std::memory_order_relaxed);
    out += "cited_answer_latency_seconds_bucket{le=\"" + number(latency_buckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += latency_counts_.back().load(std::memory_order_relaxed);
  out += "cited_answer_latency_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "cited_answer_latency_seconds_sum " + number(static_cast<double>(latency_sum_ns_.load(std::memory_order_relaxed)) / 1e9) + "\n";
  out += "cited_answer_latency_seconds_count " + std::to_string(cumulative) + "\n";

  out += "# HELP cited_open_connections Connections open now, by kind.\n"
         "# TYPE cited_open_connections gauge\n";
  out += "cited_open_connections{kind=\"http\"} " + std::to_string(open_connections(connection_kind::http)) + "\n";
  out += "cited_open_connections{kind=\"websocket\"} " + std::to_string(open_connections(connection_kind::websocket)) + "\n";

  out += "# HELP cited_errors_total WebSocket error frames sent, by code (HTTP errors are in cited_http_requests_total by status).\n"
         "# TYPE cited_errors_total counter\n";
  for (std::size_t i = 0; i < wire_error_count; ++i)
    out += "cited_errors_total{code=\"" + std::string(to_string(static_cast<wire_error>(i))) + "\"} " +
           std::to_string(errors_[i].load(std::memory_order_relaxed)) + "\n";

  out += "# HELP cited_feedback_total Feedback received, by whether it was stored.\n"
         "# TYPE cited_feedback_total counter\n";
  out += "cited_feedback_total{result=\"saved\"} " + std::to_string(feedback_saved_.load(std::memory_order_relaxed)) + "\n";
  out += "cited_feedback_total{result=\"failed\"} " + std::to_string(feedback_failed_.load(std::memory_order_relaxed)) + "\n";

  out += "# HELP cited_rejected_connections_total Connections turned away with 503 because the server was full.\n"
         "# TYPE cited_rejected_connections_total counter\n";
  out += "cited_rejected_connections_total " + std::to_string(rejected_.load(std::memory_order_relaxed)) + "\n";

  auto counter = [&out](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " counter\n" + name + " " + std::to_string(v) + "\n";
  };
  auto gauge = [&out](const char* name, const char* help, std::uint64_t v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + std::to_string(v) + "\n";
  };
  counter("cited_address_refused_connections_total",
          "Connections turned away with 503 because their client address had its share open.",
          address_refused_.load(std::memory_order_relaxed));
  counter("cited_address_rate_limited_total", "HTTP requests and WebSocket messages refused: their client address was over its rate.",
          address_rate_limited_.load(std::memory_order_relaxed));
  counter("cited_ws_messages_cut_total", "WebSockets cut off because a message was not finished by its deadline.",
          messages_cut_.load(std::memory_order_relaxed));
  gauge("cited_buffered_message_bytes", "Bytes held now by WebSocket messages still arriving.", g.buffered_message_bytes);
  gauge("cited_buffered_message_peak_bytes", "The most bytes WebSocket messages still arriving have held at once.",
        g.buffered_message_peak);
  counter("cited_buffer_budget_refusals_total", "WebSocket messages not kept because the budget for unfinished messages was spent.",
          g.buffer_refusals);
  counter("cited_memory_trims_total", "Times freed memory was handed back to the system after a spike of unfinished messages.",
          g.memory_trims);
  counter("cited_log_lines_dropped_total", "Access log lines dropped whole because they could not be written (disk full).",
          g.log_lines_dropped);
  gauge("cited_client_addresses", "Client addresses in the per-address limits table.", g.client_addresses);
  return out;
}

}  // namespace cited::web
