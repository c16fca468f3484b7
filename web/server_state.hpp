#pragma once
// What every connection shares: the options, the services, the counters, the log and the
// feedback writer. Internal to web/.
#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <filesystem>
#include <string>

#include "access_log.hpp"
#include "answer_engine.hpp"
#include "feedback_writer.hpp"
#include "metrics.hpp"
#include "server.hpp"
#include "session_registry.hpp"
#include "staff_workspace.hpp"

namespace cited::web {

// A connection's strand, and its socket bound to it. The executor's type is spelled out rather
// than erased (tcp::socket's any_io_executor): every operation on a connection goes through it,
// and the type-erased one costs a copy and a virtual call each time.
using connection_strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using connection_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, connection_strand>;

struct server_state {
  server_state(server_options opts, server_services svcs)
      : options(std::move(opts)), services(std::move(svcs)), log(options.log_file), writer(services.feedback) {
    if (services.records) staff = std::make_unique<staff_workspace>(options.staff, services.records, services.make_engine);
  }

  server_options options;
  server_services services;
  metrics stats;
  access_log log;
  feedback_writer writer;
  session_registry sessions;
  std::unique_ptr<staff_workspace> staff;  // null without a records store
};

// The engine of the I/O thread calling it. Only I/O threads have one.
answer_engine& this_thread_engine();

// "ip:port" of the peer, for logs; empty when the socket has none.
std::string remote_of(const connection_socket& socket);

}  // namespace cited::web
