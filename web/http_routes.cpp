#include "http_routes.hpp"

#include <boost/beast/version.hpp>

#include <algorithm>
#include <exception>

#include "answer_json.hpp"
#include "answering.hpp"
#include "request_checks.hpp"
#include "staff_routes.hpp"
#include "static_cache.hpp"
#include "static_files.hpp"
#include "utf8.hpp"

namespace cited::web {
namespace {

using nlohmann::json;

http::status status_for(wire_error code) {
  switch (code) {
    case wire_error::bad_json:
    case wire_error::bad_request:
    case wire_error::bad_utf8: return http::status::bad_request;
    case wire_error::too_large: return http::status::payload_too_large;
    case wire_error::rate_limited: return http::status::too_many_requests;
    case wire_error::internal: return http::status::internal_server_error;
    case wire_error::not_found: return http::status::not_found;
    case wire_error::method_not_allowed: return http::status::method_not_allowed;
    case wire_error::not_implemented: return http::status::not_implemented;
    case wire_error::forbidden: return http::status::forbidden;
    case wire_error::unavailable: return http::status::service_unavailable;
    case wire_error::unauthorized: return http::status::unauthorized;
    case wire_error::unsupported_media_type: return http::status::unsupported_media_type;
  }
  return http::status::internal_server_error;
}

http_response json_response(const http_request& req, std::string body, http::status status = http::status::ok) {
  http_response res{status, req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

http_response error_for(const http_request& req, wire_error code, std::string_view message) {
  return error_response(code, message, req.version(), req.keep_alive());
}

http_response method_not_allowed(const http_request& req, std::string_view allowed) {
  auto res = error_for(req, wire_error::method_not_allowed, "use " + std::string(allowed) + " here");
  res.set(http::field::allow, allowed);
  return res;
}

bool is_get(const http_request& req) { return req.method() == http::verb::get || req.method() == http::verb::head; }

}  // namespace

bool origin_allowed(const server_options& options, std::string_view origin) {
  return std::any_of(options.allowed_origins.begin(), options.allowed_origins.end(),
                     [&](const std::string& o) { return boost::beast::iequals(o, origin); });
}

namespace {

// Lets the clinic's own sites (and only those) call the JSON API from their pages.
void allow_cross_origin(const server_options& options, const http_request& req, http_response& res) {
  const auto origin = req[http::field::origin];
  if (origin.empty() || !origin_allowed(options, origin)) return;
  res.set(http::field::access_control_allow_origin, origin);
  const auto vary = res[http::field::vary];
  res.set(http::field::vary, vary.empty() ? std::string("Origin") : std::string(vary) + ", Origin");
}

http_response serve_static(server_state& state, const http_request& req, const static_route& route) {
  if (!is_get(req)) return method_not_allowed(req, "GET, HEAD");
  const auto& root = state.options.web_root.empty() ? default_web_root() : state.options.web_root;
  const auto asset = state.statics.get(root, route);
  if (!asset) return error_for(req, wire_error::not_found, std::string(route.target) + " is not installed on this server");
  const bool gzip = asset->gzip && accepts_gzip(req[http::field::accept_encoding]);
  const std::string etag = gzip ? asset->etag.substr(0, asset->etag.size() - 1) + "-gz\"" : asset->etag;
  // A browser that has this version already gets a 304 and no body.
  const auto if_none_match = req[http::field::if_none_match];
  const bool unchanged = !if_none_match.empty() ? etag_matches(if_none_match, etag)
                                                : req[http::field::if_modified_since] == asset->last_modified;
  http_response res{unchanged ? http::status::not_modified : http::status::ok, req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, route.content_type);
  // Pages are checked every time (a 304 is cheap); scripts and styles, which the widget loads
  // on every page of the clinic's site, are used for an hour before they are checked again.
  res.set(http::field::cache_control, route.page ? "no-cache" : "public, max-age=3600");
  res.set(http::field::etag, etag);
  res.set(http::field::last_modified, asset->last_modified);
  res.set(http::field::vary, "Accept-Encoding");
  if (route.page) res.set("Content-Security-Policy", page_security_policy);
  res.keep_alive(req.keep_alive());
  if (!unchanged) {
    if (gzip) res.set(http::field::content_encoding, "gzip");
    res.body() = gzip ? *asset->gzip : *asset->bytes;
  }
  res.prepare_payload();
  return res;
}

http_response healthz(const server_state& state, const http_request& req) {
  const auto& kb = this_thread_engine().knowledge();
  // The generation tells an operator (and the swap benchmark) that a reload has gone live.
  return json_response(req, json{{"status", "ok"}, {"facts", kb.facts.size()}, {"sources", kb.sources.size()},
                                 {"index_generation", state.index.generation()}}.dump());
}

http_response metrics_page(const server_state& state, const http_request& req) {
  http_response res{http::status::ok, req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.body() = state.stats.render(state.gauges());
  res.prepare_payload();
  return res;
}

bool is_source_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  });
}

http_response source(const http_request& req, std::string_view id) {
  const source_document* doc = is_source_id(id) ? this_thread_engine().knowledge().find_source(id) : nullptr;
  if (!doc) return error_for(req, wire_error::not_found, "there is no source with that id");
  return json_response(req, json{{"id", doc->id}, {"title", doc->title}, {"text", doc->text}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

// The {"text": …} body shared by /api/ask and /api/reply, or the error response to send.
struct text_body {
  std::string text;
  std::optional<std::string> id;
};
std::variant<text_body, http_response> read_text_body(const http_request& req, std::size_t max_chars, std::size_t max_id_bytes) {
  const std::string& body = req.body();
  if (!is_valid_utf8(body)) return error_for(req, wire_error::bad_utf8, "the body is not valid UTF-8");
  const json j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return error_for(req, wire_error::bad_json, "the body is not valid JSON");
  if (!j.is_object()) return error_for(req, wire_error::bad_request, "the body must be a JSON object");
  const auto text = j.find("text");
  if (text == j.end() || !text->is_string()) return error_for(req, wire_error::bad_request, "\"text\" must be a string");
  text_body out{text->get<std::string>(), std::nullopt};
  if (out.text.find_first_not_of(" \t\r\n") == std::string::npos) return error_for(req, wire_error::bad_request, "\"text\" is empty");
  if (utf8_length(out.text) > max_chars)
    return error_for(req, wire_error::too_large, "\"text\" is longer than " + std::to_string(max_chars) + " characters");
  if (const auto id = j.find("id"); id != j.end() && !id->is_null()) {
    if (!id->is_string()) return error_for(req, wire_error::bad_request, "\"id\" must be a string");
    // It is echoed and logged: as long as a WebSocket message's id may be, no longer.
    if (id->get_ref<const std::string&>().size() > max_id_bytes) return error_for(req, wire_error::too_large, "\"id\" is too long");
    out.id = id->get<std::string>();
  }
  return out;
}

}  // namespace

http_response preflight(const server_state& state, const http_request& req) {
  http_response res{http::status::no_content, req.version()};
  set_common_headers(res);
  res.keep_alive(req.keep_alive());
  if (origin_allowed(state.options, req[http::field::origin])) {
    res.set(http::field::access_control_allow_origin, req[http::field::origin]);
    res.set(http::field::access_control_allow_methods, "POST");
    res.set(http::field::access_control_allow_headers, "Content-Type");
    res.set(http::field::access_control_max_age, "600");
    res.set(http::field::vary, "Origin");
  }
  res.prepare_payload();
  return res;
}

namespace {

http_response api_ask(server_state& state, const http_request& req, request_context ctx) {
  if (req.method() == http::verb::options) return preflight(state, req);
  if (req.method() != http::verb::post) return method_not_allowed(req, "POST");
  if (auto problem = json_post_problem(state.options, req)) return std::move(*problem);
  if (ctx.bucket && !ctx.bucket->try_take()) return error_for(req, wire_error::rate_limited, "too many requests; slow down");
  const auto& limits = state.options.limits.messages;
  auto body = read_text_body(req, limits.max_question_chars, limits.max_id_bytes);
  if (auto* error = std::get_if<http_response>(&body)) return std::move(*error);
  auto& ask = std::get<text_body>(body);
  answered a = answer_question(state, ask.text, nullptr, ask.id, ctx.connection, "http");
  // This client may rate it, once, for a while.
  state.http_answers.remember(a.answer_id, limit_key(ctx.client));
  return json_response(req, std::move(a.json));
}

std::string_view path_of(const http_request& req) {
  const std::string_view target = req.target();
  return target.substr(0, target.find('?'));
}

routed_response route(server_state& state, const http_request& req, const request_context& ctx) {
  const std::string_view path = path_of(req);
  // The staff workspace, /api/reply and the hand-off first (web/staff_routes.cpp).
  if (auto staff = route_staff(state, req, ctx)) return std::move(*staff);

  if (const auto* page = find_static_route(path)) return {serve_static(state, req, *page), page->target};
  if (path == "/healthz") return {is_get(req) ? healthz(state, req) : method_not_allowed(req, "GET, HEAD"), "/healthz"};
  if (path == "/metrics") return {is_get(req) ? metrics_page(state, req) : method_not_allowed(req, "GET, HEAD"), "/metrics"};
  if (constexpr std::string_view prefix = "/api/sources/"; path.starts_with(prefix))
    return {is_get(req) ? source(req, path.substr(prefix.size())) : method_not_allowed(req, "GET, HEAD"), "/api/sources/{id}"};
  if (path == "/api/ask") return {api_ask(state, req, ctx), "/api/ask"};
  if (path == "/ws") {
    auto res = error_for(req, wire_error::bad_request, "/ws speaks WebSocket only");
    res.result(http::status::upgrade_required);
    res.set(http::field::upgrade, "websocket");
    return {std::move(res), "/ws"};
  }
  return {error_for(req, wire_error::not_found, "no such page"), "other"};
}

}  // namespace

void set_common_headers(http_response& res) {
  res.set(http::field::server, "cited");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
}

http_response error_response(wire_error code, std::string_view message, unsigned version, bool keep_alive, http::status status) {
  http_response res{status == http::status::unknown ? status_for(code) : status, version};
  set_common_headers(res);
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  if (code == wire_error::rate_limited) res.set(http::field::retry_after, "1");
  res.body() = http_error_body(code, message);
  res.prepare_payload();
  return res;
}

std::string_view route_pattern(std::string_view path) {
  if (const auto* page = find_static_route(path)) return page->target;
  for (std::string_view known : {"/healthz", "/metrics", "/api/ask", "/api/reply", "/api/handoff", "/ws"})
    if (path == known) return known;
  if (path.starts_with("/api/sources/")) return "/api/sources/{id}";
  return "other";
}

routed_response handle_request(server_state& state, const http_request& req, request_context ctx) {
  routed_response out{http_response{}, "other"};
  try {
    out = route(state, req, ctx);
  } catch (const request_error& e) {
    out = {error_for(req, e.code(), e.what()), route_pattern(path_of(req))};
  } catch (const std::exception& e) {
    state.log.write({{"event", "error"}, {"conn", ctx.connection}, {"where", "http"}, {"what", e.what()}});
    out = {error_for(req, wire_error::internal, "something went wrong on our side"), route_pattern(path_of(req))};
  }
  if (out.deferred) return out;  // the deferred sender does the same (staff_routes.cpp)
  allow_cross_origin(state.options, req, out.response);
  // A HEAD response carries the headers of the GET, with no body.
  if (req.method() == http::verb::head && out.response.result() != http::status::not_modified) {
    const auto length = out.response.body().size();
    out.response.body().clear();
    out.response.content_length(length);
  }
  return out;
}

}  // namespace cited::web
