#include "websocket_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>

#include <algorithm>
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
// A message is read in pieces of at most this much, so that a frame header claiming a
// megabyte does not make us set aside a megabyte before a byte of it has come.
constexpr std::size_t read_piece_bytes = 64 * 1024;
// The rest of a message that is not kept is read into this little and dropped.
constexpr std::size_t dropped_piece_bytes = 4 * 1024;
// Answers remembered for feedback: the conversation's recent ones are what patients rate.
constexpr std::size_t remembered_answers = 64;
constexpr const char* rate_limited_message = "too many messages; wait a moment and try again";

const std::optional<std::string>& id_of(const client_message& m) {
  return std::visit([](const auto& x) -> const std::optional<std::string>& { return x.id; }, m);
}

}  // namespace

websocket_session::websocket_session(connection_socket&& socket, server_state& state, std::string remote,
                                     client_slot client)
    : ws_(std::move(socket)),
      buffer_(state.options.limits.max_message_bytes + 1),
      idle_timer_(ws_.get_executor()),
      bucket_(state.options.limits.rate_limit, state.options.limits.rate_burst),
      client_(std::move(client)),
      state_(state),
      id_(state.sessions.next_id()),
      remote_(std::move(remote)),
      conversation_id_(new_conversation_id()),
      transcript_(handoffs_enabled(state) ? state.options.staff.transcript_turns : 0) {}

websocket_session::~websocket_session() {
  end_message();
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
  ws_.set_option(websocket::stream_base::decorator([this](websocket::response_type& res) {
    res.set(http::field::server, "cited");
    handshake_status_ = res.result_int();
    if (res.result() == http::status::switching_protocols) return;
    // Beast refuses a bad handshake in plain text; the contract's errors are JSON.
    const std::string why = res.body();
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.body() = http_error_body(wire_error::bad_request, "not a WebSocket handshake this server accepts: " + why);
    res.prepare_payload();
  }));
  // We are on the connection's strand already (http_session's handler); the socket keeps it.
  ws_.async_accept(upgrade, beast::bind_front_handler(&websocket_session::on_accept, self<websocket_session>()));
}

void websocket_session::shutdown() {
  net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_shutdown, self<websocket_session>()));
}

void websocket_session::on_accept(beast::error_code ec) {
  // The handshake's line in the log, with the status it really got.
  const unsigned status = handshake_status_ ? handshake_status_ : 400;
  state_.stats.count_request("/ws", status);
  state_.log.write({{"event", "http"},
                    {"conn", id_},
                    {"remote", remote_},
                    {"method", "GET"},
                    {"target", "/ws"},
                    {"route", "/ws"},
                    {"status", status}});
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
  // A piece at a time (see the header); one byte past max_message_bytes tells us it is too big.
  const std::size_t max = state_.options.limits.max_message_bytes;
  const std::size_t limit =
      dropping_ ? dropped_piece_bytes : std::min(read_piece_bytes, max + 1 - std::min(buffer_.size(), max));
  ws_.async_read_some(buffer_, limit, beast::bind_front_handler(&websocket_session::on_read, self<websocket_session>()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t bytes) {
  reading_ = false;
  if (ec) {
    end_message();
    if (timed_out_) return ended(cut_reason_, 0);
    // Beast has already sent the close frame the RFC asks for on these two.
    if (ec == websocket::error::bad_frame_payload) return ended("invalid UTF-8 in a text frame", 1007);
    if (ec == websocket::error::message_too_big) return ended("message larger than read_message_max", 1009);
    if (ec == websocket::error::closed) return ended("closed", ws_.reason().code);
    return ended(ec.message(), 0);
  }
  // Shutting down: what arrives now is not answered; the close frame is on its way.
  if (closing_) return end_message();
  message_bytes_ += bytes;
  if (!ws_.is_message_done()) return on_piece();
  // A whole message is a sign of life; a piece of one is not.
  last_heard_ = std::chrono::steady_clock::now();

  const auto& limits = state_.options.limits;
  // Every message counts against the rate limits, malformed ones too: they cost us as much.
  // The connection's own first, then its address's, shared with its other connections.
  bool within_rate = bucket_.try_take();
  if (within_rate && !client_.try_take(last_heard_)) {
    within_rate = false;
    state_.stats.count_address_rate_limited();
  }
  const bool too_large = dropping_ || message_bytes_ > limits.max_message_bytes;
  const bool readable = ws_.got_text() && !too_large;
  if (!within_rate && !readable) {
    handle_rejected({std::nullopt, wire_error::rate_limited, rate_limited_message});
  } else if (!ws_.got_text()) {
    handle_rejected({std::nullopt, wire_error::bad_request, "binary frames are not accepted; send JSON as text"});
  } else if (too_large) {
    handle_rejected({std::nullopt, wire_error::too_large,
                     over_budget_ ? std::string("the server is busy reading other long messages; send a shorter one")
                                  : "the message is larger than " + std::to_string(limits.max_message_bytes) + " bytes"});
  } else {
    const auto data = buffer_.cdata();
    handle(std::string_view(static_cast<const char*>(data.data()), data.size()), within_rate);
  }
  end_message();
  resume_reading();
}

void websocket_session::on_piece() {
  // Part of a message has come and more is to follow. Each 64 KiB begun starts its time anew.
  const std::size_t block = message_bytes_ / (64 * 1024);
  if (!message_started_ || block != message_block_) {
    const bool first = !message_started_;
    message_started_ = std::chrono::steady_clock::now();
    message_block_ = block;
    // Its deadline, unless the timer wakes before it anyway (later blocks' deadlines are later).
    if (first && message_deadline() < timer_at_) arm_idle_timer(message_deadline());
  }
  if (dropping_) {
    buffer_.consume(buffer_.size());
  } else if (buffer_.size() > state_.options.limits.max_message_bytes) {
    drop_rest_of_message(false);
  } else if (buffer_.capacity() > reserved_) {
    // What the message holds while we wait for the rest of it comes out of the budget.
    if (state_.budget.reserve(buffer_.capacity() - reserved_)) reserved_ = buffer_.capacity();
    else drop_rest_of_message(true);
  }
  do_read();
}

void websocket_session::drop_rest_of_message(bool over_budget) {
  dropping_ = true;
  over_budget_ = over_budget;
  buffer_.clear();
  buffer_.shrink_to_fit();
  state_.budget.release(reserved_);
  reserved_ = 0;
}

void websocket_session::end_message() {
  if (reserved_) state_.budget.release(reserved_);
  reserved_ = 0;
  message_bytes_ = 0;
  message_started_.reset();
  dropping_ = false;
  over_budget_ = false;
  buffer_.consume(buffer_.size());
  if (buffer_.capacity() > kept_buffer_bytes) buffer_.shrink_to_fit();
}

std::chrono::steady_clock::time_point websocket_session::message_deadline() const {
  // message_timeout for each 64 KiB: a patient's message arrives in one go; a long one on a
  // slow line gets time in proportion, as long as it keeps coming; one that stops is cut
  // message_timeout after its last 64 KiB began.
  return *message_started_ + state_.options.limits.message_timeout;
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
    answered a = answer_question(state_, m.text, &conversation_, m.id, id_, "ws", conversation_id_);
    transcript_.add(m.text, a.json);
    // Only an answer given here may be rated here.
    if (given_answers_.size() >= remembered_answers) given_answers_.pop_front();
    given_answers_.push_back(std::move(a.answer_id));
    send(std::move(a.json));
  } catch (const std::exception& e) {
    state_.log.write({{"event", "error"}, {"conn", id_}, {"where", "ask"}, {"what", e.what()}});
    handle_rejected({m.id, wire_error::internal, "something went wrong on our side; please ask again"});
  }
}

void websocket_session::handle_feedback(feedback_message& m) {
  // Only for an answer this server gave: on this connection, or over HTTP to this client a
  // little while ago; and once. Anything else is someone filling the store.
  const auto given = std::find(given_answers_.begin(), given_answers_.end(), m.what.answer_id);
  if (given != given_answers_.end()) given_answers_.erase(given);
  else if (!state_.http_answers.take(m.what.answer_id, limit_key(client_.address())))
    return handle_rejected({m.id, wire_error::bad_request,
                            "feedback is taken once for each answer this server gave you, and this is not one"});
  // What the patient wrote is stored as it is logged: without their contact details.
  m.what.comment = redact_personal_data(m.what.comment);
  state_.log.write({{"event", "feedback"},
                    {"conn", id_},
                    {"answer_id", m.what.answer_id},
                    {"helpful", m.what.helpful},
                    {"comment", std::string(utf8_prefix(m.what.comment, logged_comment_bytes))}});
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
  timer_at_ = at;
  idle_timer_.expires_at(at);
  // A weak pointer: the timer must not keep a finished session alive until it fires.
  idle_timer_.async_wait([weak = weak_from_this()](beast::error_code ec) {
    if (auto self = weak.lock()) std::static_pointer_cast<websocket_session>(self)->on_idle_timer(ec);
  });
}

void websocket_session::on_idle_timer(beast::error_code ec) {
  // Cancelled (re-armed, or the session ended), or closing: the close has Beast's deadline.
  if (ec || !open_ || close_sent_) return;
  const auto half = state_.options.limits.idle_timeout / 2;
  const auto now = std::chrono::steady_clock::now();
  // A message begun must be finished by its own deadline, pongs or not.
  if (message_started_ && now >= message_deadline()) {
    state_.stats.count_message_cut();
    return cut_off("the message was not finished in time");
  }
  auto wake = last_heard_ + half;
  if (now >= wake) {
    if (pinged_at_ && last_heard_ <= *pinged_at_) {
      // Pinged half the timeout ago and nothing since, not even the pong: let it go.
      return cut_off(beast::error_code(beast::error::timeout).message());
    }
    // Silent for half the timeout: ask for a sign of life.
    pinged_at_ = now;
    if (!ping_in_flight_) {
      ping_in_flight_ = true;
      ws_.async_ping({}, [weak = weak_from_this()](beast::error_code) {
        if (auto self = weak.lock()) std::static_pointer_cast<websocket_session>(self)->ping_in_flight_ = false;
      });
    }
    wake = now + half;
  }
  if (message_started_) wake = std::min(wake, message_deadline());
  arm_idle_timer(wake);
}

void websocket_session::cut_off(std::string why) {
  // Closing the socket ends the pending read and write, as Beast's own idle timeout did; the
  // read's handler then ends the session with this reason.
  timed_out_ = true;
  cut_reason_ = std::move(why);
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
