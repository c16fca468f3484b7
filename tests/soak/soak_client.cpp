// cited-soak: holds `--connections` WebSocket clients against `cited serve` for `--minutes`,
// each one session after another, mixing what a public chat endpoint meets:
//
//   good          asks 3-10 questions, one at a time, a person's pace apart; each must be answered
//   bad_frames    malformed JSON, wrong fields, a binary frame, an over-long question: each gets
//                 its error frame, and the connection still answers a good question afterwards
//   too_large     a 100 KB message (over the 64 KiB answered): a too_large error, then a good ask
//   huge          a 2 MB message (over read_message_max): the server closes with 1009
//   invalid_utf8  a text frame that is not UTF-8: the server closes with 1007
//   abrupt        drops the connection mid-handshake, mid-frame, or with an ask in flight
//   slow_reader   a tiny receive window; sends 12 asks without reading, waits, then reads them all
//   never_reads   floods asks and never reads, then drops the connection
//   slow_handshake  sends the upgrade request one byte a second: the server must cut it off
//
// With --server-pid it samples the server's RSS and open descriptors (/proc/PID/status, fd),
// and afterwards checks: every good ask answered, no unexpected reply, RSS at the end within 10%
// of RSS after warm-up, and open descriptors back to the baseline once every client is gone.
// Prints the figures; exits 1 when a check fails. tests/soak/run_soak.sh starts the server.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <sys/resource.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct options {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int connections = 1000;
  double minutes = 5;
  double warmup_seconds = -1;  // default: a fifth of the run, at most 60 s
  long server_pid = 0;
  std::string questions = CITED_SOURCE_DIR "/tests/eval/questions.jsonl";
  unsigned seed = 6;
};

enum class kind { good, bad_frames, too_large, huge, invalid_utf8, abrupt, slow_reader, never_reads, slow_handshake };
constexpr std::array kind_names{"good",        "bad_frames", "too_large",   "huge",          "invalid_utf8",
                                "abrupt",      "slow_reader", "never_reads", "slow_handshake"};
// How often each kind is picked, in percent.
constexpr std::array<int, 9> kind_weights{55, 10, 5, 4, 5, 10, 5, 3, 3};

struct server_sample {
  long rss_kb = -1;
  long fds = -1;
};

// The server's resident memory and open descriptors, from /proc.
server_sample sample_server(long pid) {
  server_sample s;
  if (pid <= 0) return s;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) s.rss_kb = std::stol(line.substr(6));
  std::error_code ec;
  long fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  if (!ec) s.fds = fds;
  return s;
}

bool server_alive(long pid) { return pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0; }

struct soak_state {
  options opts;
  std::vector<std::string> questions;
  clock_type::time_point started = clock_type::now();
  clock_type::time_point ends;
  std::mt19937 random;

  std::array<long, kind_names.size()> sessions{};
  long asks_sent = 0;       // good asks: each must get its answer
  long asks_answered = 0;
  long errors_expected = 0;  // bad frames that got the error frame they should
  long closed_1007 = 0, closed_1009 = 0, huge_cut_otherwise = 0, handshakes_cut = 0;
  long open_sessions = 0, active_slots = 0;
  long ids = 0;
  std::map<std::string, long> failures;
  std::vector<double> latencies_ms;

  void fail(kind k, const std::string& why) { ++failures[std::string(kind_names[static_cast<int>(k)]) + ": " + why]; }
  double seconds() const { return std::chrono::duration<double>(clock_type::now() - started).count(); }
  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); }
  const std::string& question() { return questions[static_cast<std::size_t>(uniform(0, static_cast<int>(questions.size()) - 1))]; }
};

using ws_stream = websocket::stream<beast::tcp_stream>;

auto with(beast::error_code& ec) { return net::redirect_error(net::use_awaitable, ec); }

net::awaitable<void> pause(std::chrono::milliseconds d) {
  net::steady_timer t(co_await net::this_coro::executor);
  t.expires_after(d);
  beast::error_code ec;
  co_await t.async_wait(with(ec));
}

tcp::endpoint endpoint_of(const options& o) { return {net::ip::make_address(o.host), o.port}; }

// Connects and completes the WebSocket handshake; replies are awaited at most 60 s.
net::awaitable<bool> open(ws_stream& ws, soak_state& s, kind k) {
  beast::error_code ec;
  auto& stream = beast::get_lowest_layer(ws);
  stream.expires_after(15s);
  co_await stream.async_connect(endpoint_of(s.opts), with(ec));
  if (ec) {
    s.fail(k, "connect: " + ec.message());
    co_return false;
  }
  stream.expires_never();
  ws.set_option(websocket::stream_base::timeout{30s, 60s, false});
  ws.read_message_max(8 * 1024 * 1024);
  co_await ws.async_handshake(s.opts.host + ":" + std::to_string(s.opts.port), "/ws", with(ec));
  if (ec) {
    s.fail(k, "handshake: " + ec.message());
    co_return false;
  }
  co_return true;
}

net::awaitable<std::optional<json>> read_json(ws_stream& ws, beast::error_code& ec) {
  beast::flat_buffer buffer;
  co_await ws.async_read(buffer, with(ec));
  if (ec) co_return std::nullopt;
  json j = json::parse(beast::buffers_to_string(buffer.data()), nullptr, false);
  if (j.is_discarded()) co_return json{{"type", "(not json)"}};
  co_return j;
}

std::string describe(const json& j) {
  std::string out = j.value("type", "(no type)");
  if (j.contains("code")) out += " " + j.value("code", "");
  return out;
}

std::string ask_frame(const std::string& id, const std::string& text) {
  return json{{"type", "ask"}, {"id", id}, {"text", text}}.dump();
}

std::string next_id(soak_state& s, const char* prefix) { return std::string(prefix) + std::to_string(++s.ids); }

// One good question: sent, and answered with an answer carrying its id.
net::awaitable<bool> ask(ws_stream& ws, soak_state& s, kind k) {
  beast::error_code ec;
  const std::string id = next_id(s, "g");
  const auto started = clock_type::now();
  ++s.asks_sent;
  ws.text(true);
  co_await ws.async_write(net::buffer(ask_frame(id, s.question())), with(ec));
  if (ec) {
    s.fail(k, "writing a good ask: " + ec.message());
    co_return false;
  }
  const auto reply = co_await read_json(ws, ec);
  if (!reply) {
    s.fail(k, "reading the answer to a good ask: " + ec.message());
    co_return false;
  }
  if (reply->value("type", "") != "answer" || reply->value("id", "") != id) {
    s.fail(k, "a good ask got " + describe(*reply));
    co_return false;
  }
  ++s.asks_answered;
  s.latencies_ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - started).count());
  co_return true;
}

net::awaitable<void> close_politely(ws_stream& ws) {
  beast::error_code ec;
  co_await ws.async_close(websocket::close_code::normal, with(ec));
}

void drop(beast::tcp_stream& stream) {
  beast::error_code ec;
  // Linger 0: a reset, as when a phone loses its signal, not an orderly FIN.
  stream.socket().set_option(net::socket_base::linger(true, 0), ec);
  stream.socket().close(ec);
}

net::awaitable<void> good_session(soak_state& s) {
  ws_stream ws(co_await net::this_coro::executor);
  if (!co_await open(ws, s, kind::good)) co_return;
  const int asks = s.uniform(3, 10);
  for (int i = 0; i < asks && clock_type::now() < s.ends; ++i) {
    if (!co_await ask(ws, s, kind::good)) co_return;
    co_await pause(std::chrono::milliseconds(s.uniform(500, 2000)));
  }
  co_await close_politely(ws);
}

// Each bad message with the error code the contract gives it.
struct bad_message {
  std::string frame;
  bool binary;
  std::string code;
};

const std::vector<bad_message>& bad_messages() {
  static const std::vector<bad_message> messages = [] {
    std::vector<bad_message> m{
        {"this is not json", false, "bad_json"},
        {R"({"type":"ask","text":)", false, "bad_json"},
        {"[1,2,3]", false, "bad_request"},
        {R"({"type":"dance","id":"x"})", false, "bad_request"},
        {R"({"type":"ask"})", false, "bad_request"},
        {R"({"type":"ask","text":"   "})", false, "bad_request"},
        {R"({"type":"ask","id":7,"text":"hi"})", false, "bad_request"},
        {R"({"type":"feedback","answer_id":"","helpful":true})", false, "bad_request"},
        {R"({"type":"feedback","answer_id":"a-1","helpful":"yes"})", false, "bad_request"},
        {R"({"type":"ask","text":"how much?"})", true, "bad_request"},
    };
    m.push_back({json{{"type", "ask"}, {"text", std::string(4001, 'a')}}.dump(), false, "too_large"});
    return m;
  }();
  return messages;
}

net::awaitable<void> bad_frames_session(soak_state& s) {
  ws_stream ws(co_await net::this_coro::executor);
  if (!co_await open(ws, s, kind::bad_frames)) co_return;
  const int count = s.uniform(2, 5);
  for (int i = 0; i < count; ++i) {
    const auto& bad = bad_messages()[static_cast<std::size_t>(s.uniform(0, static_cast<int>(bad_messages().size()) - 1))];
    beast::error_code ec;
    ws.binary(bad.binary);
    co_await ws.async_write(net::buffer(bad.frame), with(ec));
    if (ec) co_return s.fail(kind::bad_frames, "write: " + ec.message());
    const auto reply = co_await read_json(ws, ec);
    if (!reply) co_return s.fail(kind::bad_frames, "read: " + ec.message());
    if (reply->value("type", "") != "error" || reply->value("code", "") != bad.code)
      co_return s.fail(kind::bad_frames, "expected error " + bad.code + ", got " + describe(*reply));
    ++s.errors_expected;
    co_await pause(std::chrono::milliseconds(s.uniform(200, 600)));
  }
  // The connection still works.
  if (co_await ask(ws, s, kind::bad_frames)) co_await close_politely(ws);
}

net::awaitable<void> too_large_session(soak_state& s) {
  static const std::string frame = json{{"type", "ask"}, {"id", "big"}, {"text", std::string(100 * 1024, 'a')}}.dump();
  ws_stream ws(co_await net::this_coro::executor);
  if (!co_await open(ws, s, kind::too_large)) co_return;
  beast::error_code ec;
  ws.text(true);
  co_await ws.async_write(net::buffer(frame), with(ec));
  if (ec) co_return s.fail(kind::too_large, "write: " + ec.message());
  const auto reply = co_await read_json(ws, ec);
  if (!reply) co_return s.fail(kind::too_large, "read: " + ec.message());
  if (reply->value("type", "") != "error" || reply->value("code", "") != "too_large")
    co_return s.fail(kind::too_large, "expected error too_large, got " + describe(*reply));
  ++s.errors_expected;
  if (co_await ask(ws, s, kind::too_large)) co_await close_politely(ws);
}

// Expects the server to close the connection with code, after frame.
net::awaitable<void> expect_close(soak_state& s, kind k, const std::string& frame, websocket::close_code code, long& count) {
  ws_stream ws(co_await net::this_coro::executor);
  if (!co_await open(ws, s, k)) co_return;
  beast::error_code ec;
  ws.text(true);
  co_await ws.async_write(net::buffer(frame), with(ec));
  if (ec) {
    // The server stopped reading a message it will not take and closed: fine for a huge one.
    if (k == kind::huge) ++s.huge_cut_otherwise;
    else s.fail(k, "write: " + ec.message());
    co_return;
  }
  for (;;) {
    const auto reply = co_await read_json(ws, ec);
    if (reply) {
      s.fail(k, "expected close " + std::to_string(static_cast<int>(code)) + ", got " + describe(*reply));
      co_return;
    }
    if (ec == websocket::error::closed && ws.reason().code == code) {
      ++count;
    } else if (k == kind::huge && ec != beast::error::timeout) {
      ++s.huge_cut_otherwise;
    } else {
      s.fail(k, "expected close " + std::to_string(static_cast<int>(code)) + ", got " + ec.message() + " (close code " +
                    std::to_string(ws.reason().code) + ")");
    }
    co_return;
  }
}

net::awaitable<void> huge_session(soak_state& s) {
  static const std::string frame = json{{"type", "ask"}, {"text", std::string(2 * 1024 * 1024, 'b')}}.dump();
  co_await expect_close(s, kind::huge, frame, websocket::close_code::too_big, s.closed_1009);
}

net::awaitable<void> invalid_utf8_session(soak_state& s) {
  static const std::string frame = "{\"type\":\"ask\",\"text\":\"price \xff\xfe\xc3( \xed\xa0\x80\"}";
  co_await expect_close(s, kind::invalid_utf8, frame, websocket::close_code::bad_payload, s.closed_1007);
}

net::awaitable<void> abrupt_session(soak_state& s) {
  const int how = s.uniform(0, 3);
  if (how == 0) {
    // Half an upgrade request, then gone.
    beast::tcp_stream stream(co_await net::this_coro::executor);
    beast::error_code ec;
    stream.expires_after(15s);
    co_await stream.async_connect(endpoint_of(s.opts), with(ec));
    if (ec) co_return s.fail(kind::abrupt, "connect: " + ec.message());
    const std::string partial = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n";
    co_await net::async_write(stream, net::buffer(partial), with(ec));
    drop(stream);
    co_return;
  }
  ws_stream ws(co_await net::this_coro::executor);
  if (!co_await open(ws, s, kind::abrupt)) co_return;
  beast::error_code ec;
  if (how == 1) {
    // An ask in flight, and the client vanishes before the answer.
    co_await ws.async_write(net::buffer(ask_frame("gone", s.question())), with(ec));
  } else if (how == 2) {
    // A frame header promising 1,000 bytes, 10 of them, then gone. Client frames are masked.
    std::string raw{'\x81', static_cast<char>(0x80 | 126), '\x03', '\xe8', '\x01', '\x02', '\x03', '\x04'};
    raw += std::string(10, 'x');
    co_await net::async_write(beast::get_lowest_layer(ws), net::buffer(raw), with(ec));
  } else {
    co_await pause(std::chrono::milliseconds(s.uniform(0, 1000)));
  }
  drop(beast::get_lowest_layer(ws));
}

net::awaitable<void> slow_reader_session(soak_state& s) {
  ws_stream ws(co_await net::this_coro::executor);
  auto& stream = beast::get_lowest_layer(ws);
  beast::error_code ec;
  // A tiny receive window, set before connecting so that it is the window advertised.
  stream.socket().open(tcp::v4(), ec);
  stream.socket().set_option(net::socket_base::receive_buffer_size(2048), ec);
  if (!co_await open(ws, s, kind::slow_reader)) co_return;
  std::vector<std::string> ids;
  ws.text(true);
  for (int i = 0; i < 12; ++i) {
    ids.push_back(next_id(s, "s"));
    ++s.asks_sent;
    co_await ws.async_write(net::buffer(ask_frame(ids.back(), s.question())), with(ec));
    if (ec) co_return s.fail(kind::slow_reader, "write: " + ec.message());
    co_await pause(250ms);  // within the rate limit: a slow reader, not a flooder
  }
  co_await pause(std::chrono::milliseconds(s.uniform(3000, 15000)));
  for (const auto& id : ids) {
    const auto reply = co_await read_json(ws, ec);
    if (!reply) co_return s.fail(kind::slow_reader, "read: " + ec.message());
    if (reply->value("type", "") != "answer" || reply->value("id", "") != id)
      co_return s.fail(kind::slow_reader, "a good ask got " + describe(*reply));
    ++s.asks_answered;
  }
  co_await close_politely(ws);
}

net::awaitable<void> never_reads_session(soak_state& s) {
  ws_stream ws(co_await net::this_coro::executor);
  auto& stream = beast::get_lowest_layer(ws);
  beast::error_code ec;
  stream.socket().open(tcp::v4(), ec);
  stream.socket().set_option(net::socket_base::receive_buffer_size(2048), ec);
  if (!co_await open(ws, s, kind::never_reads)) co_return;
  ws.text(true);
  // As fast as the socket takes them; most get rate_limited, and none is ever read.
  for (int i = 0; i < 300 && !ec; ++i) {
    stream.expires_after(5s);  // the server may stop reading us: give up writing then
    co_await ws.async_write(net::buffer(ask_frame("flood", s.question())), with(ec));
  }
  co_await pause(std::chrono::milliseconds(s.uniform(2000, 10000)));
  drop(stream);
}

net::awaitable<void> slow_handshake_session(soak_state& s) {
  beast::tcp_stream stream(co_await net::this_coro::executor);
  beast::error_code ec;
  stream.expires_after(15s);
  co_await stream.async_connect(endpoint_of(s.opts), with(ec));
  if (ec) co_return s.fail(kind::slow_handshake, "connect: " + ec.message());
  stream.expires_never();
  const std::string request =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  const auto started = clock_type::now();
  // One byte a second until the server hangs up; its handshake timeout is 10 s.
  for (char c : request) {
    co_await net::async_write(stream, net::buffer(&c, 1), with(ec));
    if (ec) break;
    if (clock_type::now() - started > 30s) break;
    co_await pause(1s);
  }
  const auto took = clock_type::now() - started;
  if (ec && took < 25s) ++s.handshakes_cut;
  else s.fail(kind::slow_handshake, "not cut off after " + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(took).count()) + " s");
  drop(stream);
}

net::awaitable<void> session(soak_state& s, kind k) {
  switch (k) {
    case kind::good: co_await good_session(s); break;
    case kind::bad_frames: co_await bad_frames_session(s); break;
    case kind::too_large: co_await too_large_session(s); break;
    case kind::huge: co_await huge_session(s); break;
    case kind::invalid_utf8: co_await invalid_utf8_session(s); break;
    case kind::abrupt: co_await abrupt_session(s); break;
    case kind::slow_reader: co_await slow_reader_session(s); break;
    case kind::never_reads: co_await never_reads_session(s); break;
    case kind::slow_handshake: co_await slow_handshake_session(s); break;
  }
}

kind pick(soak_state& s) {
  int roll = s.uniform(0, 99);
  for (std::size_t i = 0; i < kind_weights.size(); ++i) {
    if (roll < kind_weights[i]) return static_cast<kind>(i);
    roll -= kind_weights[i];
  }
  return kind::good;
}

// One client: sessions one after another until the run ends.
net::awaitable<void> slot(soak_state& s) {
  ++s.active_slots;
  // Spread the first connections over a few seconds, as visitors arrive.
  co_await pause(std::chrono::milliseconds(s.uniform(0, 5000)));
  while (clock_type::now() < s.ends) {
    const kind k = pick(s);
    ++s.sessions[static_cast<std::size_t>(k)];
    ++s.open_sessions;
    co_await session(s, k);
    --s.open_sessions;
    co_await pause(std::chrono::milliseconds(s.uniform(50, 500)));
  }
  --s.active_slots;
}

struct figures {
  server_sample baseline, at_warmup, at_end, after;
  long max_rss_after_warmup = 0;
  long max_fds = 0;
};

// Samples the server every 2 s and prints a line every 30 s.
net::awaitable<void> monitor(soak_state& s, figures& f) {
  const double warmup = s.opts.warmup_seconds;
  bool warmed = false;
  double next_print = 0;
  while (s.active_slots > 0 || s.seconds() < 6) {
    const auto now = sample_server(s.opts.server_pid);
    f.max_fds = std::max(f.max_fds, now.fds);
    if (!warmed && s.seconds() >= warmup) {
      warmed = true;
      f.at_warmup = now;
    }
    if (warmed) f.max_rss_after_warmup = std::max(f.max_rss_after_warmup, now.rss_kb);
    // The last sample while the load was still on.
    if (clock_type::now() < s.ends) f.at_end = now;
    if (s.seconds() >= next_print) {
      std::printf("t=%5.0fs sessions=%4ld asks=%7ld answered=%7ld failures=%4zu rss=%6ld kB fds=%5ld%s\n", s.seconds(),
                  s.open_sessions, s.asks_sent, s.asks_answered, s.failures.size(), now.rss_kb, now.fds,
                  warmed ? "" : " (warm-up)");
      std::fflush(stdout);
      next_print += 30;
    }
    if (!server_alive(s.opts.server_pid)) co_return;
    co_await pause(2s);
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--host") o.host = value();
    else if (a == "--port") o.port = static_cast<unsigned short>(std::stoi(value()));
    else if (a == "--connections") o.connections = std::stoi(value());
    else if (a == "--minutes") o.minutes = std::stod(value());
    else if (a == "--warmup") o.warmup_seconds = std::stod(value());
    else if (a == "--server-pid") o.server_pid = std::stol(value());
    else if (a == "--questions") o.questions = value();
    else if (a == "--seed") o.seed = static_cast<unsigned>(std::stoul(value()));
    else throw std::runtime_error("unknown argument " + a);
  }
  if (o.port == 0) throw std::runtime_error("--port is required");
  if (o.warmup_seconds < 0) o.warmup_seconds = std::min(60.0, o.minutes * 60 / 5);
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  soak_state s;
  try {
    s.opts = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "cited-soak: " << e.what()
              << "\nusage: cited-soak --port P [--host H] [--connections 1000] [--minutes 5] [--warmup S] "
                 "[--server-pid PID] [--questions FILE] [--seed N]\n";
    return 2;
  }
  // Each connection is a descriptor: take what the hard limit allows.
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  std::ifstream in(s.opts.questions);
  for (std::string line; std::getline(in, line);) {
    const json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("q") && j["q"].is_string()) s.questions.push_back(j["q"].get<std::string>());
  }
  if (s.questions.empty()) {
    std::cerr << "cited-soak: no questions in " << s.opts.questions << "\n";
    return 2;
  }
  s.random.seed(s.opts.seed);

  figures f;
  f.baseline = sample_server(s.opts.server_pid);
  std::printf("cited-soak: %d connections for %.1f min against %s:%u (warm-up %.0f s); server baseline rss=%ld kB fds=%ld\n",
              s.opts.connections, s.opts.minutes, s.opts.host.c_str(), s.opts.port, s.opts.warmup_seconds,
              f.baseline.rss_kb, f.baseline.fds);
  std::fflush(stdout);

  // One thread: the client's work is small next to the server's, and no strands are needed.
  net::io_context ioc(1);
  s.started = clock_type::now();
  s.ends = s.started + std::chrono::milliseconds(static_cast<long>(s.opts.minutes * 60'000));
  for (int i = 0; i < s.opts.connections; ++i) net::co_spawn(ioc, slot(s), net::detached);
  net::co_spawn(ioc, monitor(s, f), net::detached);
  ioc.run();

  // Every client is gone: the server's descriptors should come back to the baseline.
  const bool alive = server_alive(s.opts.server_pid);
  for (int i = 0; i < 30 && alive; ++i) {
    f.after = sample_server(s.opts.server_pid);
    if (f.after.fds <= f.baseline.fds) break;
    std::this_thread::sleep_for(1s);
  }

  long sessions = 0;
  for (long n : s.sessions) sessions += n;
  std::printf("\nsessions: %ld (", sessions);
  for (std::size_t i = 0; i < kind_names.size(); ++i) std::printf("%s%s %ld", i ? ", " : "", kind_names[i], s.sessions[i]);
  std::printf(")\n");
  std::printf("good asks: %ld sent, %ld answered; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", s.asks_sent,
              s.asks_answered, percentile(s.latencies_ms, 0.5), percentile(s.latencies_ms, 0.99),
              percentile(s.latencies_ms, 1.0));
  std::printf("bad messages answered with the right error: %ld; closed 1007 (invalid UTF-8): %ld; closed 1009 (huge): %ld, "
              "huge cut off otherwise: %ld; slow handshakes cut off: %ld\n",
              s.errors_expected, s.closed_1007, s.closed_1009, s.huge_cut_otherwise, s.handshakes_cut);
  for (const auto& [why, n] : s.failures) std::printf("FAILURE x%ld: %s\n", n, why.c_str());

  bool ok = s.failures.empty() && s.asks_sent == s.asks_answered;
  if (s.opts.server_pid > 0) {
    const double growth =
        f.at_warmup.rss_kb > 0 ? 100.0 * static_cast<double>(f.at_end.rss_kb - f.at_warmup.rss_kb) / static_cast<double>(f.at_warmup.rss_kb) : 0;
    std::printf("server rss: baseline %ld kB, after warm-up %ld kB, at the end %ld kB (%+.1f%%), max after warm-up %ld kB, "
                "after the clients left %ld kB\n",
                f.baseline.rss_kb, f.at_warmup.rss_kb, f.at_end.rss_kb, growth, f.max_rss_after_warmup, f.after.rss_kb);
    std::printf("server fds: baseline %ld, peak %ld, after the clients left %ld\n", f.baseline.fds, f.max_fds, f.after.fds);
    std::printf("server alive: %s\n", alive ? "yes" : "NO");
    if (!alive) ok = false;
    if (growth >= 10) {
      std::printf("FAILURE: rss grew %.1f%% after warm-up (limit 10%%)\n", growth);
      ok = false;
    }
    if (alive && f.after.fds > f.baseline.fds) {
      std::printf("FAILURE: %ld descriptors more than the baseline after the clients left\n", f.after.fds - f.baseline.fds);
      ok = false;
    }
  }
  if (s.asks_sent != s.asks_answered) std::printf("FAILURE: %ld good asks unanswered\n", s.asks_sent - s.asks_answered);
  std::printf("%s\n", ok ? "soak: PASS" : "soak: FAIL");
  return ok ? 0 : 1;
}
