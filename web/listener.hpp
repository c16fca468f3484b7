#pragma once
// Accepts connections and hands each to an http_session on a strand of its own; past the
// connection cap, or its client address's share, the session it makes only answers 503.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

#include "connection_socket.hpp"
#include "server_state.hpp"

namespace cited::web {

class listener : public std::enable_shared_from_this<listener> {
 public:
  // Opens, binds and listens; throws std::runtime_error naming what failed.
  listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint, server_state& state);

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void run();
  // Stops accepting; safe from any thread.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, connection_socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
  server_state& state_;
  bool stopped_ = false;
};

}  // namespace cited::web
