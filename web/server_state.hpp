#pragma once
// What every connection shares: the options, the services, the counters, the log and the
// feedback writer. Internal to web/.
#include <boost/asio/ip/tcp.hpp>

#include <filesystem>
#include <string>

#include "access_log.hpp"
#include "answer_engine.hpp"
#include "feedback_writer.hpp"
#include "metrics.hpp"
#include "server.hpp"
#include "session_registry.hpp"

namespace cited::web {

struct server_state {
  server_state(server_options opts, server_services svcs)
      : options(std::move(opts)), services(std::move(svcs)), log(options.log_file), writer(services.feedback) {}

  server_options options;
  server_services services;
  metrics stats;
  access_log log;
  feedback_writer writer;
  session_registry sessions;
};

// The engine of the I/O thread calling it. Only I/O threads have one.
answer_engine& this_thread_engine();

// "ip:port" of the peer, for logs; empty when the socket has none.
std::string remote_of(const boost::asio::ip::tcp::socket& socket);

}  // namespace cited::web
