#pragma once
// One WebSocket chat on /ws: reads one JSON message at a time, answers on this I/O thread
// with the conversation this connection remembers, and writes replies one at a time from a
// small queue. When the queue (plus feedback waiting for the disk) is full it stops reading,
// so a client that never reads cannot make the server hold more than write_queue replies.
//
// Idle connections: Beast keeps the handshake and close deadlines; the idle one is kept here,
// by a timer that wakes once per half idle timeout rather than being re-armed on every read
// (which costs a cancel, a re-insert and a completion per message). Silent for half the idle
// timeout: pinged; silent for as long again: dropped. Whole messages and pings and pongs count
// as heard.
//
// Unfinished messages: a message is read a piece at a time, so that what it holds is known
// before more of it is read. It must keep coming, each 64 KiB of it within message_timeout,
// and nothing else extends that: a client that answers pings but never ends its message is cut
// off. What it holds is reserved from the server-wide message_budget; past
// max_message_bytes, or when the budget has no room, the rest of it is read and dropped, and
// it gets too_large when it ends. So a message pins at most max_message_bytes, and all of them
// together at most max_buffered_bytes.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "client_limits.hpp"
#include "conversation.hpp"
#include "handoff.hpp"
#include "protocol.hpp"
#include "rate_limiter.hpp"
#include "connection_socket.hpp"
#include "server_state.hpp"
#include "session_registry.hpp"

namespace cited::web {

class websocket_session : public session_base {
 public:
  // remote: the client as the log shows it; client: its per-address share, now this session's.
  websocket_session(connection_socket&& socket, server_state& state, std::string remote, client_slot client);
  ~websocket_session() override;

  // Completes the handshake for the upgrade request that http_session read.
  void run(const boost::beast::http::request<boost::beast::http::string_body>& upgrade);
  void shutdown() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_piece();
  void drop_rest_of_message(bool over_budget);
  void end_message();
  std::chrono::steady_clock::time_point message_deadline() const;
  void cut_off(std::string why);
  void handle(std::string_view frame, bool within_rate);
  void handle_ask(ask_message& m);
  void handle_feedback(feedback_message& m);
  void handle_reset(reset_message& m);
  void handle_handoff(handoff_message& m);
  void on_handoff_stored(std::optional<std::string> id, std::optional<std::string> handoff_id);
  void handle_rejected(const rejected_message& m);
  void on_feedback_stored(const std::string& answer_id, std::optional<std::string> id, std::optional<std::string> failure);
  void send(std::string frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void on_shutdown();
  void maybe_close();
  void on_close(boost::beast::error_code ec);
  void resume_reading();
  void ended(std::string_view why, int close_code);
  void arm_idle_timer(std::chrono::steady_clock::time_point at);
  void on_idle_timer(boost::beast::error_code ec);

  // On the socket itself: the WebSocket stream keeps the handshake and close deadlines and the
  // idle timer below the idle one, so a tcp_stream's would only be overhead. No permessage-deflate: it was never offered.
  boost::beast::websocket::stream<connection_socket, false> ws_;
  boost::beast::flat_buffer buffer_;
  boost::asio::basic_waitable_timer<std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>,
                                    connection_strand>
      idle_timer_;
  std::chrono::steady_clock::time_point last_heard_;
  std::optional<std::chrono::steady_clock::time_point> pinged_at_;  // the last keep-alive ping
  std::chrono::steady_clock::time_point timer_at_;  // when the idle timer wakes next
  std::deque<std::string> queue_;
  conversation conversation_;
  token_bucket bucket_;
  client_slot client_;
  // The answers given here, the latest last: feedback is taken once for each.
  std::deque<std::string> given_answers_;
  // The message being read.
  std::size_t message_bytes_ = 0;   // received so far, dropped bytes too
  std::size_t reserved_ = 0;        // of state_.budget
  std::optional<std::chrono::steady_clock::time_point> message_started_;  // when its latest 64 KiB began
  std::size_t message_block_ = 0;   // which 64 KiB of it that is
  bool dropping_ = false;           // past a limit: read and dropped, then too_large
  bool over_budget_ = false;        // the limit was the server's budget
  std::string cut_reason_;          // why our own timer closed the socket
  unsigned handshake_status_ = 0;   // the status our handshake response had
  server_state& state_;
  std::uint64_t id_;
  std::string remote_;
  std::string conversation_id_;  // random; names this conversation in the log, never the address
  transcript transcript_;        // what goes with a hand-off
  std::size_t pending_feedback_ = 0;
  std::size_t pending_handoffs_ = 0;
  bool registered_ = false;
  bool open_ = false;       // handshake done, not yet failed or closed
  bool reading_ = false;
  bool closing_ = false;    // shutdown asked for; close once the queue is empty
  bool close_sent_ = false;
  bool end_logged_ = false;
  bool ping_in_flight_ = false;
  bool timed_out_ = false;  // our timer closed the socket (see cut_reason_)
};

}  // namespace cited::web
