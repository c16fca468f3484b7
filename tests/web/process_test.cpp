// `cited serve` as the program it is, where only the program itself shows the fault: the
// memory unfinished messages pin (its RSS), SIGHUP from logrotate, and a log whose disk is full
// (its file size limit, set from outside with prlimit).
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>

#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "child_server.hpp"
#include "sanitized_build.hpp"
#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = scratch_dir() / name;
  fs::create_directories(dir);
  return dir;
}

long metric(unsigned short port, const std::string& name) {
  const auto r = http_request(port, http::verb::get, "/metrics");
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::stol(line.substr(name.size() + 1));
  return -1;
}

// Polls until ok() or the deadline.
template <class Condition>
bool eventually(Condition ok, std::chrono::milliseconds deadline) {
  const auto until = steady::now() + deadline;
  while (!ok()) {
    if (steady::now() > until) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

// --- Unfinished messages ---------------------------------------------------------------------

// A client that starts a message and never finishes it: `fragments` frames of 64 KiB, none
// final. It reads meanwhile, so (through Beast) it answers every ping: it looks alive.
class unfinished_sender : public std::enable_shared_from_this<unfinished_sender> {
 public:
  unfinished_sender(net::io_context& ioc, unsigned short port, int fragments)
      : ws_(ioc), fragment_(64 * 1024, ' '), left_(fragments) {
    ws_.next_layer().connect({net::ip::make_address("127.0.0.1"), port});
    ws_.handshake("127.0.0.1", "/ws");
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) ++pings;
    });
  }

  void start() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code, std::size_t) {
      self->cut_at = steady::now();  // nothing is ever sent to it but pings: a read ends only when it is cut
    });
    write_next();
  }

  std::optional<steady::time_point> cut_at;
  std::optional<steady::time_point> last_written;
  int pings = 0;

 private:
  void write_next() {
    if (left_-- == 0) return;
    ws_.text(true);
    ws_.async_write_some(false, net::buffer(fragment_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->last_written = steady::now();
      self->write_next();
    });
  }

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string fragment_;
  int left_;
};

TEST(unfinished_messages, pin_little_memory_are_cut_at_their_deadline_pongs_or_not_and_the_memory_goes_back) {
  const fs::path dir = fresh_dir("unfinished");
  index_corpus(dir / "cited.db", dir / "index.err");
  // Each 64 KiB must come within 2 s, and the messages stop after 15; meanwhile the server pings
  // them after 0.5 s of silence, and they answer, which kept them alive before. (The sanitized
  // server, several times slower, gets 3 s and pings after 1 s.)
  const auto per_64k = under_asan ? 3000ms : 2000ms;
  served_process server(dir / "cited.db", dir / "feedback.db", dir,
                        {"--message-timeout", std::to_string(static_cast<double>(per_64k.count()) / 1000.0), "--idle-timeout",
                         under_asan ? "2" : "1", "--max-connections-per-ip", "0"});
  {
    ws_client warm(server.port());  // the first answers allocate what every later one reuses
    for (int i = 0; i < 20; ++i) warm.ask("how much does it cost?");
  }
  std::this_thread::sleep_for(300ms);
  const long before = server.rss_kib();

  constexpr int senders = 100, fragments = 15;
  net::io_context ioc;
  std::vector<std::shared_ptr<unfinished_sender>> clients;
  for (int i = 0; i < senders; ++i) clients.push_back(std::make_shared<unfinished_sender>(ioc, server.port(), fragments));
  for (auto& c : clients) c->start();
  long peak = before;
  std::jthread sampler([&](std::stop_token stop) {
    while (!stop.stop_requested()) {
      peak = std::max(peak, server.rss_kib());
      std::this_thread::sleep_for(20ms);
    }
  });
  const auto until = steady::now() + per_64k + 10s;
  while (steady::now() < until &&
         !std::all_of(clients.begin(), clients.end(), [](const auto& c) { return c->cut_at.has_value(); }))
    ioc.run_for(100ms);
  sampler.request_stop();
  sampler.join();

  int cut = 0, pinged = 0;
  for (const auto& c : clients) {
    if (c->pings > 0) ++pinged;
    if (!c->cut_at || !c->last_written) continue;
    ++cut;
    // Cut off soon after it stopped (its last 64 KiB, once read, had per_64k), however alive its
    // pongs said it was.
    EXPECT_LT(*c->cut_at - *c->last_written, per_64k + 2s);
  }
  EXPECT_EQ(cut, senders) << "messages never finished were still being kept";
  EXPECT_GT(pinged, senders / 2) << "the clients were never pinged: the test did not show that pongs do not help";
  // 960 KiB sent by each, at most max_message_bytes (64 KiB) of it kept; sockets and sessions aside.
  const double per_message_kib = static_cast<double>(peak - before) / senders;
  std::this_thread::sleep_for(500ms);
  const long after = server.rss_kib();
  if (!under_asan) {
    EXPECT_LT(per_message_kib, 200) << "peak RSS " << peak << " KiB, before " << before << " KiB";
    // Afterwards the memory goes back to the system.
    EXPECT_LT(after - before, 6 * 1024) << "RSS " << before << " KiB before, " << after << " KiB after";
  }
  EXPECT_GE(metric(server.port(), "cited_memory_trims_total"), 1);
  EXPECT_EQ(metric(server.port(), "cited_ws_messages_cut_total"), senders);
  RecordProperty("rss_kib_before", static_cast<int>(before));
  RecordProperty("rss_kib_peak", static_cast<int>(peak));
  RecordProperty("rss_kib_after", static_cast<int>(after));
  RecordProperty("kib_per_unfinished_message", static_cast<int>(per_message_kib));
}

// --- SIGHUP --------------------------------------------------------------------------------------

TEST(sighup, opens_the_log_again_at_its_path_and_the_server_goes_on) {
  const fs::path dir = fresh_dir("sighup");
  index_corpus(dir / "cited.db", dir / "index.err");
  served_process server(dir / "cited.db", dir / "feedback.db", dir);
  const fs::path log = dir / "access.log";
  ASSERT_EQ(http_request(server.port(), http::verb::get, "/healthz?before-rotation").status, 200u);
  ASSERT_TRUE(eventually([&] { return read_file(log).find("before-rotation") != std::string::npos; }, 5s));
  // logrotate: move the file away, then tell the server.
  fs::rename(log, dir / "access.log.1");
  server.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return fs::exists(log); }, 5s)) << "no new log at the path";
  ASSERT_TRUE(server.running()) << "SIGHUP ended the server";
  ASSERT_EQ(http_request(server.port(), http::verb::get, "/healthz?after-rotation").status, 200u);
  ASSERT_TRUE(eventually([&] { return read_file(log).find("after-rotation") != std::string::npos; }, 5s));
  EXPECT_EQ(read_file(dir / "access.log.1").find("after-rotation"), std::string::npos);
  EXPECT_NE(read_file(log).find("\"event\":\"log_reopened\""), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(log.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // And it still stops cleanly.
  server.signal(SIGTERM);
  int status = 0;
  ASSERT_TRUE(eventually([&] { return !server.running(&status); }, 60s));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(sighup, loads_the_index_again_and_so_does_cited_index_into_the_served_file) {
  const fs::path dir = fresh_dir("reload");
  index_corpus(dir / "cited.db", dir / "index.err");
  served_process server(dir / "cited.db", dir / "feedback.db", dir, {"--index-check", "0.2"});
  auto generation = [&] {
    const auto r = http_request(server.port(), http::verb::get, "/healthz");
    return r.status == 200 ? r.json()["index_generation"].get<int>() : 0;
  };
  ASSERT_EQ(generation(), 1);
  server.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return generation() == 2; }, 60s)) << read_file(dir / "serve.err");
  // `cited index` writes a new file and renames it over the served one: noticed without a signal.
  index_corpus(dir / "cited.db", dir / "index.err");
  ASSERT_TRUE(eventually([&] { return generation() == 3; }, 60s)) << read_file(dir / "access.log");
  // The log is written in batches: each reload's line comes soon, not at once.
  EXPECT_TRUE(eventually([&] { return read_file(dir / "access.log").find("\"why\":\"SIGHUP\"") != std::string::npos; }, 5s));
  EXPECT_TRUE(eventually(
      [&] { return read_file(dir / "access.log").find("\"why\":\"the index file changed\"") != std::string::npos; }, 5s));
  {
    ws_client c(server.port());
    EXPECT_EQ(c.ask("how much does smp cost?")["status"], "answered");
  }
  server.signal(SIGTERM);
  int status = 0;
  ASSERT_TRUE(eventually([&] { return !server.running(&status); }, 60s));
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// --- A log whose disk is full ------------------------------------------------------------------

// The largest file the server may write, as a full disk would make it (RLIMIT_FSIZE, set on the
// running process from outside): writes past it fail with EFBIG.
void limit_file_size(pid_t pid, rlim_t bytes) {
  rlimit limit{bytes, RLIM_INFINITY};
  ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0) << std::strerror(errno);
}

TEST(disk_full, log_lines_are_dropped_whole_and_counted_and_the_log_goes_on_when_there_is_room) {
  const fs::path dir = fresh_dir("disk-full");
  index_corpus(dir / "cited.db", dir / "index.err");
  served_process server(dir / "cited.db", dir / "feedback.db", dir);
  const fs::path log = dir / "access.log";
  ASSERT_EQ(http_request(server.port(), http::verb::get, "/healthz?start").status, 200u);
  ASSERT_TRUE(eventually([&] { return read_file(log).find("start") != std::string::npos; }, 5s));
  const auto room = static_cast<rlim_t>(fs::file_size(log) + 2000);
  limit_file_size(server.pid(), room);
  // Far more than fits: each request is a line of about 250 bytes.
  for (int i = 0; i < 60; ++i)
    ASSERT_EQ(http_request(server.port(), http::verb::get, "/healthz?while-full-" + std::to_string(i)).status, 200u);
  ASSERT_TRUE(eventually([&] { return metric(server.port(), "cited_log_lines_dropped_total") > 0; }, 5s));
  std::this_thread::sleep_for(500ms);  // the log writes every 200 ms: the rest of the lines meet the full disk too
  ASSERT_TRUE(server.running()) << "a full disk ended the server";
  // What is in the file is whole lines only.
  auto whole_lines = [&](const std::string& text) {
    if (!text.empty() && text.back() != '\n') return false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      if (json::parse(line, nullptr, false).is_discarded()) return false;
    return true;
  };
  const std::string full = read_file(log);
  EXPECT_LE(full.size(), room);
  EXPECT_TRUE(whole_lines(full)) << full.substr(full.size() > 500 ? full.size() - 500 : 0);
  const long dropped = metric(server.port(), "cited_log_lines_dropped_total");
  // Room again: the log goes on, and says how much it lost.
  limit_file_size(server.pid(), RLIM_INFINITY);
  ASSERT_EQ(http_request(server.port(), http::verb::get, "/healthz?room-again").status, 200u);
  ASSERT_TRUE(eventually([&] { return read_file(log).find("room-again") != std::string::npos; }, 5s));
  const std::string after = read_file(log);
  EXPECT_TRUE(whole_lines(after));
  EXPECT_NE(after.find("\"event\":\"log_gap\""), std::string::npos) << after.substr(full.size());
  EXPECT_GE(dropped, 30);
  RecordProperty("lines_dropped", static_cast<int>(dropped));
}

}  // namespace
}  // namespace cited::test
