#include "http_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_generator.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>

#include "redact.hpp"
#include "request_checks.hpp"
#include "utf8.hpp"
#include "websocket_session.hpp"

namespace cited::web {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Request headers past this are not a browser's or a script's: 431.
constexpr std::uint32_t header_limit = 8 * 1024;
// After an error response, unread request bytes are read and dropped for a moment before the
// socket closes: closing with unread data sends a reset, which can destroy the response
// before the client has read it.
constexpr std::size_t drain_limit = 1024 * 1024;
constexpr auto drain_time = std::chrono::seconds(2);
constexpr std::size_t logged_target_bytes = 200;
// A connection turned away waits at most this long for its request: a health check says what
// it wants at once, and anyone else gets the 503 without waiting out the handshake timeout.
constexpr auto refused_grace = std::chrono::seconds(1);

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

http_session::http_session(connection_socket&& socket, server_state& state, client_slot client, refusal refused)
    : stream_(std::move(socket)),
      state_(state),
      id_(state.sessions.next_id()),
      peer_(peer_address(stream_.socket())),
      client_(std::move(client)),
      client_counted_(!state.proxies.contains(peer_)),
      bucket_(state.options.limits.rate_limit, state.options.limits.rate_burst),
      refused_(refused) {
  remote_ = state.options.log_full_ip ? remote_of(stream_.socket()) : state.loggable(peer_);
  // Replies are small and wanted at once: Nagle's algorithm would hold one back waiting for
  // the ACK of the previous, adding the peer's delayed-ACK time to a chat's latency.
  beast::error_code ignored;
  stream_.socket().set_option(tcp::no_delay(true), ignored);
}

http_session::~http_session() {
  if (!registered_) return;
  state_.sessions.remove(id_);
  state_.stats.connection_closed(connection_kind::http);
}

void http_session::run() {
  // Connections turned away are not counted: they are what the cap keeps out.
  if (refused_ == refusal::none) {
    registered_ = state_.sessions.add(id_, weak_from_this());
    if (!registered_) return;  // shutting down: dropping the socket closes it
    state_.stats.connection_opened(connection_kind::http);
  }
  // Start on the connection's strand, where every later handler of this session runs.
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&http_session::do_read, self<http_session>()));
}

void http_session::shutdown() {
  net::post(stream_.get_executor(), beast::bind_front_handler(&http_session::on_shutdown, self<http_session>()));
}

void http_session::on_shutdown() {
  closing_ = true;
  // A response being written is finished first (on_write closes after it); a connection
  // waiting for its next request is closed now, which cancels the read.
  if (!writing_) stream_.close();
}

void http_session::do_read() {
  if (closing_) return stream_.close();
  // A fresh parser for each request: limits apply per request, and no state leaks between them.
  parser_.emplace();
  parser_->body_limit(state_.options.limits.max_body_bytes);
  parser_->header_limit(header_limit);
  // Bounds both a slow request and an idle keep-alive connection.
  stream_.expires_after(state_.options.limits.handshake_timeout);
  if (refused_ != refusal::none && !grace_) {
    grace_.emplace(stream_.get_executor());
    grace_->expires_after(std::min<std::chrono::steady_clock::duration>(refused_grace, state_.options.limits.handshake_timeout));
    grace_->async_wait([self = self<http_session>()](beast::error_code ec) {
      // Still waiting for a request: the read ends, and answer_refused sends the 503.
      if (!ec && !self->writing_) self->stream_.socket().cancel();
    });
  }
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, self<http_session>()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
  request_started_ = std::chrono::steady_clock::now();
  if (refused_ != refusal::none) return answer_refused(ec);
  // Closed by shutdown or by the deadline, or the client is done with us: nothing to answer.
  if (ec == net::error::operation_aborted || ec == beast::error::timeout) return;
  if (ec == http::error::end_of_stream) return do_close();
  const unsigned version = parser_->get().version() ? parser_->get().version() : 11;
  if (ec == http::error::body_limit)
    return send(error_response(wire_error::too_large, "the request body is larger than the server accepts", version, false),
                "other", true);
  if (ec == http::error::header_limit)
    return send(error_response(wire_error::too_large, "the request headers are too large", version, false,
                               http::status::request_header_fields_too_large),
                "other", true);
  if (ec) {
    // A malformed request gets a 400; a reset connection gets nothing, as there is no one to read it.
    if (ec.category() == http::make_error_code(http::error::bad_target).category())
      return send(error_response(wire_error::bad_request, "malformed HTTP request", version, false), "other", true);
    return;
  }

  const auto& req = parser_->get();
  // Framing a proxy in front of us could read differently: refused, and the connection closed
  // before whatever follows is taken for a request.
  if (const std::string problem = framing_problem(req); !problem.empty())
    return send(error_response(wire_error::bad_request, problem, version, false), "other", true);
  if (!identify_client()) {
    state_.stats.count_address_refused();
    auto res = error_response(wire_error::unavailable, "too many connections from your address; try again shortly", version, false);
    res.set(http::field::retry_after, "5");
    return send(std::move(res), "rejected", true);
  }
  const std::string_view path = path_of(req.target());
  // The address's rate, shared with its other connections and its WebSocket messages.
  if (counts_against_address_rate(path) && !beast::websocket::is_upgrade(req) && !client_.try_take(request_started_)) {
    state_.stats.count_address_rate_limited();
    auto res = error_response(wire_error::rate_limited, "too many requests from your address; slow down", version, req.keep_alive());
    res.set(http::field::retry_after, std::to_string(client_.retry_after_seconds()));
    return send(std::move(res), route_pattern(path), false);
  }
  if (beast::websocket::is_upgrade(req)) return upgrade();

  request_context ctx{id_, &bucket_, client_.address()};
  auto routed = handle_request(state_, req, ctx);
  if (routed.deferred) return defer(routed);
  send(std::move(routed.response), routed.route, false);
}

void http_session::defer(const routed_response& routed) {
  // Busy as if writing: a shutdown lets the answer come and be written first. No deadline while
  // staff threads work; theirs is the queue's bound, and the write gets its own.
  writing_ = true;
  stream_.expires_never();
  routed.deferred([self = self<http_session>(), route = routed.route](http_response res) {
    auto executor = self->stream_.get_executor();
    net::post(executor, [self, route, res = std::move(res)]() mutable {
      self->send(std::move(res), route, false);
    });
  });
}

bool http_session::identify_client() {
  // Behind a trusted proxy the client is whom its X-Forwarded-For names, request by request;
  // the connection counts against that client's address.
  if (client_counted_ && !state_.proxies.contains(peer_)) return true;
  const ip_address client = client_address(peer_, parser_->get()["X-Forwarded-For"], state_.proxies);
  if (client_counted_ && client == client_.address()) return true;
  auto slot = state_.clients.open(client);
  if (!slot) return false;
  client_ = std::move(*slot);
  client_counted_ = true;
  remote_ = state_.loggable(client);
  return true;
}

void http_session::answer_refused(beast::error_code ec) {
  if (grace_) grace_->cancel();
  // Shut down, gone, or the server's own timeout: nothing to answer.
  if (closing_ || ec == beast::error::timeout || ec == http::error::end_of_stream) return stream_.close();
  const bool read = !ec;
  const unsigned version = read && parser_->get().version() ? parser_->get().version() : 11;
  if (read && framing_problem(parser_->get()).empty()) {
    const auto& req = parser_->get();
    const std::string_view path = path_of(req.target());
    // Monitoring still sees the server while it is full: a flood must not fail health checks.
    if (is_monitoring(path) && (req.method() == http::verb::get || req.method() == http::verb::head)) {
      request_context ctx{id_, &bucket_, peer_};
      auto routed = handle_request(state_, req, ctx);
      return send(std::move(routed.response), routed.route, true);
    }
  } else if (ec && ec != net::error::operation_aborted && ec.category() != http::make_error_code(http::error::bad_target).category()) {
    return stream_.close();  // reset by the peer: no one to tell
  }
  // Counted here, not when accepted: a health check let through was not turned away.
  if (refused_ == refusal::server_full) state_.stats.count_rejected_connection();
  else state_.stats.count_address_refused();
  auto res = error_response(wire_error::unavailable,
                            refused_ == refusal::server_full ? "the server is at its connection limit; try again shortly"
                                                            : "too many connections from your address; try again shortly",
                            version, false);
  res.set(http::field::retry_after, "5");
  send(std::move(res), "rejected", true);
}

void http_session::upgrade() {
  const auto& req = parser_->get();
  const std::string_view target = req.target();
  if (target.substr(0, target.find('?')) != "/ws")
    return send(error_response(wire_error::not_found, "WebSocket connections are served on /ws only", req.version(), false),
                "other", true);
  if (closing_)
    return send(error_response(wire_error::unavailable, "the server is shutting down", req.version(), false), "/ws", true);
  // Browsers always send Origin; a page on another site must not embed the clinic's
  // assistant. Clients that send none are not browsers, and could send any Origin they liked.
  const auto& allowed = state_.options.allowed_origins;
  const auto origin = req[http::field::origin];
  if (!allowed.empty() && !origin.empty() &&
      std::none_of(allowed.begin(), allowed.end(), [&](const std::string& o) { return beast::iequals(o, origin); }))
    return send(error_response(wire_error::forbidden, "this origin may not use the assistant", req.version(), false), "/ws",
                true);

  // The handshake's status is logged and counted by the WebSocket session, which knows it.
  // The connection moves to the WebSocket session: count it there only, so that a client
  // opening connections one after another never sees itself counted twice against the cap.
  if (registered_) {
    state_.sessions.remove(id_);
    state_.stats.connection_closed(connection_kind::http);
    registered_ = false;
  }
  // The WebSocket session takes the socket and the upgrade request; this session ends here.
  auto session = std::make_shared<websocket_session>(stream_.release_socket(), state_, remote_, std::move(client_));
  session->run(parser_->release());
}

void http_session::send(http_response res, std::string_view route, bool close_after) {
  const auto status = res.result_int();
  state_.stats.count_request(route, status);
  const auto& req = parser_->get();
  const std::string target = redact_request_target(req.target());
  state_.log.write({{"event", "http"},
                    {"conn", id_},
                    {"remote", remote_},
                    {"method", std::string(req.method_string())},
                    {"target", std::string(utf8_prefix(target, logged_target_bytes))},
                    {"route", route},
                    {"status", status},
                    {"bytes", res.body().size()},
                    {"duration_us", std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                          request_started_)
                                        .count()}});
  if (close_after || closing_) res.keep_alive(false);
  const bool keep_alive = res.keep_alive();
  writing_ = true;
  stream_.expires_after(state_.options.limits.handshake_timeout);
  beast::async_write(stream_, http::message_generator(std::move(res)),
                     beast::bind_front_handler(&http_session::on_write, self<http_session>(), keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) return;  // the client went away or the deadline passed; the socket is done either way
  if (!keep_alive || closing_) return do_close();
  do_read();
}

void http_session::do_close() {
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  do_drain();
}

void http_session::do_drain() {
  if (closing_) return stream_.close();
  stream_.expires_after(drain_time);
  stream_.async_read_some(net::buffer(drain_buffer_), beast::bind_front_handler(&http_session::on_drain, self<http_session>()));
}

void http_session::on_drain(beast::error_code ec, std::size_t bytes) {
  drained_ += bytes;
  // EOF (the client closed too), the deadline, or enough swallowed: close for good.
  if (ec || drained_ > drain_limit) return stream_.close();
  do_drain();
}

}  // namespace cited::web
