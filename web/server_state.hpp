#pragma once
// What every connection shares: the options, the services, the counters, the log and the
// feedback writer. Internal to web/.
// No Asio here: connection_socket.hpp has the socket's types, for the files that handle one.
#include <filesystem>
#include <string>

#include "access_log.hpp"
#include "answer_engine.hpp"
#include "client_limits.hpp"
#include "feedback_writer.hpp"
#include "live_index.hpp"
#include "metrics.hpp"
#include "server.hpp"
#include "session_registry.hpp"
#include "staff_workspace.hpp"
#include "static_cache.hpp"

namespace cited::web {

struct server_state {
  server_state(server_options opts, server_services svcs)
      : options(std::move(opts)),
        services(std::move(svcs)),
        log(options.log_file),
        // A slot per I/O thread, then one per staff thread.
        index(services.load_index, options.threads + (services.records ? std::max(1u, options.staff.threads) : 0),
              services.index_file),
        writer(services.feedback),
        proxies(options.trusted_proxies),
        clients({options.limits.rate_limit_per_ip, options.limits.rate_burst_per_ip, options.limits.max_connections_per_ip,
                 options.limits.client_table_size}),
        budget(options.limits.max_buffered_bytes),
        http_answers(options.limits.feedback_window, options.limits.client_table_size) {
    if (services.records) staff = std::make_unique<staff_workspace>(options.staff, services.records, index, options.threads);
  }

  server_options options;
  server_services services;
  metrics stats;
  access_log log;
  live_index index;  // the index served; I/O thread i answers from slot i, staff thread j from threads + j
  feedback_writer writer;
  session_registry sessions;
  std::unique_ptr<staff_workspace> staff;  // null without a records store
  // Per client address and across connections (client_limits.hpp).
  trusted_proxies proxies;
  client_table clients;
  message_budget budget;
  answer_window http_answers;
  static_cache statics;

  // How the log shows a client.
  std::string loggable(const ip_address& client) const { return loggable_address(client, options.log_full_ip); }
  // The gauges /metrics shows beside the counters.
  metrics_gauges gauges() const {
    return {budget.held(), budget.peak(), budget.refusals(), budget.trims(), log.dropped_lines(), clients.size()};
  }
};

// The engine of the I/O thread calling it, the newest index's. Only I/O threads have one. Take
// it once per request: a reference from an earlier call must not be held across a new one (the
// engine it names may have been released for a newer index's).
answer_engine& this_thread_engine();

}  // namespace cited::web
