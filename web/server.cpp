#include "server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include <sys/resource.h>

#include <condition_variable>
#include <csignal>
#include <deque>
#include <stdexcept>

#include "connection_socket.hpp"
#include "listener.hpp"
#include "server_state.hpp"

namespace cited::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct io_runtime {
  explicit io_runtime(int threads) : ioc(threads), work(net::make_work_guard(ioc)) {}
  net::io_context ioc;
  // Keeps run() going while the server is quiet, until stop() lets it end.
  net::executor_work_guard<net::io_context::executor_type> work;
};

namespace {

thread_local live_index::slot* current_slot = nullptr;

tcp::endpoint resolve(net::io_context& ioc, const std::string& host, unsigned short port) {
  boost::system::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (!ec) return {address, port};
  tcp::resolver resolver(ioc);
  const auto results = resolver.resolve(host, std::to_string(port), ec);
  if (ec || results.empty()) throw std::runtime_error("cannot resolve host " + host + ": " + ec.message());
  return *results.begin();
}

}  // namespace

answer_engine& this_thread_engine() {
  if (!current_slot) throw std::logic_error("this_thread_engine() called off the server's I/O threads");
  return current_slot->engine();
}

std::string remote_of(const connection_socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  return endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

ip_address peer_address(const connection_socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? ip_address() : unmapped(endpoint.address());
}

server::server(server_options options, server_services services) {
  if (!services.load_index) throw std::invalid_argument("server_services.load_index is required");
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  options.threads = threads;
  const std::string host = options.host;
  const unsigned short wanted_port = options.port;
  // The index is loaded here, on this thread, so that one that cannot be opened stops start-up
  // with its message instead of killing an I/O thread later.
  state_ = std::make_unique<server_state>(std::move(options), std::move(services));
  io_ = std::make_unique<io_runtime>(static_cast<int>(threads));
  listener_ = std::make_shared<listener>(io_->ioc, resolve(io_->ioc, host, wanted_port), *state_);
  port_ = listener_->port();
  // The first thing SIGHUP does: logrotate has moved the log away; write to a new one.
  on_hangup([this] {
    if (state_->log.reopen()) state_->log.write({{"event", "log_reopened"}});
    else state_->log.write({{"event", "error"}, {"where", "SIGHUP"}, {"what", "cannot open the log file again"}});
  });
  // Then the index, read again whether or not its file looks changed: SIGHUP is how an operator
  // says so. A failure is logged by reload and the server goes on with what it has.
  on_hangup([this] {
    try {
      reload_index("SIGHUP");
    } catch (const std::exception&) {
    }
  });
}

std::uint64_t server::reload_index(std::string_view why) { return state_->index.reload(why); }

live_index& server::index() { return state_->index; }

server::~server() {
  stop();
  // Sessions still queued in the io_context go with it, before the state they refer to.
  listener_.reset();
  io_.reset();
}

std::string server::url() const {
  const auto& host = state_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port_);
}

void server::start() {
  if (started_) return;
  started_ = true;
  listener_->run();
  state_->index.watch(state_->options.index_check, [this](const nlohmann::json& event) { state_->log.write(event); });
  for (unsigned i = 0; i < state_->options.threads; ++i) {
    threads_.emplace_back([this, i] {
      live_index::slot slot(state_->index, i);
      current_slot = &slot;
      // A handler that throws must not take the thread (and the server) down with it.
      for (;;) {
        try {
          io_->ioc.run();
          break;
        } catch (const std::exception& ex) {
          state_->log.write({{"event", "error"}, {"where", "io thread"}, {"what", ex.what()}});
        }
      }
      current_slot = nullptr;
    });
  }
  state_->log.write({{"event", "listening"}, {"url", url()}, {"threads", state_->options.threads}});
}

void server::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (started_) {
    // 1. No new connections.
    listener_->stop();
    // 2. Each open connection finishes what it is answering, then closes (1001 on WebSockets).
    for (auto& session : state_->sessions.begin_shutdown()) session->shutdown();
    // 3. Wait for them, but not for ever: a peer that never answers our close is dropped.
    const auto deadline = std::chrono::steady_clock::now() + state_->options.limits.shutdown_timeout;
    if (!state_->sessions.wait_until_empty(deadline))
      state_->log.write({{"event", "shutdown"}, {"what", "connections still open at the deadline were dropped"},
                         {"open", state_->sessions.size()}});
    io_->work.reset();
    io_->ioc.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  state_->index.stop();
  // 4. Staff work in hand is finished, feedback already queued is stored, then every record
  //    (hand-offs, log turns) is written, before we go; then the log is written out.
  if (state_->staff) state_->staff->stop();
  state_->writer.stop();
  if (state_->services.records) state_->services.records->stop();
  state_->log.write({{"event", "stopped"}});
  state_->log.flush();
}

void server::run_until_signal() {
  net::signal_set signals(io_->ioc, SIGINT, SIGTERM, SIGHUP);
  // The signals are handed to this thread: a hook (a corpus reload) may take a while, and must
  // not hold up an I/O thread.
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<int> caught;
  std::function<void()> wait = [&] {
    signals.async_wait([&](const boost::system::error_code& ec, int signal) {
      if (ec) return;
      {
        std::lock_guard lock(mutex);
        caught.push_back(signal);
      }
      arrived.notify_one();
      if (signal == SIGHUP) wait();
    });
  };
  wait();
  start();
  for (;;) {
    int signal = 0;
    {
      std::unique_lock lock(mutex);
      arrived.wait(lock, [&] { return !caught.empty(); });
      signal = caught.front();
      caught.pop_front();
    }
    if (signal != SIGHUP) {
      state_->log.write({{"event", "shutdown"}, {"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
      break;
    }
    state_->log.write({{"event", "signal"}, {"signal", "SIGHUP"}});
    hangup();
  }
  stop();
}

void server::on_hangup(std::function<void()> hook) {
  std::lock_guard lock(hangup_mutex_);
  hangup_hooks_.push_back(std::move(hook));
}

void server::hangup() {
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(hangup_mutex_);
    hooks = hangup_hooks_;
  }
  for (const auto& hook : hooks) {
    try {
      hook();
    } catch (const std::exception& e) {
      state_->log.write({{"event", "error"}, {"where", "SIGHUP"}, {"what", e.what()}});
    }
  }
}

std::size_t raise_open_files_limit(std::size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < wanted) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min<rlim_t>(wanted, limit.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? wanted : static_cast<std::size_t>(limit.rlim_cur);
}

}  // namespace cited::web
