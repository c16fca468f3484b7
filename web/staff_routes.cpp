#include "staff_routes.hpp"

#include <boost/beast/core/string.hpp>

#include <nlohmann/json.hpp>

#include "email_reader.hpp"
#include "handoff.hpp"
#include "knowledge_api.hpp"
#include "staff_accounts.hpp"
#include "staff_api.hpp"
#include "staff_http.hpp"
#include "static_files.hpp"
#include "store.hpp"
#include "utf8.hpp"

namespace cited::web {
namespace {

using nlohmann::json;
using staff_handler = std::function<http_response(staff_call&)>;

// A session's last_seen is written at most this often: a page load makes several requests.
constexpr long long touch_every_ms = 60'000;

struct staff_page {
  std::string_view path;
  std::string_view file;
};
constexpr staff_page staff_pages[] = {
    {"/staff", "staff/reply.html"},
    {"/staff/inbox", "staff/inbox.html"},
    {"/staff/insights", "staff/insights.html"},
    {"/staff/knowledge", "staff/knowledge.html"},  // 404 "not installed" until the page is there
};

std::string_view path_of(const http_request& req) {
  const std::string_view target = req.target();
  return target.substr(0, target.find('?'));
}

bool is_get(const http_request& req) { return req.method() == http::verb::get || req.method() == http::verb::head; }

http_response method_not_allowed(const http_request& req, std::string_view allowed) {
  auto res = error_reply(req, wire_error::method_not_allowed, "use " + std::string(allowed) + " here");
  res.set(http::field::allow, allowed);
  return res;
}

http_response redirect_to_sign_in(const http_request& req) {
  http_response res{http::status::see_other, req.version()};
  set_common_headers(res);
  res.set(http::field::location, "/staff/sign-in?next=" + std::string(path_of(req)));
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

http_response unauthorized(const http_request& req) {
  return error_reply(req, wire_error::unauthorized, "sign in first: this is for the clinic's staff");
}

// What handle_request does for a response sent at once, for one sent later: a HEAD gets the
// headers only; the clinic's own sites may read the hand-off's answer.
http_response finish(const server_state& state, const http_request& req, http_response res) {
  const auto origin = req[http::field::origin];
  if (path_of(req) == "/api/handoff" && !origin.empty() && origin_allowed(state.options, origin)) {
    res.set(http::field::access_control_allow_origin, origin);
    res.set(http::field::vary, "Origin");
  }
  if (req.method() == http::verb::head) {
    const auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  return res;
}

routed_response now(http_response res, std::string_view route) { return {std::move(res), route, {}}; }

// The JSON object of a POST body, or the error response to send.
std::variant<json, http_response> read_json_object(const http_request& req) {
  if (!is_json_content_type(req[http::field::content_type]))
    return error_reply(req, wire_error::unsupported_media_type, "send the body as application/json");
  if (!is_valid_utf8(req.body())) return error_reply(req, wire_error::bad_utf8, "the body is not valid UTF-8");
  json j = json::parse(req.body(), nullptr, false);
  if (j.is_discarded()) return error_reply(req, wire_error::bad_json, "the body is not valid JSON");
  if (!j.is_object()) return error_reply(req, wire_error::bad_request, "the body must be a JSON object");
  return j;
}

// Why a state-changing staff request is refused, or nullopt when it may go ahead.
std::optional<http_response> refuse_change(const http_request& req, const std::string& token) {
  if (is_get(req)) return std::nullopt;
  if (!same_origin(req)) return error_reply(req, wire_error::forbidden, "cross-site requests are refused");
  if (!records::csrf_matches(token, req["X-CSRF-Token"]))
    return error_reply(req, wire_error::forbidden, "the request lacks this session's CSRF token; reload the page");
  if (req.method() == http::verb::post && !is_json_content_type(req[http::field::content_type]))
    return error_reply(req, wire_error::unsupported_media_type, "send the body as application/json");
  return std::nullopt;
}

// Runs handler on a staff thread for a request with a live session; answers 401 (or the
// sign-in page for a page) without one, and refuses cross-site state changes.
routed_response staff_only(server_state& state, const http_request& req, std::string_view route, bool page,
                           staff_handler handler) {
  if (!state.staff)
    return now(error_reply(req, wire_error::unavailable, "this server has no staff workspace (no records store)"), route);
  const auto token = cookie_value(req[http::field::cookie], session_cookie_name);
  const auto hash = token ? records::hash_session_token(*token) : std::nullopt;
  if (!hash) return now(page ? redirect_to_sign_in(req) : unauthorized(req), route);
  auto request = std::make_shared<http_request>(req);
  auto deferred = [&state, request, hash = *hash, token = *token, page, handler = std::move(handler)](const response_sender& send) {
    auto job = [&state, request, hash, token, page, handler, send](staff_context* context) {
      http_response res;
      try {
        if (!context) throw std::runtime_error("the records store cannot be read");
        const long long t = records::now_ms();
        auto who = records::find_session(context->db, hash, t - state.options.staff.session_idle.count());
        if (!who) {
          res = page ? redirect_to_sign_in(*request) : unauthorized(*request);
        } else {
          if (t - who->last_seen >= touch_every_ms)
            state.staff->records->submit([hash, t](records::database& db) { records::touch_session(db, hash, t); },
                                         [](const std::optional<std::string>&) {});
          staff_call call{state, *request, *context, std::move(*who), hash, token};
          // With a live session (401 comes first): a change must come from this site and carry
          // the session's CSRF token. SameSite=Strict keeps the cookie off other sites'
          // requests; this is the second lock.
          if (auto refused = refuse_change(*request, token)) res = std::move(*refused);
          else res = handler(call);
        }
      } catch (const request_error& e) {
        res = error_reply(*request, e.code(), e.what());
      } catch (const std::exception& e) {
        state.log.write({{"event", "error"}, {"where", "staff"}, {"what", e.what()}});
        res = error_reply(*request, wire_error::internal, "something went wrong on our side");
      }
      send(finish(state, *request, std::move(res)));
    };
    if (!state.staff->worker.submit(job)) {
      auto res = error_reply(*request, wire_error::unavailable, "the staff workspace is busy; try again in a moment");
      res.set(http::field::retry_after, "2");
      send(finish(state, *request, std::move(res)));
    }
  };
  return {http_response{}, route, std::move(deferred)};
}

// Runs work on a staff thread without a session (sign-in); work must not throw.
routed_response on_staff_thread(server_state& state, const http_request& req, std::string_view route,
                                std::function<http_response(staff_context&, const http_request&)> work) {
  auto request = std::make_shared<http_request>(req);
  auto deferred = [&state, request, work = std::move(work)](const response_sender& send) {
    auto job = [&state, request, work, send](staff_context* context) {
      http_response res;
      try {
        if (!context) throw std::runtime_error("the records store cannot be read");
        res = work(*context, *request);
      } catch (const std::exception& e) {
        state.log.write({{"event", "error"}, {"where", "staff"}, {"what", e.what()}});
        res = error_reply(*request, wire_error::internal, "something went wrong on our side");
      }
      send(finish(state, *request, std::move(res)));
    };
    if (!state.staff->worker.submit(job)) {
      auto res = error_reply(*request, wire_error::unavailable, "the staff workspace is busy; try again in a moment");
      res.set(http::field::retry_after, "2");
      send(finish(state, *request, std::move(res)));
    }
  };
  return {http_response{}, route, std::move(deferred)};
}

http_response page_response(server_state& state, const http_request& req, std::string_view file) {
  const auto& root = state.options.web_root.empty() ? default_web_root() : state.options.web_root;
  const static_route route{path_of(req), file, "text/html; charset=utf-8", true};
  auto bytes = read_static_file(root, route);
  if (!bytes) return error_reply(req, wire_error::not_found, "this page is not installed on this server");
  http_response res{http::status::ok, req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, route.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set("Content-Security-Policy", page_security_policy);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(*bytes);
  res.prepare_payload();
  return res;
}

// --- sign-in, sign-out, who am I ----------------------------------------------------------

routed_response sign_in(server_state& state, const http_request& req, const request_context& ctx) {
  constexpr std::string_view route = "/api/staff/sign-in";
  if (!state.staff)
    return now(error_reply(req, wire_error::unavailable, "this server has no staff workspace (no records store)"), route);
  if (is_get(req)) {
    // The sign-in page asks whether any account exists, to say how to make the first.
    return on_staff_thread(state, req, route, [&state](staff_context& context, const http_request& r) {
      const bool any = records::count_staff(context.db) > 0;
      json body{{"accounts", any}};
      if (!any) body["command"] = "cited staff add EMAIL --records " + state.staff->records->path().string();
      return json_reply(r, body);
    });
  }
  if (req.method() != http::verb::post) return now(method_not_allowed(req, "GET, HEAD, POST"), route);
  if (!same_origin(req)) return now(error_reply(req, wire_error::forbidden, "cross-site requests are refused"), route);
  auto body = read_json_object(req);
  if (auto* error = std::get_if<http_response>(&body)) return now(std::move(*error), route);
  const json& j = std::get<json>(body);
  const auto email = j.find("email");
  const auto password = j.find("password");
  if (email == j.end() || !email->is_string() || password == j.end() || !password->is_string())
    return now(error_reply(req, wire_error::bad_request, "\"email\" and \"password\" must be strings"), route);
  const std::string& typed = email->get_ref<const std::string&>();
  if (typed.size() > records::max_email_bytes || password->get_ref<const std::string&>().size() > records::max_password_bytes)
    return now(error_reply(req, wire_error::too_large, "the email or the password is too long"), route);
  // The throttle's key for the account: the email as an account would have it, or as typed.
  const auto normalised = records::normalise_staff_email(typed);
  std::string account = normalised.value_or(typed);
  // The client as the per-address limits know it (behind a --trust-proxy, whom the proxy names).
  std::string address = ctx.client.to_string();
  if (const auto wait = state.staff->throttle.wait_before(account, address)) {
    const auto seconds = (wait->count() + 999) / 1000;
    auto res = error_reply(req, wire_error::rate_limited,
                           "too many wrong passwords; try again in " + std::to_string(seconds) + " seconds");
    res.set(http::field::retry_after, std::to_string(seconds));
    return now(std::move(res), route);
  }
  std::string secret = password->get<std::string>();
  const std::uint64_t connection = ctx.connection;
  return on_staff_thread(
      state, req, route,
      [&state, normalised, account = std::move(account), address = std::move(address), secret = std::move(secret),
       connection](staff_context& context, const http_request& r) mutable {
        const auto found = normalised ? records::find_staff(context.db, *normalised) : std::nullopt;
        // An unknown email is checked against a decoy hash: the same work, the same time.
        const bool ok = records::verify_password(found ? found->password_hash : records::decoy_password_hash(), secret) &&
                        found.has_value();
        std::fill(secret.begin(), secret.end(), '\0');
        if (!ok) {
          state.staff->throttle.failed(account, address);
          state.log.write({{"event", "sign_in"}, {"conn", connection}, {"ok", false}});
          return error_reply(r, wire_error::unauthorized, "the email or the password is wrong");
        }
        state.staff->throttle.succeeded(account);
        const auto token = records::make_session_token();
        if (auto failure = state.staff->records->run([&](records::database& db) {
              records::create_session(db, token.hash, found->id, records::now_ms());
            }))
          throw std::runtime_error("cannot store the session: " + *failure);
        state.log.write({{"event", "sign_in"}, {"conn", connection}, {"ok", true}, {"staff", found->email}});
        auto res = json_reply(r, json{{"email", found->email}, {"csrf", records::csrf_token_for(token.token)}});
        res.set(http::field::set_cookie, session_cookie(token.token, behind_tls(r, state.options.staff.secure_cookies)));
        return res;
      });
}

http_response sign_out(staff_call& call) {
  const auto hash = call.session;
  if (auto failure = call.state.staff->records->run([hash](records::database& db) { records::end_session(db, hash); }))
    throw std::runtime_error("cannot end the session: " + *failure);
  call.state.log.write({{"event", "sign_out"}, {"staff", call.who.email}});
  auto res = json_reply(call.req, json{{"signed_out", true}});
  res.set(http::field::set_cookie, session_cookie("", behind_tls(call.req, call.state.options.staff.secure_cookies)));
  return res;
}

http_response who_am_i(staff_call& call) {
  return json_reply(call.req, json{{"email", call.who.email},
                                   {"csrf", records::csrf_token_for(call.token)},
                                   {"handoff", call.state.options.staff.handoff}});
}

// --- POST /api/reply ----------------------------------------------------------------------

http_response draft_reply(staff_call& call) {
  auto body = read_json_object(call.req);
  if (auto* error = std::get_if<http_response>(&body)) return std::move(*error);
  const json& j = std::get<json>(body);
  const auto text = j.find("text");
  if (text == j.end() || !text->is_string()) return error_reply(call.req, wire_error::bad_request, "\"text\" must be a string");
  const std::string& email = text->get_ref<const std::string&>();
  if (email.find_first_not_of(" \t\r\n") == std::string::npos) return error_reply(call.req, wire_error::bad_request, "\"text\" is empty");
  if (!call.state.services.reply)
    return error_reply(call.req, wire_error::not_implemented, "suggested replies are not available on this server yet");
  json reply;
  try {
    reply = call.state.services.reply(email, call.context.engine);
  } catch (const email_error& e) {
    // Not a readable email (binary, too large, ...): the patient's text is the problem, not us.
    const wire_error code = e.code() == "too_large" ? wire_error::too_large
                            : e.code() == "bad_utf8" ? wire_error::bad_utf8
                                                     : wire_error::bad_request;
    return error_reply(call.req, code, e.what());
  }
  call.state.log.write({{"event", "reply"}, {"staff", call.who.email}, {"email_chars", utf8_length(email)}});
  return json_reply(call.req, reply);
}

// --- POST /api/handoff (the patient's side) ------------------------------------------------

routed_response api_handoff(server_state& state, const http_request& req, const request_context& ctx) {
  constexpr std::string_view route = "/api/handoff";
  if (req.method() == http::verb::options) return now(preflight(state, req), route);
  if (req.method() != http::verb::post) return now(method_not_allowed(req, "POST"), route);
  if (ctx.bucket && !ctx.bucket->try_take())
    return now(error_reply(req, wire_error::rate_limited, "too many requests; slow down"), route);
  auto body = read_json_object(req);
  if (auto* error = std::get_if<http_response>(&body)) return now(std::move(*error), route);
  const json& j = std::get<json>(body);
  std::optional<std::string> id;
  if (const auto it = j.find("id"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return now(error_reply(req, wire_error::bad_request, "\"id\" must be a string"), route);
    if (it->get_ref<const std::string&>().size() > state.options.limits.messages.max_id_bytes)
      return now(error_reply(req, wire_error::too_large, "\"id\" is too long"), route);
    id = it->get<std::string>();
  }
  const auto& limits = state.options.limits.messages;
  auto request = read_handoff_request(j, limits.max_question_chars, limits.max_name_chars);
  if (auto* problem = std::get_if<handoff_problem>(&request))
    return now(error_reply(req, problem->too_large ? wire_error::too_large : wire_error::bad_request, problem->message), route);
  if (!handoffs_enabled(state))
    return now(error_reply(req, wire_error::not_found, "this clinic takes questions through its contact details, not here"),
               route);
  auto copy = std::make_shared<http_request>(req);
  auto deferred = [&state, copy, id, what = std::move(std::get<handoff_request>(request)),
                   connection = ctx.connection](const response_sender& send) mutable {
    json transcript = json::array({{{"question", what.question}, {"answer", nullptr}}});
    save_handoff(state, std::move(what), id, transcript.dump(), std::nullopt, "http", connection,
                 [&state, copy, send](const std::optional<std::string>& handoff_id, const std::optional<std::string>&) {
                   if (!handoff_id)
                     return send(finish(state, *copy,
                                        error_reply(*copy, wire_error::internal,
                                                    "your message could not be saved; please try again, or contact the clinic directly")));
                   send(finish(state, *copy, json_reply(*copy, json{{"handoff_id", *handoff_id}})));
                 });
  };
  return {http_response{}, route, std::move(deferred)};
}

}  // namespace

std::optional<routed_response> route_staff(server_state& state, const http_request& req, const request_context& ctx) {
  const std::string_view path = path_of(req);
  if (path == "/api/handoff") return api_handoff(state, req, ctx);
  for (const auto& page : staff_pages)
    if (path == page.path) {
      if (!is_get(req)) return now(method_not_allowed(req, "GET, HEAD"), page.path);
      return staff_only(state, req, page.path, true,
                        [&state, file = page.file](staff_call& call) { return page_response(state, call.req, file); });
    }
  if (path == "/api/reply") {
    if (req.method() != http::verb::post) return now(method_not_allowed(req, "POST"), "/api/reply");
    if (ctx.bucket && !ctx.bucket->try_take())
      return now(error_reply(req, wire_error::rate_limited, "too many requests; slow down"), "/api/reply");
    return staff_only(state, req, "/api/reply", false, draft_reply);
  }
  constexpr std::string_view api = "/api/staff/";
  if (!path.starts_with(api)) return std::nullopt;
  const std::string_view rest = path.substr(api.size());
  auto get_only = [&](std::string_view route, staff_handler h) {
    if (!is_get(req)) return now(method_not_allowed(req, "GET, HEAD"), route);
    return staff_only(state, req, route, false, std::move(h));
  };
  auto post_only = [&](std::string_view route, staff_handler h) {
    if (req.method() != http::verb::post) return now(method_not_allowed(req, "POST"), route);
    return staff_only(state, req, route, false, std::move(h));
  };
  if (rest == "sign-in") return sign_in(state, req, ctx);
  if (rest == "sign-out") return post_only("/api/staff/sign-out", sign_out);
  if (rest == "me") return get_only("/api/staff/me", who_am_i);
  if (rest == "insights") return get_only("/api/staff/insights", insights);
  if (rest == "conversations.csv") return get_only("/api/staff/conversations.csv", conversations_csv);
  if (rest == "handoffs") return get_only("/api/staff/handoffs", list_handoffs);
  if (constexpr std::string_view prefix = "knowledge/"; rest.starts_with(prefix)) {
    if (auto routed = route_knowledge(rest.substr(prefix.size()), req.method() == http::verb::post, get_only, post_only))
      return std::move(*routed);
    return now(error_reply(req, wire_error::not_found, "no such knowledge API"), "/api/staff/knowledge/other");
  }
  if (constexpr std::string_view prefix = "conversations/"; rest.starts_with(prefix)) {
    std::string id(rest.substr(prefix.size()));
    return get_only("/api/staff/conversations/{id}", [id](staff_call& call) { return show_conversation(call, id); });
  }
  if (constexpr std::string_view prefix = "handoffs/"; rest.starts_with(prefix)) {
    std::string_view tail = rest.substr(prefix.size());
    constexpr std::string_view status_suffix = "/status";
    if (tail.ends_with(status_suffix)) {
      std::string id(tail.substr(0, tail.size() - status_suffix.size()));
      return post_only("/api/staff/handoffs/{id}/status", [id](staff_call& call) { return set_handoff_status(call, id); });
    }
    std::string id(tail);
    return get_only("/api/staff/handoffs/{id}", [id](staff_call& call) { return show_handoff(call, id); });
  }
  return now(error_reply(req, wire_error::not_found, "no such staff API"), "/api/staff/other");
}

}  // namespace cited::web
