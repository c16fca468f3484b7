#include "request_checks.hpp"

#include <algorithm>

#include "static_files.hpp"

namespace cited::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t count_of(const http_request& req, http::field f) {
  return static_cast<std::size_t>(std::distance(req.equal_range(f).first, req.equal_range(f).second));
}

}  // namespace

std::string framing_problem(const http_request& req) {
  const std::size_t encodings = count_of(req, http::field::transfer_encoding);
  if (encodings > 0) {
    // Only "chunked" alone: with any other coding, or none last, the body's end is not where a
    // proxy that read the header differently would think it is.
    if (encodings > 1 || !boost::beast::iequals(trim(req[http::field::transfer_encoding]), "chunked"))
      return "a Transfer-Encoding other than chunked is not accepted";
    if (count_of(req, http::field::content_length) > 0) return "Transfer-Encoding and Content-Length together are not accepted";
  }
  const std::size_t hosts = count_of(req, http::field::host);
  if (hosts > 1) return "a request must have one Host header, not several";
  if (hosts == 0 && req.version() >= 11) return "an HTTP/1.1 request must have a Host header";
  return {};
}

std::optional<http_response> json_post_problem(const server_options& options, const http_request& req) {
  // application/json, perhaps with parameters ("; charset=utf-8"), in any case.
  const std::string_view type = trim(req[http::field::content_type]);
  const std::string_view media = trim(type.substr(0, type.find(';')));
  if (!boost::beast::iequals(media, "application/json")) {
    auto res = error_response(wire_error::unsupported_media_type, "the body must be JSON, sent as Content-Type: application/json",
                              req.version(), req.keep_alive());
    res.set(http::field::accept, "application/json");
    return res;
  }
  const std::string_view origin = req[http::field::origin];
  if (options.allowed_origins.empty() || origin.empty()) return std::nullopt;
  const bool listed = std::any_of(options.allowed_origins.begin(), options.allowed_origins.end(),
                                  [&](const std::string& o) { return boost::beast::iequals(o, origin); });
  // A page of this server's own (the staff page) posts with its own origin.
  const std::string_view host = req[http::field::host];
  const bool own = !host.empty() && (boost::beast::iequals(origin, "http://" + std::string(host)) ||
                                     boost::beast::iequals(origin, "https://" + std::string(host)));
  if (listed || own) return std::nullopt;
  return error_response(wire_error::forbidden, "this origin may not use the assistant", req.version(), req.keep_alive());
}

bool counts_against_address_rate(std::string_view path) { return !find_static_route(path) && !is_monitoring(path); }

bool is_monitoring(std::string_view path) { return path == "/healthz" || path == "/metrics"; }

}  // namespace cited::web
