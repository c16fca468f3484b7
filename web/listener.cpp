#include "listener.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <optional>
#include <stdexcept>

#include "http_session.hpp"

namespace cited::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

listener::listener(net::io_context& ioc, tcp::endpoint endpoint, server_state& state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), backoff_(acceptor_.get_executor()), state_(state) {
  boost::system::error_code ec;
  auto check = [&](const char* what) {
    if (ec) throw std::runtime_error(std::string("cannot ") + what + " " + endpoint.address().to_string() + ":" +
                                     std::to_string(endpoint.port()) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  check("open a socket for");
  // A restarted server must not wait out TIME_WAIT from its previous life.
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  check("set SO_REUSEADDR on");
  acceptor_.bind(endpoint, ec);
  check("listen on");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  check("listen on");
}

void listener::run() {
  // The acceptor lives on its own strand; start there so stop() and accepts never overlap.
  net::dispatch(acceptor_.get_executor(), boost::beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->stopped_ = true;
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
    self->backoff_.cancel();
  });
}

void listener::do_accept() {
  if (stopped_) return;
  // Each connection gets its own strand: its handlers never run on two threads at once.
  acceptor_.async_accept(net::make_strand(ioc_), boost::beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(boost::system::error_code ec, connection_socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec) {
    state_.log.write({{"event", "error"}, {"where", "accept"}, {"what", ec.message()}});
    // Out of descriptors: accepting again at once would spin. Give closing connections a moment.
    if (ec == net::error::no_descriptors || ec == net::error::no_buffer_space || ec == net::error::no_memory) {
      backoff_.expires_after(std::chrono::milliseconds(100));
      backoff_.async_wait([self = shared_from_this()](boost::system::error_code) { self->do_accept(); });
      return;
    }
    return do_accept();
  }
  // Past the server's cap, or its address's: the session only answers 503 (or a health check).
  // A trusted proxy's connection counts against the client its requests name, once they do.
  const ip_address peer = peer_address(socket);
  refusal refused = refusal::none;
  std::optional<client_slot> slot;
  if (state_.sessions.size() >= state_.options.limits.max_connections) refused = refusal::server_full;
  else if (state_.proxies.contains(peer)) slot.emplace(nullptr, peer);
  else if (!(slot = state_.clients.open(peer))) refused = refusal::address_full;
  std::make_shared<http_session>(std::move(socket), state_, slot ? std::move(*slot) : client_slot(nullptr, peer), refused)->run();
  do_accept();
}

}  // namespace cited::web
