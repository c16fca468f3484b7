// cited-load: a WebSocket load generator for `cited serve` (and cited-echo, its ceiling).
//
// Closed loop: each of N connections sends an ask, waits for the reply, and sends the next,
// drawing questions from the question sets (hundreds of distinct texts, each connection at its
// own offset, so the server cannot get by on repeating one answer). Prints replies/s and the
// latency percentiles measured after a warm-up.
//
//   cited-load --port P [--connections 64] [--duration 10] [--warmup 2] [--threads 1]
//              [--questions FILE]...
//   cited-load --port P ... --swap-command CMD --swaps 20
//       runs CMD (through the shell) that many times, evenly spread over the measured time, while
//       loading; CMD must return once the server has swapped its index. Reports the latency of
//       the replies in flight while a swap ran, and the worst of them.
//   cited-load --port P --idle 10000 [--hold 5] [--server-pid PID]
//       opens that many connections, holds them idle, reports the server's RSS, then has every
//       one of them ask a question and counts the answers.
//   cited-load --port P --unfinished 300 [--fragments 15] [--hold 5] --server-pid PID
//       opens that many connections, each sending `fragments` frames of 64 KiB of one message
//       it never finishes (answering pings meanwhile); reports the server's RSS before, at its
//       peak and after, the bytes each unfinished message pinned, and how many the server cut off.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int connections = 64;
  double duration = 10;
  double warmup = 2;
  int threads = 1;
  std::vector<std::string> question_files;
  int idle = 0;
  int unfinished = 0;
  int fragments = 15;
  double hold = 5;
  long server_pid = 0;
  std::string swap_command;
  int swaps = 0;
};

enum class phase { warmup, measure, done };

struct shared {
  shared(const options& o, std::vector<std::string> q) : opts(o), questions(std::move(q)) {}
  const options& opts;
  std::vector<std::string> questions;  // already JSON-escaped, quotes included
  std::atomic<phase> now{phase::warmup};
  std::atomic<long> replies{0}, errors{0}, mismatched{0}, ready{0}, answered{0}, failed{0};
  std::mutex latencies_mutex;
  std::vector<std::uint32_t> latencies_us;
  // Each measured reply: when it was sent (us after t0) and how long it took.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> samples;
  clock_type::time_point t0 = clock_type::now();
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(net::io_context& ioc, shared& s, std::size_t offset)
      : ws_(net::make_strand(ioc)), shared_(s), next_question_(offset) {}

  // Connects and shakes hands; then either loops (load) or waits for ask_once (idle).
  void start(std::function<void(bool)> connected) {
    connected_ = std::move(connected);
    tcp::endpoint ep{net::ip::make_address(shared_.opts.host), shared_.opts.port};
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));
    beast::get_lowest_layer(ws_).async_connect(ep, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->connected_(false);
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().set_option(tcp::no_delay(true), ignored);
      beast::get_lowest_layer(self->ws_).expires_never();
      self->ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
      self->ws_.async_handshake(self->shared_.opts.host, "/ws", [self](beast::error_code ec2) {
        self->connected_(!ec2);
        if (!ec2 && self->looping_) self->send_next();
      });
    });
  }

  void loop() { looping_ = true; }

  void ask_once(std::function<void(bool)> done) {
    net::dispatch(ws_.get_executor(), [self = shared_from_this(), done = std::move(done)]() mutable {
      self->once_ = std::move(done);
      self->send_next();
    });
  }

  void close() {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }

 private:
  void send_next() {
    if (!once_ && shared_.now.load(std::memory_order_relaxed) == phase::done) return;
    const auto& qs = shared_.questions;
    ++sent_;
    id_ = std::to_string(sent_);
    message_ = R"({"type":"ask","id":")" + id_ + R"(","text":)" + qs[next_question_++ % qs.size()] + "}";
    started_ = clock_type::now();
    ws_.text(true);
    ws_.async_write(net::buffer(message_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->fail();
      self->buffer_.clear();
      self->ws_.async_read(self->buffer_, [self](beast::error_code ec2, std::size_t) { self->on_reply(ec2); });
    });
  }

  void on_reply(beast::error_code ec) {
    if (ec) return fail();
    const auto elapsed = clock_type::now() - started_;
    const std::string_view reply(static_cast<const char*>(buffer_.cdata().data()), buffer_.size());
    // The reply must be to this question: the server echoes the id (and so does cited-echo).
    const bool matches = reply.find(R"("id":")" + id_ + "\"") != std::string_view::npos;
    if (once_) {
      auto done = std::move(once_);
      once_ = nullptr;
      done(matches && reply.find(R"("type":"answer")") != std::string_view::npos);
      return;
    }
    if (!matches) shared_.mismatched.fetch_add(1, std::memory_order_relaxed);
    if (shared_.now.load(std::memory_order_relaxed) == phase::measure) {
      shared_.replies.fetch_add(1, std::memory_order_relaxed);
      const auto us = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
      latencies_.push_back(us);
      samples_.emplace_back(
          static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(started_ - shared_.t0).count()), us);
    }
    if (shared_.now.load(std::memory_order_relaxed) == phase::done) return flush();
    send_next();
  }

  void fail() {
    shared_.errors.fetch_add(1, std::memory_order_relaxed);
    if (once_) {
      auto done = std::move(once_);
      once_ = nullptr;
      done(false);
    }
    flush();
  }

  void flush() {
    std::lock_guard lock(shared_.latencies_mutex);
    shared_.latencies_us.insert(shared_.latencies_us.end(), latencies_.begin(), latencies_.end());
    shared_.samples.insert(shared_.samples.end(), samples_.begin(), samples_.end());
    latencies_.clear();
    samples_.clear();
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  shared& shared_;
  std::size_t next_question_;
  std::size_t sent_ = 0;
  std::string id_, message_;
  clock_type::time_point started_;
  std::vector<std::uint32_t> latencies_;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> samples_;
  std::function<void(bool)> connected_, once_;
  bool looping_ = false;
};

std::vector<std::string> load_questions(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    if (!in) throw std::runtime_error("cannot read " + f);
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const auto j = nlohmann::json::parse(line);
      out.push_back(nlohmann::json(j.at("q").get<std::string>()).dump());
    }
  }
  if (out.empty()) throw std::runtime_error("no questions");
  // Shuffled once (fixed seed): neighbouring connections ask about different things.
  std::shuffle(out.begin(), out.end(), std::mt19937(42));
  return out;
}

// The server's resident set in MiB, from /proc; -1 when it cannot be read.
double rss_mib(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return -1;
}

// The server's CPU time so far (user + system), in seconds, from /proc; -1 when it cannot be read.
double cpu_seconds(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0;
  // After the command: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<std::uint32_t>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k] / 1000.0;
}

// Opens n connections, at most `in_flight` handshakes at a time; returns those that opened.
std::vector<std::shared_ptr<connection>> open(net::io_context& ioc, shared& s, int n, bool loop, int in_flight) {
  std::vector<std::shared_ptr<connection>> all;
  std::atomic<int> pending{0}, opened{0}, finished{0};
  for (int i = 0; i < n; ++i) {
    while (pending.load() >= in_flight) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto c = std::make_shared<connection>(ioc, s, static_cast<std::size_t>(i) * 7);
    if (loop) c->loop();
    ++pending;
    c->start([&](bool ok) {
      --pending;
      if (ok) ++opened;
      ++finished;
    });
    all.push_back(std::move(c));
  }
  while (finished.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (opened.load() < n) std::cerr << "cited-load: " << n - opened.load() << " connection(s) failed to open\n";
  return all;
}

int run_idle(const options& o, shared& s, net::io_context& ioc) {
  const double before = o.server_pid ? rss_mib(o.server_pid) : -1;
  const auto t0 = clock_type::now();
  auto conns = open(ioc, s, o.idle, false, 256);
  const double open_s = std::chrono::duration<double>(clock_type::now() - t0).count();
  std::cout << "cited-load: opened " << conns.size() << " idle connections in " << open_s << " s\n";
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(o.hold * 1000)));
  const double held = o.server_pid ? rss_mib(o.server_pid) : -1;
  if (o.server_pid)
    std::cout << "cited-load: server RSS " << before << " MiB before, " << held << " MiB holding " << conns.size()
              << " connections (" << (held - before) * 1024.0 * 1024.0 / static_cast<double>(conns.size()) << " bytes each)\n";
  std::atomic<long> done{0};
  const auto t1 = clock_type::now();
  for (auto& c : conns)
    c->ask_once([&](bool ok) {
      (ok ? s.answered : s.failed).fetch_add(1);
      done.fetch_add(1);
    });
  while (done.load() < static_cast<long>(conns.size()) &&
         clock_type::now() - t1 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const double ask_s = std::chrono::duration<double>(clock_type::now() - t1).count();
  const double after = o.server_pid ? rss_mib(o.server_pid) : -1;
  std::cout << "cited-load: afterwards " << s.answered << " of " << conns.size() << " connections got an answer ("
            << s.failed << " failed) in " << ask_s << " s";
  if (o.server_pid) std::cout << "; server RSS " << after << " MiB";
  std::cout << "\n";
  std::cout << "RESULT idle_connections=" << conns.size() << " rss_mib_holding=" << held << " answered=" << s.answered
            << " rss_mib_after=" << after << "\n";
  for (auto& c : conns) c->close();
  return s.answered == static_cast<long>(conns.size()) && conns.size() == static_cast<std::size_t>(o.idle) ? 0 : 1;
}

// A message begun and never finished: frames of 64 KiB, none final, while a read stays pending
// (so Beast answers the server's pings: the client looks alive).
class unfinished_sender : public std::enable_shared_from_this<unfinished_sender> {
 public:
  unfinished_sender(net::io_context& ioc, const options& o) : ws_(net::make_strand(ioc)), fragment_(64 * 1024, ' '), left_(o.fragments) {
    beast::get_lowest_layer(ws_).connect({net::ip::make_address(o.host), o.port});
    ws_.handshake(o.host, "/ws");
  }
  void start() {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      self->ws_.async_read(self->buffer_, [self](beast::error_code, std::size_t) { self->cut = true; });
      self->write_next();
    });
  }
  void close() {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      beast::get_lowest_layer(self->ws_).socket().close(ignored);
    });
  }
  std::atomic<bool> cut{false};

 private:
  void write_next() {
    if (left_-- == 0) return;
    ws_.text(true);
    ws_.async_write_some(false, net::buffer(fragment_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->write_next();
    });
  }
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string fragment_;
  int left_;
};

int run_unfinished(const options& o, net::io_context& ioc) {
  if (!o.server_pid) throw std::runtime_error("--unfinished needs --server-pid");
  const double before = rss_mib(o.server_pid);
  std::vector<std::shared_ptr<unfinished_sender>> senders;
  for (int i = 0; i < o.unfinished; ++i) senders.push_back(std::make_shared<unfinished_sender>(ioc, o));
  for (auto& c : senders) c->start();
  double peak = before;
  const auto t0 = clock_type::now();
  while (clock_type::now() - t0 < std::chrono::milliseconds(static_cast<long>(o.hold * 1000))) {
    peak = std::max(peak, rss_mib(o.server_pid));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  long cut = 0;
  for (auto& c : senders) cut += c->cut ? 1 : 0;
  for (auto& c : senders) c->close();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const double after = rss_mib(o.server_pid);
  const double per_message_kib = (peak - before) * 1024.0 / static_cast<double>(o.unfinished);
  std::cout << "cited-load: " << o.unfinished << " messages of " << o.fragments << " x 64 KiB never finished: server RSS "
            << before << " MiB before, " << peak << " MiB at the peak (" << per_message_kib << " KiB each), " << after
            << " MiB a second after they closed; " << cut << " cut off by the server within " << o.hold << " s\n";
  std::cout << "RESULT unfinished=" << o.unfinished << " rss_mib_before=" << before << " rss_mib_peak=" << peak
            << " kib_per_message=" << per_message_kib << " rss_mib_after=" << after << " cut=" << cut << "\n";
  return 0;
}

int run_load(const options& o, shared& s, net::io_context& ioc) {
  auto conns = open(ioc, s, o.connections, true, 64);
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(o.warmup * 1000)));
  const double cpu_before = o.server_pid ? cpu_seconds(o.server_pid) : -1;
  const auto t0 = clock_type::now();
  s.t0 = t0;
  s.now = phase::measure;
  // The swaps, evenly spread: each a window [start, end) in us after t0.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> windows;
  int failed_swaps = 0;
  if (o.swaps > 0 && !o.swap_command.empty()) {
    const auto every = std::chrono::microseconds(static_cast<long long>(o.duration * 1e6 / (o.swaps + 1)));
    for (int i = 1; i <= o.swaps; ++i) {
      std::this_thread::sleep_until(t0 + i * every);
      const auto from = clock_type::now();
      if (std::system(o.swap_command.c_str()) != 0) ++failed_swaps;
      const auto to = clock_type::now();
      auto us = [&](clock_type::time_point t) {
        return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(t - t0).count());
      };
      windows.emplace_back(us(from), us(to));
    }
  }
  std::this_thread::sleep_until(t0 + std::chrono::milliseconds(static_cast<long>(o.duration * 1000)));
  s.now = phase::done;
  const double cpu_used = o.server_pid ? cpu_seconds(o.server_pid) - cpu_before : -1;
  const double secs = std::chrono::duration<double>(clock_type::now() - t0).count();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the last replies land
  for (auto& c : conns) c->close();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::vector<std::uint32_t> lat;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> samples;
  {
    std::lock_guard lock(s.latencies_mutex);
    lat = s.latencies_us;
    samples = s.samples;
  }
  const double rate = static_cast<double>(s.replies.load()) / secs;
  const double p50 = percentile(lat, 0.50), p90 = percentile(lat, 0.90), p99 = percentile(lat, 0.99), max = percentile(lat, 1.0);
  std::cout << "cited-load: " << o.connections << " connections, " << secs << " s, " << s.questions.size()
            << " distinct questions: " << static_cast<long>(rate) << " replies/s, latency p50 " << p50 << " ms, p90 " << p90
            << " ms, p99 " << p99 << " ms, max " << max << " ms; " << s.mismatched << " mismatched, " << s.errors
            << " errors\n";
  // CPU per reply: less at the mercy of other programs on the machine than replies a second.
  const double cpu_us = o.server_pid && s.replies.load() ? 1e6 * cpu_used / static_cast<double>(s.replies.load()) : -1;
  if (o.server_pid) std::cout << "cited-load: server CPU " << cpu_us << " us per reply\n";
  std::cout << "RESULT replies_per_s=" << static_cast<long>(rate) << " p50_ms=" << p50 << " p99_ms=" << p99
            << " mismatched=" << s.mismatched << " errors=" << s.errors << " cpu_us_per_reply=" << cpu_us << "\n";
  if (!windows.empty()) {
    // A reply was in flight during a swap when [sent, received) meets the swap's window.
    std::vector<std::uint32_t> during;
    for (const auto& sample : samples) {
      const std::uint64_t sent = sample.first, received = sample.first + sample.second;
      for (const auto& w : windows)
        if (sent < w.second && received > w.first) {
          during.push_back(sample.second);
          break;
        }
    }
    std::uint64_t longest_swap = 0;
    for (const auto& w : windows) longest_swap = std::max(longest_swap, w.second - w.first);
    const double worst = percentile(during, 1.0), during_p99 = percentile(during, 0.99);
    std::cout << "cited-load: " << windows.size() << " swaps (" << failed_swaps << " failed, the longest took "
              << static_cast<double>(longest_swap) / 1000.0 << " ms): " << during.size()
              << " replies in flight during them, latency p99 " << during_p99 << " ms, worst " << worst
              << " ms (overall max " << max << " ms)\n";
    std::cout << "RESULT swaps=" << windows.size() << " failed_swaps=" << failed_swaps << " during_swaps=" << during.size()
              << " swap_p99_ms=" << during_p99 << " swap_worst_ms=" << worst << " longest_swap_ms="
              << static_cast<double>(longest_swap) / 1000.0 << "\n";
    if (failed_swaps) return 1;
  }
  return s.mismatched == 0 && s.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  try {
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
        return argv[++i];
      };
      if (a == "--host") o.host = value();
      else if (a == "--port") o.port = static_cast<unsigned short>(std::stoi(value()));
      else if (a == "--connections") o.connections = std::stoi(value());
      else if (a == "--duration") o.duration = std::stod(value());
      else if (a == "--warmup") o.warmup = std::stod(value());
      else if (a == "--threads") o.threads = std::max(1, std::stoi(value()));
      else if (a == "--questions") o.question_files.push_back(value());
      else if (a == "--idle") o.idle = std::stoi(value());
      else if (a == "--unfinished") o.unfinished = std::stoi(value());
      else if (a == "--fragments") o.fragments = std::stoi(value());
      else if (a == "--hold") o.hold = std::stod(value());
      else if (a == "--server-pid") o.server_pid = std::stol(value());
      else if (a == "--swap-command") o.swap_command = value();
      else if (a == "--swaps") o.swaps = std::stoi(value());
      else throw std::runtime_error("unknown option " + a);
    }
    if (!o.port) throw std::runtime_error("--port is required");
    if (o.question_files.empty())
      o.question_files = {CITED_SOURCE_DIR "/tests/eval/questions.jsonl", CITED_SOURCE_DIR "/tests/eval/heldout.jsonl"};

    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);

    shared s(o, load_questions(o.question_files));
    net::io_context ioc(o.threads);
    auto work = net::make_work_guard(ioc);
    std::vector<std::thread> pool;
    for (int i = 0; i < o.threads; ++i) pool.emplace_back([&] { ioc.run(); });
    const int rc = o.unfinished ? run_unfinished(o, ioc) : o.idle ? run_idle(o, s, ioc) : run_load(o, s, ioc);
    work.reset();
    ioc.stop();
    for (auto& t : pool) t.join();
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "cited-load: " << e.what() << "\n";
    return 2;
  }
}
