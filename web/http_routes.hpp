#pragma once
// The HTTP routes of the contract: the pages, /healthz, /metrics, /api/sources/{id},
// POST /api/ask and POST /api/reply, with every error as {"error":{"code","message"}}.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstdint>
#include <functional>
#include <string_view>

#include "client_address.hpp"
#include "protocol.hpp"
#include "rate_limiter.hpp"
#include "server_state.hpp"

namespace cited::web {

namespace http = boost::beast::http;

using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

// Sends a response that was computed later; callable from any thread, once.
using response_sender = std::function<void(http_response)>;

struct routed_response {
  http_response response;
  std::string_view route;  // the route's pattern for metrics and logs, "other" when none matched
  // Set when the answer comes later (staff work on its own threads, a commit): the session
  // calls it with its sender instead of sending response.
  std::function<void(response_sender)> deferred = {};
};

// Where a request came from, for the answer log and the per-connection rate limit.
struct request_context {
  std::uint64_t connection = 0;
  token_bucket* bucket = nullptr;
  ip_address client;  // the client, as far as we can tell (see client_address.hpp)
};

// Answers req. Runs on an I/O thread (it may ask this thread's engine). Never throws.
routed_response handle_request(server_state& state, const http_request& req, request_context ctx);

// A JSON error response in the contract's shape, with the right status for code unless given.
http_response error_response(wire_error code, std::string_view message, unsigned version, bool keep_alive,
                             http::status status = http::status::unknown);

// Common headers on every response.
void set_common_headers(http_response& res);

// The route pattern of a URL path for metrics and logs ("/api/sources/{id}"), "other" when none.
std::string_view route_pattern(std::string_view path);

// Whether origin is one of --allow-origin's (the clinic's own sites).
bool origin_allowed(const server_options& options, std::string_view origin);
// The CORS preflight of a JSON POST: allowed for --allow-origin's origins only.
http_response preflight(const server_state& state, const http_request& req);

}  // namespace cited::web
