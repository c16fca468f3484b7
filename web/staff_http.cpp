#include "staff_http.hpp"

#include <boost/beast/core/string.hpp>

#include <chrono>
#include <ctime>

namespace cited::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') out += ' ';
    else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else out += s[i];
  }
  return out;
}

// The host[:port] of an origin or URL ("https://clinic.example:8443" -> "clinic.example:8443").
std::string_view host_of(std::string_view origin) {
  const auto scheme = origin.find("://");
  if (scheme != std::string_view::npos) origin.remove_prefix(scheme + 3);
  return origin.substr(0, origin.find('/'));
}

// "host:443" and "host" are the same host for https, as are "host:80" and "host" for http.
std::string_view without_default_port(std::string_view host) {
  for (std::string_view port : {":80", ":443"})
    if (host.size() > port.size() && host.substr(host.size() - port.size()) == port) return host.substr(0, host.size() - port.size());
  return host;
}

}  // namespace

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto end = header.find(';');
    const std::string_view pair = trim(header.substr(0, end));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) return std::string(trim(pair.substr(eq + 1)));
    if (end == std::string_view::npos) break;
    header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::string session_cookie(std::string_view token, bool secure) {
  std::string c = std::string(session_cookie_name) + "=" + std::string(token) + "; HttpOnly; SameSite=Strict; Path=/";
  if (token.empty()) c += "; Max-Age=0";
  if (secure) c += "; Secure";
  return c;
}

bool behind_tls(const http_request& req, bool secure_flag) {
  return secure_flag || boost::beast::iequals(trim(req["X-Forwarded-Proto"]), "https");
}

bool is_json_content_type(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  return boost::beast::iequals(type, "application/json");
}

bool same_origin(const http_request& req) {
  const std::string_view origin = req[http::field::origin];
  if (origin.empty()) return true;
  // Behind a proxy the Host is the one the browser used, or the proxy names it.
  std::string_view host = req["X-Forwarded-Host"];
  if (host.empty()) host = req[http::field::host];
  return !host.empty() && boost::beast::iequals(without_default_port(host_of(origin)), without_default_port(trim(host)));
}

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto end = rest.find('&');
    const std::string_view pair = rest.substr(0, end);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

std::optional<long long> parse_utc_day(std::string_view day) {
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len) {
    int n = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (day[i] < '0' || day[i] > '9') return -1;
      n = n * 10 + (day[i] - '0');
    }
    return n;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::sys_days(date).time_since_epoch()).count();
}

http_response json_reply(const http_request& req, const nlohmann::json& body, http::status status) {
  http_response res{status, req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

http_response error_reply(const http_request& req, wire_error code, std::string_view message) {
  return error_response(code, message, req.version(), req.keep_alive());
}

}  // namespace cited::web
