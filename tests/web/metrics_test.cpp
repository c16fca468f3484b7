#include "metrics.hpp"

#include <gtest/gtest.h>

namespace cited::web {
namespace {

using namespace std::chrono_literals;

bool has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

TEST(metrics, renders_requests_answers_and_a_cumulative_histogram) {
  metrics m;
  m.count_request("/healthz", 200);
  m.count_request("/healthz", 200);
  m.count_request("other", 404);
  m.count_answer(answer_status::answered, 80us);
  m.count_answer(answer_status::answered, 3ms);
  m.count_answer(answer_status::urgent, 2s);
  m.connection_opened(connection_kind::websocket);
  m.count_error(wire_error::rate_limited);
  const std::string t = m.render();
  EXPECT_TRUE(has(t, R"(cited_http_requests_total{route="/healthz",status="200"} 2)")) << t;
  EXPECT_TRUE(has(t, R"(cited_http_requests_total{route="other",status="404"} 1)"));
  EXPECT_TRUE(has(t, R"(cited_answers_total{status="answered"} 2)"));
  EXPECT_TRUE(has(t, R"(cited_answers_total{status="urgent"} 1)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_bucket{le="5e-05"} 0)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_bucket{le="0.0001"} 1)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_bucket{le="0.005"} 2)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_bucket{le="1"} 2)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_bucket{le="+Inf"} 3)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_count 3)"));
  EXPECT_TRUE(has(t, R"(cited_answer_latency_seconds_sum 2.00308)"));
  EXPECT_TRUE(has(t, R"(cited_open_connections{kind="websocket"} 1)"));
  EXPECT_TRUE(has(t, R"(cited_errors_total{code="rate_limited"} 1)"));
  EXPECT_TRUE(has(t, "# TYPE cited_answer_latency_seconds histogram"));
}

}  // namespace
}  // namespace cited::web
