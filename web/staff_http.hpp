#pragma once
// Small HTTP pieces the staff workspace and the hand-off need: cookies, the same-origin and
// Content-Type checks, query parameters, the client's address, dates in a query.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http_routes.hpp"

namespace cited::web {

inline constexpr std::string_view session_cookie_name = "cited_session";

// The value of cookie name in a Cookie header, or nullopt.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);
// The Set-Cookie value for a new session (HttpOnly, SameSite=Strict, Path=/, Secure when asked),
// or, for an empty token, one that deletes it.
std::string session_cookie(std::string_view token, bool secure);
// Whether the request came over TLS as far as we can tell: the flag, or the proxy's
// X-Forwarded-Proto.
bool behind_tls(const http_request& req, bool secure_flag);

// True when the body is declared JSON (application/json, any parameters).
bool is_json_content_type(std::string_view content_type);
// True when the request has no Origin (not a browser's cross-site request: browsers send it on
// every POST) or one whose host is the Host the request was sent to.
bool same_origin(const http_request& req);

// The value of name in target's query string, percent-decoded; nullopt when absent.
std::optional<std::string> query_param(std::string_view target, std::string_view name);
// "YYYY-MM-DD" as milliseconds since the epoch at 00:00 UTC, or nullopt.
std::optional<long long> parse_utc_day(std::string_view day);

// A JSON response, not to be cached (everything staff see is private).
http_response json_reply(const http_request& req, const nlohmann::json& body, http::status status = http::status::ok);
http_response error_reply(const http_request& req, wire_error code, std::string_view message);

}  // namespace cited::web
