// Faults the server must survive: kill -9 while feedback streams in, a client that never reads
// its socket, and slow-loris clients that trickle or withhold their requests.
#include "server.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "child_server.hpp"
#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

json feedback_message(const std::string& answer_id, int n) {
  return {{"type", "feedback"}, {"answer_id", answer_id}, {"helpful", n % 2 == 0}, {"comment", "fault test row " + std::to_string(n)}};
}

// Every answer_id in the store, as a fresh server would find it, and SQLite's verdict on the file.
struct stored_rows {
  std::vector<std::string> answer_ids;
  std::string integrity;
};

stored_rows read_store(const fs::path& file) {
  sqlite3* db = nullptr;
  stored_rows out;
  // Read-write, as the next server opens it: that is what replays a WAL left by a killed process.
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    out.integrity = sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  auto each_row = [db](const char* sql, auto on_row) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    while (sqlite3_step(q) == SQLITE_ROW) on_row(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    sqlite3_finalize(q);
  };
  each_row("PRAGMA integrity_check", [&](const char* verdict) { out.integrity += verdict; });
  each_row("SELECT answer_id FROM feedback ORDER BY id", [&](const char* id) { out.answer_ids.emplace_back(id); });
  sqlite3_close(db);
  return out;
}

TEST(kill_9, during_a_stream_of_feedback_loses_no_acknowledged_row) {
  const fs::path dir = scratch_dir() / "kill-9";
  fs::create_directories(dir);
  const fs::path db = dir / "cited.db", store = dir / "feedback.db";
  index_corpus(db, dir / "index.err");

  // Several lives of the same store, each ended by SIGKILL with feedback in flight: every
  // life must also open what the previous one left.
  constexpr int lives = 3;
  // Messages sent but not yet acknowledged at any moment: more than the server reads ahead
  // (limits.write_queue), so that some are unread, some queued for the writer, one committing.
  constexpr int in_flight = 24;
  std::set<std::string> sent, acknowledged;
  for (int life = 0; life < lives; ++life) {
    SCOPED_TRACE("life " + std::to_string(life));
    served_process server(db, store, dir);
    ws_client c(server.port());
    int numbered = 0, acked = 0;
    auto note = [&](const json& m) {
      EXPECT_EQ(m["type"], "feedback_saved") << m;
      if (m["type"] != "feedback_saved") return;
      EXPECT_TRUE(sent.count(m["answer_id"])) << m;
      acknowledged.insert(m["answer_id"].get<std::string>());
      ++acked;
    };
    // Feedback is taken only for an answer given on this connection: each row rates an answer
    // asked for just before it (the acknowledgements that come meanwhile are noted).
    auto fresh_answer = [&] {
      c.send(json{{"type", "ask"}, {"text", "is it permanent?"}}.dump());
      for (;;) {
        const json m = c.read();
        if (m["type"] == "answer") return m["answer_id"].get<std::string>();
        note(m);
      }
    };
    auto send_next = [&] {
      std::string answer_id = fresh_answer();
      c.send(feedback_message(answer_id, numbered++).dump());
      sent.insert(std::move(answer_id));
    };
    for (int i = 0; i < in_flight; ++i) send_next();
    // A different point in the stream each life.
    const int kill_after = 60 + 45 * life;
    while (acked < kill_after) {
      note(c.read());
      ASSERT_FALSE(HasFailure());
      send_next();
    }
    ASSERT_EQ(server.kill_9(), SIGKILL);
    // Acknowledgements the server had already sent count too: each promised a stored row.
    for (;;) {
      json m;
      try {
        m = c.read(5s);
      } catch (const std::runtime_error&) {
        break;  // the connection died with the process
      }
      if (m["type"] == "feedback_saved") acknowledged.insert(m["answer_id"].get<std::string>());
    }
  }

  const stored_rows rows = read_store(store);
  EXPECT_EQ(rows.integrity, "ok");
  const std::set<std::string> stored(rows.answer_ids.begin(), rows.answer_ids.end());
  EXPECT_EQ(stored.size(), rows.answer_ids.size()) << "a row was stored twice";
  std::vector<std::string> lost;
  for (const auto& id : acknowledged)
    if (!stored.count(id)) lost.push_back(id);
  EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged rows are missing, the first " << lost.front();
  for (const auto& id : stored) EXPECT_TRUE(sent.count(id)) << "a row nobody sent: " << id;
  // Of what was sent and never acknowledged, some may be stored: the kill came before the ack.
  EXPECT_GE(rows.answer_ids.size(), acknowledged.size());
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("stored", static_cast<int>(rows.answer_ids.size()));
}

// Hand-offs the same way: each "handoff_saved" promised a committed row.
std::set<std::string> stored_handoff_questions(const fs::path& file, std::string& integrity) {
  sqlite3* db = nullptr;
  std::set<std::string> out;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    integrity = sqlite3_errmsg(db);
    sqlite3_close(db);
    return out;
  }
  for (const char* sql : {"PRAGMA integrity_check", "SELECT question FROM handoffs"}) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) throw std::runtime_error(sqlite3_errmsg(db));
    while (sqlite3_step(q) == SQLITE_ROW) {
      const std::string v = reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
      if (sql[0] == 'P') integrity += v;
      else out.insert(v);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

TEST(kill_9, right_after_handoffs_are_acknowledged_loses_none_of_them) {
  const fs::path dir = scratch_dir() / "kill-9-handoff";
  fs::create_directories(dir);
  const fs::path db = dir / "cited.db", store = dir / "records.db";
  index_corpus(db, dir / "index.err");
  std::set<std::string> acknowledged;
  int numbered = 0;
  for (int life = 0; life < 3; ++life) {
    SCOPED_TRACE("life " + std::to_string(life));
    served_process server(db, store, dir);
    ws_client c(server.port());
    c.ask("do you do payment plans?");
    std::map<std::string, std::string> question_of;  // message id -> question
    auto send_next = [&] {
      const std::string id = "h" + std::to_string(numbered);
      const std::string question = "fault test hand-off " + std::to_string(numbered++);
      question_of[id] = question;
      c.send(json{{"type", "handoff"}, {"id", id}, {"contact", "pat@example.com"}, {"question", question}, {"consent", true}}.dump());
    };
    for (int i = 0; i < 8; ++i) send_next();
    const int kill_after = 20 + 10 * life;
    for (int acked = 0; acked < kill_after; ++acked) {
      const json m = c.read();
      ASSERT_EQ(m["type"], "handoff_saved") << m;
      acknowledged.insert(question_of.at(m["id"]));
      send_next();
    }
    // SIGKILL right after the patient's "sent": nothing runs, nothing is flushed.
    ASSERT_EQ(server.kill_9(), SIGKILL);
    for (;;) {
      json m;
      try {
        m = c.read(5s);
      } catch (const std::runtime_error&) {
        break;
      }
      if (m["type"] == "handoff_saved") acknowledged.insert(question_of.at(m["id"]));
    }
  }
  std::string integrity;
  const auto stored = stored_handoff_questions(store, integrity);
  EXPECT_EQ(integrity, "ok");
  std::vector<std::string> lost;
  for (const auto& q : acknowledged)
    if (!stored.count(q)) lost.push_back(q);
  EXPECT_TRUE(lost.empty()) << lost.size() << " acknowledged hand-offs are missing, the first " << lost.front();
  RecordProperty("acknowledged", static_cast<int>(acknowledged.size()));
  RecordProperty("stored", static_cast<int>(stored.size()));
}

// --- A client that never reads --------------------------------------------------------------

// The server's counters, from GET /metrics.
struct metrics_snapshot {
  long open_websockets = 0;
  long open_http = 0;
};

metrics_snapshot read_metrics(unsigned short port) {
  const auto r = http_request(port, http::verb::get, "/metrics");
  metrics_snapshot m;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    const std::string name = line.substr(0, space);
    if (name == R"(cited_open_connections{kind="websocket"})") m.open_websockets = std::stol(line.substr(space + 1));
    else if (name == R"(cited_open_connections{kind="http"})") m.open_http = std::stol(line.substr(space + 1));
  }
  return m;
}

// Polls the server's counters until ok(snapshot) or the deadline; returns the last snapshot.
template <class Condition>
metrics_snapshot wait_for_metrics(unsigned short port, Condition ok, std::chrono::milliseconds deadline) {
  const auto until = steady::now() + deadline;
  metrics_snapshot m = read_metrics(port);
  while (!ok(m) && steady::now() < until) {
    std::this_thread::sleep_for(50ms);
    m = read_metrics(port);
  }
  return m;
}

// A WebSocket client that asks and asks and reads nothing. Its socket buffers are as small as
// the system allows, so that what the server sends backs up into the server, not into us.
class never_reading_client {
 public:
  explicit never_reading_client(unsigned short port) : ws_(ioc_) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    socket.set_option(net::socket_base::receive_buffer_size(1024));
    socket.set_option(net::socket_base::send_buffer_size(1024));
    std::optional<beast::error_code> done;
    beast::get_lowest_layer(ws_).async_connect({net::ip::make_address("127.0.0.1"), port}, [&](beast::error_code ec) {
      if (ec) return done.emplace(ec), void();
      ws_.async_handshake("127.0.0.1", "/ws", [&](beast::error_code handshake_ec) { done = handshake_ec; });
    });
    if (!run_until([&] { return done.has_value(); }, 5s) || *done) throw std::runtime_error("cannot connect");
  }

  // Starts writing frame; true once it is written, false when it was not within patience: the
  // server has stopped reading us. A write not finished stays pending (see read_all).
  bool send(std::string frame, std::chrono::milliseconds patience) {
    pending_ = std::move(frame);
    write_result_.reset();
    ws_.text(true);
    ws_.async_write(net::buffer(pending_), [this](beast::error_code ec, std::size_t) { write_result_ = ec; });
    if (!run_until([&] { return write_result_.has_value(); }, patience)) return false;
    if (*write_result_) throw std::runtime_error("write: " + write_result_->message());
    return true;
  }

  // At last reads: the next n messages, while the pending write (if any) completes.
  std::vector<json> read(std::size_t n, std::chrono::milliseconds timeout) {
    std::vector<json> out;
    for (std::size_t i = 0; i < n; ++i) {
      std::optional<beast::error_code> result;
      buffer_.clear();
      ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) { result = ec; });
      if (!run_until([&] { return result.has_value(); }, timeout)) throw timed_out("no message in time");
      if (*result) throw std::runtime_error("read: " + result->message());
      out.push_back(json::parse(beast::buffers_to_string(buffer_.data())));
    }
    return out;
  }

  // Writes frame; its result, or nullopt when it neither finished nor failed within patience.
  std::optional<beast::error_code> try_send(std::string frame, std::chrono::milliseconds patience) {
    pending_ = std::move(frame);
    write_result_.reset();
    ws_.text(true);
    ws_.async_write(net::buffer(pending_), [this](beast::error_code ec, std::size_t) { write_result_ = ec; });
    run_until([&] { return write_result_.has_value(); }, patience);
    return write_result_;
  }

  // The result of the last write, once it has one.
  std::optional<beast::error_code> write_result(std::chrono::milliseconds patience) {
    run_until([&] { return write_result_.has_value(); }, patience);
    return write_result_;
  }

 private:
  template <class Done>
  bool run_until(Done done, std::chrono::milliseconds patience) {
    ioc_.restart();
    const auto until = steady::now() + patience;
    while (!done() && steady::now() < until) ioc_.run_one_for(until - steady::now());
    return done();
  }

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::string pending_;
  std::optional<beast::error_code> write_result_;
};

// A long question (about 1 KB): fewer of them fill the socket buffers between us and the server.
std::string long_ask(int n) {
  std::string text;
  while (text.size() < 1000) text += "I am thinking about scalp micropigmentation and would like to know whether it is permanent. ";
  return json{{"type", "ask"}, {"id", std::to_string(n)}, {"text", text}}.dump();
}

TEST(never_reading_client, makes_the_server_stop_reading_it_while_others_are_answered) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;  // every ask is answered: the most a client can make us hold
  // This test is about holding back, not about timing out: on a loaded machine the flood, the
  // bystander and the reading back can outlast the per-message deadline and the idle timeout,
  // and a connection dropped for those would fail it for the wrong reason (the other tests here
  // cover both).
  options.limits.message_timeout = std::chrono::minutes(2);
  options.limits.idle_timeout = std::chrono::minutes(10);
  test_server s(options);
  never_reading_client flood(s.port());
  // Without a bound the server would read all of these (20 MB) and hold their answers; with it,
  // the socket buffers fill and our writes stop going out long before.
  constexpr int most = 20'000;
  int written = 0;
  while (written < most && flood.send(long_ask(written), 2s)) ++written;
  ASSERT_LT(written, most) << "the server read every ask of a client that never reads";
  const int sent = written + 1;  // the last one is still being written

  // Held back from the flood, the server still answers others at once.
  ws_client bystander(s.port());
  const auto asked = steady::now();
  const json a = bystander.ask("does it hurt?", "b1");
  EXPECT_EQ(a["type"], "answer");
  EXPECT_EQ(a["id"], "b1");
  EXPECT_LT(steady::now() - asked, 1s);

  // Nothing was dropped on the way: once the client reads, every ask gets its answer, in order.
  const auto replies = flood.read(static_cast<std::size_t>(sent), 30s);
  for (int i = 0; i < sent; ++i) {
    EXPECT_EQ(replies[static_cast<std::size_t>(i)]["type"], "answer");
    ASSERT_EQ(replies[static_cast<std::size_t>(i)]["id"], std::to_string(i));
  }
  RecordProperty("asks_written_before_the_server_stopped_reading", written);
}

TEST(never_reading_client, is_dropped_after_the_idle_timeout) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  options.limits.idle_timeout = 1s;
  test_server s(options);
  never_reading_client flood(s.port());
  int written = 0;
  while (written < 20'000 && flood.send(long_ask(written), 300ms)) ++written;
  ASSERT_LT(written, 20'000);
  // The server no longer reads it, so it hears nothing from it: after the idle timeout
  // (a ping, then as long again) it lets it go, and with it the answers it held.
  const auto m = wait_for_metrics(s.port(), [](const metrics_snapshot& x) { return x.open_websockets == 0; }, 10s);
  EXPECT_EQ(m.open_websockets, 0);
  auto last_write = flood.write_result(5s);
  ASSERT_TRUE(last_write.has_value()) << "the stalled write neither finished nor failed";
  // On a slow build (the sanitizers') the stall may have been the server catching up, the
  // write going in before it stopped for good; the connection is gone all the same, so a write
  // now fails (the first may still fill the socket buffer before the reset arrives).
  for (int attempt = 0; !*last_write && attempt < 5; ++attempt) {
    std::this_thread::sleep_for(100ms);
    last_write = flood.try_send(long_ask(written + 1 + attempt), 2s);
    ASSERT_TRUE(last_write.has_value()) << "a write to the dropped connection neither finished nor failed";
  }
  EXPECT_TRUE(*last_write) << "writes still go through; the connection should be gone";
}

// --- Slow-loris clients ---------------------------------------------------------------------

// A connection that sends `request` one byte every `interval` (or nothing, when it is empty) and
// notes when the server hangs up on it.
struct slow_connection {
  slow_connection(net::io_context& ioc, unsigned short port, std::string request_bytes, std::chrono::milliseconds every)
      : socket(ioc), drip(ioc), request(std::move(request_bytes)), interval(every) {
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    connected = steady::now();
  }

  void start() {
    socket.async_read_some(net::buffer(inbox), [this](beast::error_code ec, std::size_t n) { on_read(ec, n); });
    send_next();
  }

  void on_read(beast::error_code ec, std::size_t n) {
    received.append(inbox.data(), n);
    if (!ec) return start_read_only();
    cut_after = steady::now() - connected;
    drip.cancel();
  }

  void start_read_only() {
    socket.async_read_some(net::buffer(inbox), [this](beast::error_code ec, std::size_t n) { on_read(ec, n); });
  }

  void send_next() {
    if (cut_after || sent == request.size()) return;
    net::async_write(socket, net::buffer(&request[sent], 1), [this](beast::error_code ec, std::size_t) {
      if (ec) return;
      ++sent;
      drip.expires_after(interval);
      drip.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) send_next();
      });
    });
  }

  tcp::socket socket;
  net::steady_timer drip;
  std::string request;
  std::chrono::milliseconds interval;
  steady::time_point connected;
  std::size_t sent = 0;
  std::array<char, 1024> inbox{};
  std::string received;
  std::optional<steady::duration> cut_after;  // when the server closed the connection
};

TEST(slow_loris, trickling_and_silent_clients_are_cut_off_at_the_timeout_and_others_are_answered) {
  auto options = test_server::quiet_options();
  options.limits.handshake_timeout = 2s;
  test_server s(options);
  const std::string upgrade =
      "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  // Headers at once, then a body promised and trickled.
  const std::string post = "POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200\r\n\r\n{\"text\":\"does it hurt";
  constexpr int each = 10;

  net::io_context ioc;
  std::vector<std::unique_ptr<slow_connection>> slow;
  for (int i = 0; i < each; ++i) {
    slow.push_back(std::make_unique<slow_connection>(ioc, s.port(), upgrade, 1s));   // one byte a second
    slow.push_back(std::make_unique<slow_connection>(ioc, s.port(), "", 1s));        // connects, says nothing
    slow.push_back(std::make_unique<slow_connection>(ioc, s.port(), post, 1s));      // a body a byte a second
  }
  // The post's headers go out whole; only its body trickles.
  for (auto& c : slow)
    if (c->request == post) {
      const std::size_t headers = post.find("\r\n\r\n") + 4;
      net::write(c->socket, net::buffer(post.data(), headers));
      c->sent = headers;
    }
  for (auto& c : slow) c->start();
  std::jthread slow_clients([&] { ioc.run_for(options.limits.handshake_timeout + 8s); });

  // While they hang on, a patient is answered at once, over WebSocket and over HTTP.
  const auto during = read_metrics(s.port());
  EXPECT_GE(during.open_http, 3 * each) << "the slow clients should still be connected";
  ws_client patient(s.port());
  for (int i = 0; i < 5; ++i) {
    const auto asked = steady::now();
    const json a = patient.ask("how much does it cost?", std::to_string(i));
    EXPECT_EQ(a["status"], "answered");
    EXPECT_LT(steady::now() - asked, 1s);
  }
  const auto asked = steady::now();
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/ask", R"({"text":"does it hurt?"})", {{"Content-Type", "application/json"}})
                .status,
            200u);
  EXPECT_LT(steady::now() - asked, 1s);

  slow_clients.join();
  for (const auto& c : slow) {
    ASSERT_TRUE(c->cut_after.has_value()) << "a slow client (" << c->sent << " bytes sent) was never cut off";
    // Not before the timeout, and not long after it.
    EXPECT_GE(*c->cut_after, options.limits.handshake_timeout - 50ms);
    EXPECT_LT(*c->cut_after, options.limits.handshake_timeout + 2s);
    if (!c->request.empty()) {
      EXPECT_LT(c->sent, c->request.size()) << "the request was finished: no slow client";
    }
    EXPECT_TRUE(c->received.empty()) << c->received;  // cut off, not answered
  }
  // The server holds nothing for them any more: only the metrics request itself is open.
  const auto after = wait_for_metrics(s.port(), [](const metrics_snapshot& x) { return x.open_http <= 1; }, 5s);
  EXPECT_EQ(after.open_http, 1);
  // The patient's WebSocket lives on.
  EXPECT_EQ(patient.ask("does it hurt?")["type"], "answer");
}

}  // namespace
}  // namespace cited::test
