#pragma once
// One HTTP connection: reads requests one at a time (each with a fresh parser, a body limit
// and a deadline), answers them through http_routes, and hands the socket to a
// websocket_session when a request asks to upgrade on /ws.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "http_routes.hpp"
#include "rate_limiter.hpp"
#include "server_state.hpp"
#include "session_registry.hpp"

namespace cited::web {

class http_session : public session_base {
 public:
  // over_capacity: the server is full; answer 503 to whatever comes and close.
  http_session(connection_socket&& socket, server_state& state, bool over_capacity);
  ~http_session() override;

  void run();
  void shutdown() override;

 private:
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
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
  token_bucket bucket_;
  std::chrono::steady_clock::time_point request_started_;
  std::array<char, 4096> drain_buffer_{};
  std::size_t drained_ = 0;
  bool over_capacity_;
  bool registered_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace cited::web
