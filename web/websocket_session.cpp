#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

#include <exception>

#include "answering.hpp"
#include "redact.hpp"
#include "utf8.hpp"

namespace cited::web {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
namespace http = beast::http;

namespace {

// A read buffer grown by one large message is given back, so that ten thousand idle
// connections do not each keep the biggest message they ever saw.
constexpr std::size_t kept_buffer_bytes = 16 * 1024;
constexpr std::size_t logged_comment_bytes = 300;
constexpr const char* rate_limited_message = "too many messages; wait a moment and try again";

const std::optional<std::string>& id_of(const client_message& m) {
  return std::visit([](const auto& x) -> const std::optional<std::string>& { return x.id; }, m);
}

}  // namespace

websocket_session::websocket_session(connection_socket&& socket, server_state& state, std::string remote)
    : ws_(std::move(socket)),
      idle_timer_(ws_.get_executor()),
      bucket_(state.options.limits.rate_limit, state.options.limits.rate_burst),
      state_(state),
      id_(state.sessions.next_id()),
      remote_(std::move(remote)),
      conversation_id_(new_conversation_id()),
      transcript_(handoffs_enabled(state) ? state.options.staff.transcript_turns : 0) {}

websocket_session::~websocket_session() {
  if (!registered_) return;
  state_.sessions.remove(id_);
  state_.stats.connection_closed(connection_kind::websocket);
}

void websocket_session::run(const http::request<http::string_body>& upgrade) {
  registered_ = state_.sessions.add(id_, weak_from_this());
  if (!registered_) return;  // the server is stopping: dropping the socket closes it
  state_.stats.connection_opened(connection_kind::websocket);
  const auto& limits = state_.options.limits;
  // Handshake and close must finish in time (Beast's deadlines); the idle timeout is ours (see
  // the header).
  ws_.set_option(websocket::stream_base::timeout{limits.handshake_timeout, websocket::stream_base::none(), false});
  // Pings and pongs from the peer are signs of life; so is a close frame.
  ws_.control_callback([this](websocket::frame_type, beast::string_view) { last_heard_ = std::chrono::steady_clock::now(); });
  // The 16 MB default would let one message take that much memory; past this: close 1009.
  ws_.read_message_max(limits.read_message_max);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) { res.set(http::field::server, "cited"); }));
  // We are on the connection's strand already (http_session's handler); the socket keeps it.
  ws_.async_accept(upgrade, beast::bind_front_handler(&websocket_session::on_accept, self<websocket_session>()));
}

void websocket_session::shutdown() {
  net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_shutdown, self<websocket_session>()));
}

void websocket_session::on_accept(beast::error_code ec) {
  if (ec) return ended("handshake failed: " + ec.message(), 0);
  open_ = true;
  state_.log.write({{"event", "ws_open"}, {"conn", id_}, {"remote", remote_}});
  last_heard_ = std::chrono::steady_clock::now();
  arm_idle_timer(last_heard_ + state_.options.limits.idle_timeout / 2);
  if (closing_) return maybe_close();
  do_read();
}

void websocket_session::do_read() {
  reading_ = true;
  ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read, self<websocket_session>()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  last_heard_ = std::chrono::steady_clock::now();
  if (ec) {
    if (timed_out_) return ended(beast::error_code(beast::error::timeout).message(), 0);
    // Beast has already sent the close frame the RFC asks for on these two.
    if (ec == websocket::error::bad_frame_payload) return ended("invalid UTF-8 in a text frame", 1007);
    if (ec == websocket::error::message_too_big) return ended("message larger than read_message_max", 1009);
    if (ec == websocket::error::closed) return ended("closed", ws_.reason().code);
    return ended(ec.message(), 0);
  }
  // Shutting down: what arrives now is not answered; the close frame is on its way.
  if (closing_) return;

  const auto& limits = state_.options.limits;
  // Every message counts against the rate limit, malformed ones too: they cost us as much.
  const bool within_rate = bucket_.try_take();
  const bool readable = ws_.got_text() && bytes <= limits.max_message_bytes;
  if (!within_rate && !readable) {
    handle_rejected({std::nullopt, wire_error::rate_limited, rate_limited_message});
  } else if (!ws_.got_text()) {
    handle_rejected({std::nullopt, wire_error::bad_request, "binary frames are not accepted; send JSON as text"});
  } else if (bytes > limits.max_message_bytes) {
    handle_rejected({std::nullopt, wire_error::too_large,
                     "the message is larger than " + std::to_string(limits.max_message_bytes) + " bytes"});
  } else {
    const auto data = buffer_.cdata();
    handle(std::string_view(static_cast<const char*>(data.data()), data.size()), within_rate);
  }
  buffer_.consume(buffer_.size());
  if (buffer_.capacity() > kept_buffer_bytes) buffer_.shrink_to_fit();
  resume_reading();
}

void websocket_session::handle(std::string_view frame, bool within_rate) {
  client_message message = parse_client_message(frame, state_.options.limits.messages);
  // Parsed even when over the limit, so that the refusal names the message it refuses.
  if (!within_rate)
    return handle_rejected({id_of(message), wire_error::rate_limited, rate_limited_message});
  std::visit(
      [this](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ask_message>) handle_ask(m);
        else if constexpr (std::is_same_v<T, feedback_message>) handle_feedback(m);
        else if constexpr (std::is_same_v<T, reset_message>) handle_reset(m);
        else if constexpr (std::is_same_v<T, handoff_message>) handle_handoff(m);
        else handle_rejected(m);
      },
      message);
}

void websocket_session::handle_ask(ask_message& m) {
  try {
    auto a = answer_question(state_, m.text, &conversation_, m.id, id_, "ws", conversation_id_);
    transcript_.add(m.text, a.json);
    send(std::move(a.json));
  } catch (const std::exception& e) {
    state_.log.write({{"event", "error"}, {"conn", id_}, {"where", "ask"}, {"what", e.what()}});
    handle_rejected({m.id, wire_error::internal, "something went wrong on our side; please ask again"});
  }
}

void websocket_session::handle_feedback(feedback_message& m) {
  const std::string redacted = redact_personal_data(m.what.comment);
  state_.log.write({{"event", "feedback"},
                    {"conn", id_},
                    {"answer_id", m.what.answer_id},
                    {"helpful", m.what.helpful},
                    {"comment", std::string(utf8_prefix(redacted, logged_comment_bytes))}});
  ++pending_feedback_;
  std::string answer_id = m.what.answer_id;
  // The writer thread reports back; the report is posted onto this connection's strand.
  state_.writer.submit(std::move(m.what),
                       [self = self<websocket_session>(), executor = ws_.get_executor(), answer_id = std::move(answer_id),
                        id = m.id](std::optional<std::string> failure) mutable {
                         net::post(executor, [self, answer_id = std::move(answer_id), id = std::move(id),
                                              failure = std::move(failure)]() mutable {
                           self->on_feedback_stored(answer_id, std::move(id), std::move(failure));
                         });
                       });
}

void websocket_session::on_feedback_stored(const std::string& answer_id, std::optional<std::string> id,
                                           std::optional<std::string> failure) {
  --pending_feedback_;
  state_.stats.count_feedback(!failure);
  if (failure) {
    state_.log.write({{"event", "error"}, {"conn", id_}, {"where", "feedback"}, {"what", *failure}});
    handle_rejected({std::move(id), wire_error::internal, "your feedback could not be saved; please try again later"});
  } else {
    // Sent only now: the row is committed.
    send(feedback_saved_frame(answer_id, id));
  }
  resume_reading();
  maybe_close();
}

void websocket_session::handle_reset(reset_message& m) {
  conversation_.clear();
  // A new conversation, in the log and for a hand-off too.
  transcript_.clear();
  conversation_id_ = new_conversation_id();
  send(reset_done_frame(m.id));
}

void websocket_session::handle_handoff(handoff_message& m) {
  if (!handoffs_enabled(state_))
    return handle_rejected({m.id, wire_error::bad_request,
                            "this clinic takes questions through its contact details; the hand-off is not available here"});
  ++pending_handoffs_;
  // The writer reports back once the row is committed; the report is posted onto this strand.
  save_handoff(state_, std::move(m.what), m.id, transcript_.to_json(), conversation_id_, "ws", id_,
               [self = self<websocket_session>(), executor = ws_.get_executor(), id = m.id](
                   std::optional<std::string> handoff_id, const std::optional<std::string>&) mutable {
                 net::post(executor, [self, id = std::move(id), handoff_id = std::move(handoff_id)]() mutable {
                   self->on_handoff_stored(std::move(id), std::move(handoff_id));
                 });
               });
}

void websocket_session::on_handoff_stored(std::optional<std::string> id, std::optional<std::string> handoff_id) {
  --pending_handoffs_;
  // "Sent" only now, with the row committed; a failure says so, and the widget keeps the form.
  if (handoff_id) send(handoff_saved_frame(*handoff_id, id));
  else handle_rejected({std::move(id), wire_error::internal, "your message could not be saved; please try again"});
  resume_reading();
  maybe_close();
}

void websocket_session::handle_rejected(const rejected_message& m) {
  state_.stats.count_error(m.code);
  send(error_frame(m.code, m.message, m.id));
}

void websocket_session::send(std::string frame) {
  if (!open_ || close_sent_) return;
  queue_.push_back(std::move(frame));
  // One write in flight: the others wait their turn, front first.
  if (queue_.size() == 1) do_write();
}

void websocket_session::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(queue_.front()), beast::bind_front_handler(&websocket_session::on_write, self<websocket_session>()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
  if (ec) {
    // The peer is gone; the pending read ends the session.
    queue_.clear();
    open_ = false;
    return;
  }
  queue_.pop_front();
  if (!queue_.empty()) return do_write();
  maybe_close();
  resume_reading();
}

void websocket_session::resume_reading() {
  if (reading_ || !open_ || closing_) return;
  if (queue_.size() + pending_feedback_ + pending_handoffs_ >= state_.options.limits.write_queue) return;  // on_write resumes
  do_read();
}

void websocket_session::on_shutdown() {
  closing_ = true;
  maybe_close();
}

void websocket_session::maybe_close() {
  // Close only once every answer and feedback reply in flight has been written.
  if (!closing_ || close_sent_ || !open_ || !queue_.empty() || pending_feedback_ > 0 || pending_handoffs_ > 0) return;
  close_sent_ = true;
  ws_.async_close(websocket::close_code::going_away, beast::bind_front_handler(&websocket_session::on_close, self<websocket_session>()));
}

void websocket_session::on_close(beast::error_code ec) {
  ended(ec ? "server shutdown: " + ec.message() : std::string("server shutdown"), 1001);
}

void websocket_session::arm_idle_timer(std::chrono::steady_clock::time_point at) {
  idle_timer_.expires_at(at);
  // A weak pointer: the timer must not keep a finished session alive until it fires.
  idle_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock()) std::static_pointer_cast<websocket_session>(self)->on_idle_timer(ec);
  });
}

void websocket_session::on_idle_timer(beast::error_code ec) {
  // Cancelled (the session ended), or closing: the close has Beast's deadline.
  if (ec || !open_ || close_sent_) return;
  const auto half = state_.options.limits.idle_timeout / 2;
  const auto now = std::chrono::steady_clock::now();
  if (now < last_heard_ + half) return arm_idle_timer(last_heard_ + half);
  if (!pinged_at_ || last_heard_ > *pinged_at_) {
    // Silent for half the timeout: ask for a sign of life.
    pinged_at_ = now;
    if (!ping_in_flight_) {
      ping_in_flight_ = true;
      ws_.async_ping({}, [weak = weak_from_this()](beast::error_code) {
        if (auto self = weak.lock()) std::static_pointer_cast<websocket_session>(self)->ping_in_flight_ = false;
      });
    }
    return arm_idle_timer(now + half);
  }
  // Pinged half the timeout ago and nothing since, not even the pong: let it go. Closing the
  // socket ends the pending read and write, as Beast's own idle timeout did.
  timed_out_ = true;
  beast::error_code ignored;
  ws_.next_layer().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  ws_.next_layer().close(ignored);
}

void websocket_session::ended(std::string_view why, int close_code) {
  open_ = false;
  idle_timer_.cancel();
  // A shutdown ends a session twice over (the close completes, then the pending read): log once.
  if (end_logged_) return;
  end_logged_ = true;
  nlohmann::json line{{"event", "ws_close"}, {"conn", id_}, {"why", why}};
  if (close_code) line["code"] = close_code;
  state_.log.write(line);
}

}  // namespace cited::web
