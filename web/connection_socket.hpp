#pragma once
// A connection's socket and strand, for what handles connections (listener, http_session,
// websocket_session, server.cpp). Kept out of server_state.hpp, which most of web/ includes:
// these Asio headers (the socket, the strand, io_context) are among the heaviest, and the routes
// and the staff and knowledge APIs never touch a socket. Internal to web/.
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <string>

#include "client_address.hpp"

namespace cited::web {

// A connection's strand, and its socket bound to it. The executor's type is spelled out rather
// than erased (tcp::socket's any_io_executor): every operation on a connection goes through it,
// and the type-erased one costs a copy and a virtual call each time.
using connection_strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using connection_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, connection_strand>;

// "ip:port" of the peer, for logs; empty when the socket has none.
std::string remote_of(const connection_socket& socket);
// The peer's address (IPv4-mapped IPv6 as IPv4); unspecified when the socket has none.
ip_address peer_address(const connection_socket& socket);

}  // namespace cited::web
