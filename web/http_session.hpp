#pragma once
// One HTTP connection: reads requests one at a time (each with a fresh parser, a body limit
// and a deadline), answers them through http_routes, and hands the socket to a
// websocket_session when a request asks to upgrade on /ws.
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "client_limits.hpp"
#include "http_routes.hpp"
#include "rate_limiter.hpp"
#include "connection_socket.hpp"
#include "server_state.hpp"
#include "session_registry.hpp"

namespace cited::web {

// Why a connection is turned away: it gets 503 (or /healthz and /metrics) and is closed.
enum class refusal { none, server_full, address_full };

class http_session : public session_base {
 public:
  // client: the connection's share of its address (see client_limits.hpp); refused: the
  // server, or the client's address, has all the connections it may have open.
  http_session(connection_socket&& socket, server_state& state, client_slot client, refusal refused);
  ~http_session() override;

  void run();
  void shutdown() override;

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void answer_refused(boost::beast::error_code ec);
  bool identify_client();
  void upgrade();
  void defer(const routed_response& routed);
  void send(http_response res, std::string_view route, bool close_after);
  void on_write(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void do_drain();
  void on_drain(boost::beast::error_code ec, std::size_t bytes);
  void on_shutdown();

  boost::beast::basic_stream<boost::asio::ip::tcp, connection_strand> stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  server_state& state_;
  std::uint64_t id_;
  std::string remote_;
  ip_address peer_;
  client_slot client_;
  bool client_counted_;  // client_ counts against an address (a trusted proxy's is not, until a request names its client)
  token_bucket bucket_;
  // A refused connection gets a moment to say what it wants (it may be a health check) before its 503.
  std::optional<boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                  boost::asio::wait_traits<std::chrono::steady_clock>, connection_strand>>
      grace_;
  std::chrono::steady_clock::time_point request_started_;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
  refusal refused_;
  bool registered_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace cited::web
