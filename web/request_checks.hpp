#pragma once
// Checks on an HTTP request before it is answered: framing that a proxy in front of us could
// read differently (request smuggling), and POSTs that a page on another site could make a
// visitor's browser send.
#include <optional>
#include <string>
#include <string_view>

#include "http_routes.hpp"
#include "server.hpp"

namespace cited::web {

// Why req must not be answered at all, and its connection closed: a Transfer-Encoding other
// than plain "chunked" (its body would be read as the next request), Transfer-Encoding and
// Content-Length together, or on HTTP/1.1 a missing or repeated Host. Empty when it is fine.
std::string framing_problem(const http_request& req);

// For a POST to a JSON endpoint: 415 unless the body is declared application/json (so that a
// cross-site page needs a CORS preflight, which only --allow-origin's origins pass); 403 when
// --allow-origin is set and the request's Origin is neither one of them nor this server's own.
// nullopt when the request may go on.
std::optional<http_response> json_post_problem(const server_options& options, const http_request& req);

// Whether a request to path takes a token of its client's per-address rate: everything but
// the pages and scripts (a page load fetches several) and /healthz and /metrics (monitoring
// must see the server even while a client is refused).
bool counts_against_address_rate(std::string_view path);

// /healthz and /metrics: answered even to connections past the connection caps.
bool is_monitoring(std::string_view path);

}  // namespace cited::web
