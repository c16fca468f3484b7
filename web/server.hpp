#pragma once
// `cited serve`: HTTP and WebSocket on one port, as ../shared/PROTOCOL.md spells it.
//
//   listener ──accept──▶ http_session ──upgrade on /ws──▶ websocket_session
//                          │ routes: pages, /healthz, /metrics, /api/…      │ ask / feedback / reset
//                          ▼                                               ▼
//                 this I/O thread's answer_engine              feedback_writer (one thread)
//
// One io_context is run by `threads` threads; each connection's handlers run on a strand of
// their own, so a connection is only ever touched by one thread at a time, and each I/O thread
// has an answer_engine of its own (answers take tens of microseconds; no hand-off is cheaper).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer_engine.hpp"
#include "feedback.hpp"
#include "knowledge_backend.hpp"
#include "live_index.hpp"
#include "protocol.hpp"
#include "staff_options.hpp"
#include "writer.hpp"

namespace cited::web {

struct server_limits {
  std::size_t max_message_bytes = 64 * 1024;   // a bigger WebSocket message gets a too_large error frame
  std::size_t read_message_max = 1024 * 1024;  // past this a message is not read at all: close 1009
  std::size_t max_body_bytes = 64 * 1024;      // HTTP request bodies; past this: 413
  message_limits messages;                     // question, comment and id lengths
  double rate_limit = 5;                       // messages per second per connection; 0 turns it off
  double rate_burst = 10;                      // messages a connection may send at once
  double rate_limit_per_ip = 20;               // per client address, HTTP requests and WebSocket messages a second; 0: off
  double rate_burst_per_ip = 40;               // what an address may send at once
  std::size_t max_connections = 10'000;        // open connections; past this: 503
  std::size_t max_connections_per_ip = 64;     // open connections of one client address; past this: 503; 0: off
  std::size_t client_table_size = 100'000;     // client addresses remembered for the per-address limits
  std::size_t max_buffered_bytes = 32 << 20;   // held by WebSocket messages still arriving, all together; 0: no cap
  std::chrono::milliseconds message_timeout{5'000};     // each 64 KiB of a WebSocket message must arrive within this
  std::chrono::milliseconds feedback_window{600'000};   // an answer given over HTTP may be rated this long after
  std::size_t write_queue = 16;                // replies queued per WebSocket before it stops reading
  std::chrono::milliseconds handshake_timeout{10'000};  // a request, or the WebSocket handshake, must arrive by then
  std::chrono::milliseconds idle_timeout{120'000};      // a WebSocket silent this long is pinged, then dropped
  std::chrono::milliseconds shutdown_timeout{10'000};   // how long stop() waits for connections to close
};

struct server_options {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;         // 0: any free port (see server::port())
  unsigned threads = 0;               // 0: one per core
  std::vector<std::string> allowed_origins;  // empty: any Origin may open /ws
  std::filesystem::path web_root;     // empty: default_web_root()
  std::filesystem::path log_file;     // empty: the access log goes to stderr
  bool log_full_ip = false;           // log whole client addresses, not their /24 or /48
  // Reverse proxies (addresses or networks) whose X-Forwarded-For names the client.
  std::vector<std::string> trusted_proxies;
  server_limits limits;
  // How often the index file is checked for a new one (a stat, cheap); 0: only on SIGHUP or reload().
  std::chrono::milliseconds index_check{2'000};
  staff_options staff;                // the staff workspace and the patient's hand-off
};

struct server_services {
  // Loads the index: the engines for every I/O and staff thread over one and the same index
  // file. Called before serving starts, and again for each reload (live_index.hpp), off the
  // I/O threads.
  index_loader load_index;
  // The index file, watched for a new one (`cited index` renames it over) every
  // server_options::index_check; empty: not watched.
  std::filesystem::path index_file;
  // Where feedback is stored, on the server's one writer thread. Null: feedback gets `internal`.
  std::shared_ptr<feedback_sink> feedback;
  // POST /api/reply: the suggested-reply object for an email, given this I/O thread's engine.
  // Called on any I/O thread, so it must be safe to call concurrently; throw request_error for
  // an email it refuses (400/413 with that code). Empty: 501 not_implemented.
  std::function<nlohmann::json(std::string_view email, answer_engine& engine)> reply;
  // The clinic's records (staff, sessions, hand-offs, the conversation log), written by this
  // one writer; the server stops it in stop(). Null: no staff workspace, no hand-off, no log
  // (staff routes answer 503).
  std::shared_ptr<records::writer> records;
  // The corpus and the index for the knowledge editor (/api/staff/knowledge/…). Null: those
  // routes answer 503.
  std::shared_ptr<knowledge_backend> knowledge;
};

struct server_state;
struct io_runtime;
class listener;

class server {
 public:
  // Makes the engines and binds the port. Throws std::runtime_error when it cannot (the port
  // is taken, the host is unknown, an engine cannot open its index).
  server(server_options options, server_services services);
  // Stops (see stop()) when still running.
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // The port actually bound: the one asked for, or the one the system picked for port 0.
  unsigned short port() const { return port_; }
  std::string url() const;

  // Starts the I/O threads and returns.
  void start();
  // Graceful shutdown: stops accepting, lets answers in flight finish and be sent, closes each
  // WebSocket with 1001 (going away), waits for connections to close (at most
  // limits.shutdown_timeout), then stores queued feedback and flushes the log. Idempotent;
  // call it from any thread but an I/O thread.
  void stop();
  // start(), then block until SIGINT or SIGTERM, then stop(). SIGHUP runs hangup() meanwhile.
  void run_until_signal();

  // What SIGHUP does, in the order added: first the server's own (the access log is opened
  // again at its path, for logrotate), then any added here (the knowledge editor's reload of
  // the corpus). Hooks run on the thread in run_until_signal, never on an I/O thread, one at a
  // time; one that throws is logged and the next still runs.
  void on_hangup(std::function<void()> hook);
  // Runs the hooks now, as SIGHUP does.
  void hangup();

  // Loads the index file again and swaps it in (see live_index.hpp); the new generation.
  // Throws when it cannot be loaded, and the server goes on with the index it has. SIGHUP does
  // it too. Call it from any thread but an I/O thread.
  std::uint64_t reload_index(std::string_view why);
  // The index being served.
  live_index& index();

 private:
  std::unique_ptr<server_state> state_;  // declared first: outlives every session in ioc_
  std::unique_ptr<io_runtime> io_;     // the io_context; destroyed (with every session) before state_
  std::vector<std::thread> threads_;
  std::vector<std::function<void()>> hangup_hooks_;  // under hangup_mutex_
  std::mutex hangup_mutex_;
  std::shared_ptr<listener> listener_;
  unsigned short port_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

// Raises this process's open-files limit towards wanted (each connection is a descriptor) and
// returns the soft limit now in force.
std::size_t raise_open_files_limit(std::size_t wanted);

}  // namespace cited::web
