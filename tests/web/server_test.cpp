// The server end to end: a real index, real sockets, real Beast clients.
#include "server.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "answer_json.hpp"
#include "feedback_store.hpp"
#include "test_client.hpp"
#include "test_server.hpp"
#include "staff_client.hpp"

namespace cited::test {
namespace {

using nlohmann::json;

// The connection still answers: what every error test checks after its error.
void expect_still_answers(ws_client& c) {
  const json a = c.ask("how much does it cost?", "after");
  EXPECT_EQ(a["type"], "answer") << a;
  EXPECT_EQ(a["id"], "after");
  EXPECT_EQ(a["status"], "answered");
}

// prefix followed by n. (Not "q" + std::to_string(n): GCC 12 warns falsely on that, bug 105329.)
std::string numbered(std::string prefix, int n) {
  prefix += std::to_string(n);
  return prefix;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- WebSocket: each message type -------------------------------------------------------

TEST(websocket, ask_gets_a_cited_answer_with_the_clients_id) {
  test_server s;
  ws_client c(s.port());
  const json a = c.ask("how much does it cost?", "c1");
  EXPECT_EQ(a["type"], "answer");
  EXPECT_EQ(a["id"], "c1");
  EXPECT_EQ(a["status"], "answered");
  ASSERT_FALSE(a["citations"].empty());
  EXPECT_TRUE(a["answer_id"].is_string());
  EXPECT_TRUE(cites(a, "$3000")) << a;
}

TEST(websocket, ask_without_id_gets_an_answer_without_id) {
  test_server s;
  ws_client c(s.port());
  const json a = c.ask("hello!");
  EXPECT_EQ(a["type"], "answer");
  EXPECT_FALSE(a.contains("id"));
  EXPECT_EQ(a["status"], "smalltalk");
}

TEST(websocket, follow_up_is_answered_in_the_conversations_context) {
  test_server s;
  ws_client c(s.port());
  c.ask("what is microblading?");
  const json follow = c.ask("how long does that last?");
  EXPECT_EQ(follow["status"], "answered");
  EXPECT_TRUE(cites(follow, "1-3 years")) << follow;
}

TEST(websocket, each_connection_has_its_own_conversation) {
  test_server s;
  ws_client first(s.port()), second(s.port());
  first.ask("what is microblading?");
  const json other = second.ask("how long does that last?");
  EXPECT_FALSE(cites(other, "Microblading results typically last")) << other;
}

TEST(websocket, reset_forgets_the_conversation) {
  test_server s;
  ws_client c(s.port());
  c.ask("what is microblading?");
  c.send(R"({"type":"reset","id":"r1"})");
  const json done = c.read();
  EXPECT_EQ(done["type"], "reset_done");
  EXPECT_EQ(done["id"], "r1");
  const json after = c.ask("how long does that last?");
  EXPECT_FALSE(cites(after, "Microblading results typically last")) << after;
}

TEST(websocket, feedback_is_acknowledged_only_once_stored) {
  test_server s;
  ws_client c(s.port());
  const json a = c.ask("does it hurt?");
  c.send(json{{"type", "feedback"}, {"answer_id", a["answer_id"]}, {"helpful", false}, {"comment", "it did, call me on 07700 900123"}}.dump());
  const json saved = c.read();
  EXPECT_EQ(saved["type"], "feedback_saved");
  EXPECT_EQ(saved["answer_id"], a["answer_id"]);
  // The row is there the moment the acknowledgement is: read it through another connection.
  records::feedback_store store(s.feedback_file);
  const auto rows = store.recent(10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].what.answer_id, a["answer_id"]);
  EXPECT_FALSE(rows[0].what.helpful);
  EXPECT_EQ(rows[0].what.comment, "it did, call me on [phone]");  // stored as it is logged
  expect_still_answers(c);
}

TEST(websocket, feedback_survives_a_restart) {
  std::filesystem::path file;
  std::string answer_id;
  {
    test_server first;
    file = first.feedback_file;
    ws_client c(first.port());
    answer_id = c.ask("is it permanent?")["answer_id"];
    c.send(json{{"type", "feedback"}, {"answer_id", answer_id}, {"helpful", true}}.dump());
    ASSERT_EQ(c.read()["type"], "feedback_saved");
  }
  auto options = test_server::quiet_options();
  test_server second(options, std::make_shared<records::feedback_store>(file));
  ws_client c(second.port());
  const std::string later = c.ask("does it hurt?")["answer_id"];
  c.send(json{{"type", "feedback"}, {"answer_id", later}, {"helpful", false}}.dump());
  ASSERT_EQ(c.read()["type"], "feedback_saved");
  second.server->stop();
  records::feedback_store store(file);
  const auto rows = store.recent(10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].what.answer_id, answer_id);
  EXPECT_TRUE(rows[1].what.helpful);
  EXPECT_EQ(rows[0].what.answer_id, later);
}

// A store that cannot store: the disk is full.
struct failing_sink : feedback_sink {
  void save(const feedback&) override { throw std::runtime_error("disk full"); }
};

TEST(websocket, feedback_the_store_refuses_gets_internal_and_the_chat_goes_on) {
  test_server s(test_server::quiet_options(), std::make_shared<failing_sink>());
  ws_client c(s.port());
  const std::string answer_id = c.ask("is it permanent?")["answer_id"];
  c.send(json{{"type", "feedback"}, {"id", "f1"}, {"answer_id", answer_id}, {"helpful", true}}.dump());
  const json e = c.read();
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["code"], "internal");
  EXPECT_EQ(e["id"], "f1");
  expect_still_answers(c);
}

// --- WebSocket: every error code, each followed by a good ask -----------------------------

struct bad_frame {
  const char* name;
  std::string frame;
  const char* code;
  const char* id;  // the id the error should echo, or null
};

class websocket_errors : public ::testing::TestWithParam<bad_frame> {};

TEST_P(websocket_errors, get_their_error_and_the_connection_keeps_working) {
  test_server s;
  ws_client c(s.port());
  c.send(GetParam().frame);
  const json e = c.read();
  EXPECT_EQ(e["type"], "error") << e;
  EXPECT_EQ(e["code"], GetParam().code) << e;
  EXPECT_TRUE(e["message"].is_string());
  if (GetParam().id) EXPECT_EQ(e["id"], GetParam().id);
  else EXPECT_FALSE(e.contains("id"));
  expect_still_answers(c);
}

INSTANTIATE_TEST_SUITE_P(
    each_code, websocket_errors,
    ::testing::Values(
        bad_frame{"not_json", "{not json", "bad_json", nullptr},
        bad_frame{"truncated_json", R"({"type":"ask","text":"hi")", "bad_json", nullptr},
        bad_frame{"not_an_object", R"(["ask"])", "bad_request", nullptr},
        bad_frame{"no_type", R"({"id":"x1","text":"hi"})", "bad_request", "x1"},
        bad_frame{"unknown_type", R"({"type":"shout","id":"x2"})", "bad_request", "x2"},
        bad_frame{"ask_without_text", R"({"type":"ask","id":"x3"})", "bad_request", "x3"},
        bad_frame{"ask_with_number_text", R"({"type":"ask","id":"x4","text":42})", "bad_request", "x4"},
        bad_frame{"ask_with_empty_text", R"({"type":"ask","id":"x5","text":"  "})", "bad_request", "x5"},
        bad_frame{"feedback_without_answer_id", R"({"type":"feedback","helpful":true})", "bad_request", nullptr},
        bad_frame{"feedback_with_string_helpful", R"({"type":"feedback","answer_id":"a","helpful":"yes"})", "bad_request", nullptr},
        bad_frame{"id_not_a_string", R"({"type":"ask","id":7,"text":"hi"})", "bad_request", nullptr},
        bad_frame{"question_over_4000_characters", json{{"type", "ask"}, {"id", "x6"}, {"text", std::string(4001, 'a')}}.dump(),
                  "too_large", "x6"},
        // 4,000 characters of two bytes each are allowed: the limit is on characters.
        bad_frame{"message_over_64_KiB", json{{"type", "ask"}, {"text", std::string(70 * 1024, 'a')}}.dump(), "too_large", nullptr},
        bad_frame{"deeply_nested_json", std::string(30000, '[') + std::string(30000, ']'), "bad_request", nullptr}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(websocket, a_question_of_4000_two_byte_characters_is_answered) {
  test_server s;
  ws_client c(s.port());
  std::string text;
  for (int i = 0; i < 4000; ++i) text += "é";
  EXPECT_EQ(c.ask(text)["type"], "answer");
}

TEST(websocket, binary_frame_is_a_bad_request) {
  test_server s;
  ws_client c(s.port());
  c.send_binary(R"({"type":"ask","text":"hi"})");
  const json e = c.read();
  EXPECT_EQ(e["code"], "bad_request");
  expect_still_answers(c);
}

TEST(websocket, invalid_utf8_fails_only_that_connection_with_1007) {
  test_server s;
  ws_client bystander(s.port());
  ws_client c(s.port());
  c.send("{\"type\":\"ask\",\"text\":\"caf\xC3\x28\"}");
  EXPECT_EQ(c.read_until_closed(), 1007);
  expect_still_answers(bystander);
  ws_client fresh(s.port());
  expect_still_answers(fresh);
}

TEST(websocket, message_past_read_message_max_closes_with_1009) {
  auto options = test_server::quiet_options();
  // Small limits, so that the whole message is in the socket buffers before the server reads
  // it: Beast's teardown resets a connection it has not drained, which can lose the close
  // frame for a client still writing.
  options.limits.max_message_bytes = 2048;
  options.limits.read_message_max = 4096;
  test_server s(options);
  ws_client bystander(s.port());
  ws_client c(s.port());
  c.send(json{{"type", "ask"}, {"text", std::string(3000, 'a')}}.dump());
  EXPECT_EQ(c.read()["code"], "too_large");  // readable, but past max_message_bytes
  c.send(json{{"type", "ask"}, {"text", std::string(8000, 'a')}}.dump());
  EXPECT_EQ(c.read_until_closed(), 1009);
  expect_still_answers(bystander);
}

TEST(websocket, rate_limit_refuses_past_the_burst_then_recovers) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 2;
  options.limits.rate_burst = 3;
  test_server s(options);
  ws_client c(s.port());
  // Sent at once, read afterwards: the server sees all five within a few milliseconds.
  for (int i = 0; i < 5; ++i) c.send(json{{"type", "ask"}, {"id", numbered("q", i)}, {"text", "does it hurt?"}}.dump());
  int answers = 0, limited = 0;
  for (int i = 0; i < 5; ++i) {
    const json m = c.read();
    EXPECT_EQ(m["id"], numbered("q", i));
    if (m["type"] == "answer") ++answers;
    if (m["type"] == "error" && m["code"] == "rate_limited") ++limited;
  }
  EXPECT_EQ(answers, 3);
  EXPECT_EQ(limited, 2);
  std::this_thread::sleep_for(600ms);  // one token back at 2 a second
  expect_still_answers(c);
}

TEST(websocket, a_client_that_reads_late_still_gets_every_answer_in_order) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  test_server s(options);
  ws_client c(s.port());
  // More than the write queue holds: the server stops reading until the client catches up.
  constexpr int n = 100;
  for (int i = 0; i < n; ++i) c.send(json{{"type", "ask"}, {"id", std::to_string(i)}, {"text", "is smp permanent?"}}.dump());
  for (int i = 0; i < n; ++i) EXPECT_EQ(c.read()["id"], std::to_string(i));
}

// --- WebSocket: the handshake -------------------------------------------------------------

TEST(websocket, origins_not_listed_are_refused_with_403) {
  auto options = test_server::quiet_options();
  options.allowed_origins = {"https://clinic.example"};
  test_server s(options);
  try {
    ws_client c(s.port(), "https://elsewhere.example");
    FAIL() << "the handshake was accepted";
  } catch (const refused& r) {
    EXPECT_EQ(r.status, 403u);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "forbidden");
  }
  ws_client allowed(s.port(), "https://clinic.example");
  expect_still_answers(allowed);
  ws_client no_origin(s.port());  // not a browser; it could claim any origin anyway
  expect_still_answers(no_origin);
}

TEST(websocket, connections_past_the_cap_get_503) {
  auto options = test_server::quiet_options();
  options.limits.max_connections = 3;
  test_server s(options);
  std::vector<std::unique_ptr<ws_client>> open;
  for (int i = 0; i < 3; ++i) open.push_back(std::make_unique<ws_client>(s.port()));
  try {
    ws_client c(s.port());
    FAIL() << "a fourth connection was accepted";
  } catch (const refused& r) {
    EXPECT_EQ(r.status, 503u);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "unavailable");
  }
  expect_still_answers(*open[0]);
  // One leaves; there is room again as soon as the server has seen it go.
  open.back()->close();
  open.pop_back();
  for (int attempt = 0;; ++attempt) {
    try {
      ws_client c(s.port());
      expect_still_answers(c);
      break;
    } catch (const refused&) {
      ASSERT_LT(attempt, 50);
      std::this_thread::sleep_for(20ms);
    }
  }
}

TEST(websocket, an_idle_client_that_answers_pings_is_kept_and_a_silent_one_is_dropped) {
  using steady = std::chrono::steady_clock;
  auto options = test_server::quiet_options();
  options.limits.idle_timeout = 1s;
  test_server s(options);

  // A client reading through the WebSocket layer answers the server's pings: it stays.
  ws_client alive(s.port());
  EXPECT_THROW(alive.read(2500ms), timed_out);
  expect_still_answers(alive);

  // One that never reads through it never answers them: pinged after half the idle timeout
  // (the ping's bytes arrive), let go after as long again.
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> silent(ioc);
  silent.next_layer().connect({net::ip::make_address("127.0.0.1"), s.port()});
  silent.handshake("127.0.0.1", "/ws");
  const auto opened = steady::now();
  std::array<char, 256> bytes{};
  std::size_t received = 0;
  beast::error_code ended;
  while (!ended && steady::now() - opened < 10s) {
    bool done = false;
    silent.next_layer().socket().async_read_some(net::buffer(bytes), [&](beast::error_code ec, std::size_t n) {
      received += n;
      ended = ec;
      done = true;
    });
    ioc.restart();
    ioc.run_for(10s);
    ASSERT_TRUE(done) << "the silent client was never dropped";
  }
  const auto cut = steady::now() - opened;
  EXPECT_TRUE(ended == net::error::eof || ended == net::error::connection_reset) << ended.message();
  EXPECT_GE(cut, 900ms);
  EXPECT_LT(cut, 3s);
  EXPECT_GE(received, 2u) << "no ping came before the drop";
}

TEST(websocket, only_ws_is_upgraded) {
  test_server s;
  try {
    ws_client c(s.port(), "", "/chat");
    FAIL();
  } catch (const refused& r) {
    EXPECT_EQ(r.status, 404u);
  }
}

// --- Many at once ----------------------------------------------------------------------

TEST(websocket, fifty_clients_asking_at_once_each_get_their_own_answer) {
  auto options = test_server::quiet_options();
  test_server s(options);
  const std::vector<std::string> questions = {"how much does it cost?", "does it hurt?", "is it permanent?",
                                              "how many sessions will I need?", "what is microblading?",
                                              "can women get smp?", "how long does a session take?", "hello"};
  constexpr int clients = 50, rounds = 3;
  auto question = [&](int client, int round) { return questions[static_cast<std::size_t>(client + round) % questions.size()]; };
  // What each client should hear: the same questions asked of one engine, each client with a
  // conversation of its own, as the server keeps one per connection.
  auto engine = test_engines().make();
  std::vector<std::vector<json>> expected(clients);
  for (int i = 0; i < clients; ++i) {
    conversation context;
    for (int round = 0; round < rounds; ++round)
      expected[static_cast<std::size_t>(i)].push_back(to_json(engine->ask(question(i, round), context)));
  }

  std::vector<std::unique_ptr<ws_client>> cs;
  for (int i = 0; i < clients; ++i) cs.push_back(std::make_unique<ws_client>(s.port()));
  std::barrier start(clients);
  std::vector<std::future<void>> done;
  for (int i = 0; i < clients; ++i) {
    done.push_back(std::async(std::launch::async, [&, i] {
      start.arrive_and_wait();
      for (int round = 0; round < rounds; ++round) {
        const std::string id = numbered(numbered("client", i) + "-", round);
        const json a = cs[static_cast<std::size_t>(i)]->ask(question(i, round), id);
        const json& want = expected[static_cast<std::size_t>(i)][static_cast<std::size_t>(round)];
        EXPECT_EQ(a["id"], id);
        EXPECT_EQ(a["status"], want["status"]) << question(i, round);
        EXPECT_EQ(a["facts"], want["facts"]) << question(i, round);
      }
    }));
  }
  for (auto& f : done) f.get();
}

// --- Shutdown ----------------------------------------------------------------------------

// A store that holds each save until the test lets it go.
struct gated_sink : feedback_sink {
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> saved{0};
  void save(const feedback&) override {
    entered.set_value();
    released.wait();
    ++saved;
  }
};

TEST(shutdown, waits_for_feedback_in_flight_then_closes_with_1001) {
  auto sink = std::make_shared<gated_sink>();
  test_server s(test_server::quiet_options(), sink);
  ws_client c(s.port());
  const std::string answer_id = c.ask("is it permanent?")["answer_id"];
  c.send(json{{"type", "feedback"}, {"answer_id", answer_id}, {"helpful", true}}.dump());
  sink->entered.get_future().wait();
  auto stopping = std::async(std::launch::async, [&] { s.server->stop(); });
  // While the row is being written the connection stays open, and nothing is sent.
  EXPECT_THROW(c.read(300ms), timed_out);
  EXPECT_EQ(stopping.wait_for(0s), std::future_status::timeout);
  sink->release.set_value();
  const json saved = c.read();
  EXPECT_EQ(saved["type"], "feedback_saved");
  EXPECT_EQ(c.read_until_closed(), 1001);
  stopping.get();
  EXPECT_EQ(sink->saved, 1);
}

TEST(shutdown, answers_in_flight_are_sent_before_the_1001_close) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  test_server s(options);
  ws_client c(s.port());
  expect_still_answers(c);
  constexpr int n = 40;
  for (int i = 0; i < n; ++i)
    c.send(json{{"type", "ask"}, {"id", std::to_string(i)}, {"text", "how many sessions will I need for a scar?"}}.dump());
  auto stopping = std::async(std::launch::async, [&] { s.server->stop(); });
  // Whatever the server had read when the stop came is answered, whole and in order; then
  // the close. Nothing is cut off half way, and no error is sent.
  int received = 0;
  for (;;) {
    json m;
    try {
      m = c.read(5s);
    } catch (const timed_out&) {
      FAIL() << "neither an answer nor a close";
    } catch (const std::runtime_error&) {
      break;
    }
    ASSERT_EQ(m["type"], "answer") << m;
    EXPECT_EQ(m["id"], std::to_string(received));
    ++received;
  }
  EXPECT_EQ(c.close_code(), 1001);
  EXPECT_LE(received, n);
  stopping.get();
}

TEST(shutdown, closes_idle_connections_with_1001_and_stops_accepting) {
  test_server s;
  std::vector<std::unique_ptr<ws_client>> idle;
  for (int i = 0; i < 20; ++i) idle.push_back(std::make_unique<ws_client>(s.port()));
  const auto started = std::chrono::steady_clock::now();
  auto stopping = std::async(std::launch::async, [&] { s.server->stop(); });
  for (auto& c : idle) EXPECT_EQ(c->read_until_closed(), 1001);
  stopping.get();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_ANY_THROW(ws_client late(s.port()));
}

// --- HTTP ------------------------------------------------------------------------------

TEST(http, healthz_counts_facts_and_sources) {
  test_server s;
  const auto r = http_request(s.port(), http::verb::get, "/healthz");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-type"), "application/json");
  const json j = r.json();
  EXPECT_EQ(j["status"], "ok");
  EXPECT_GT(j["facts"].get<int>(), 0);
  EXPECT_GT(j["sources"].get<int>(), 0);
}

TEST(http, post_api_ask_answers_without_memory) {
  test_server s;
  const auto r = http_request(s.port(), http::verb::post, "/api/ask", R"({"text":"does it hurt?","id":"h1"})",
                              {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 200u);
  const json a = r.json();
  EXPECT_EQ(a["type"], "answer");
  EXPECT_EQ(a["id"], "h1");
  EXPECT_EQ(a["status"], "answered");
}

TEST(http, sources_are_served_by_the_id_an_answer_cites) {
  test_server s;
  const json a = http_request(s.port(), http::verb::post, "/api/ask", R"({"text":"how much does it cost?"})",
                              {{"Content-Type", "application/json"}})
                     .json();
  const std::string id = a["citations"][0]["source"];
  const auto r = http_request(s.port(), http::verb::get, "/api/sources/" + id);
  EXPECT_EQ(r.status, 200u);
  const json src = r.json();
  EXPECT_EQ(src["id"], id);
  EXPECT_EQ(src["title"], a["citations"][0]["title"]);
  EXPECT_NE(src["text"].get<std::string>().find("$3000"), std::string::npos);
}

struct http_case {
  const char* name;
  http::verb method;
  std::string target;
  std::string body;
  unsigned status;
  const char* code;
};

class http_errors : public ::testing::TestWithParam<http_case> {};

TEST_P(http_errors, come_as_json_with_a_fitting_status) {
  test_server s;
  const auto& p = GetParam();
  const auto r = http_request(s.port(), p.method, p.target, p.body, {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, p.status) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  const json j = r.json();
  EXPECT_EQ(j["error"]["code"], p.code) << r.body;
  EXPECT_TRUE(j["error"]["message"].is_string());
}

INSTANTIATE_TEST_SUITE_P(
    each_case, http_errors,
    ::testing::Values(
        http_case{"unknown_path", http::verb::get, "/nowhere", "", 404, "not_found"},
        http_case{"traversal", http::verb::get, "/../../etc/passwd", "", 404, "not_found"},
        http_case{"unknown_source", http::verb::get, "/api/sources/no_such_source", "", 404, "not_found"},
        http_case{"source_id_with_dots", http::verb::get, "/api/sources/..%2f..%2fetc", "", 404, "not_found"},
        http_case{"get_on_ask", http::verb::get, "/api/ask", "", 405, "method_not_allowed"},
        http_case{"delete_on_healthz", http::verb::delete_, "/healthz", "", 405, "method_not_allowed"},
        http_case{"post_on_a_page", http::verb::post, "/", "x", 405, "method_not_allowed"},
        http_case{"ask_bad_json", http::verb::post, "/api/ask", "{\"text\":", 400, "bad_json"},
        http_case{"ask_bad_utf8", http::verb::post, "/api/ask", "{\"text\":\"caf\xC3\x28\"}", 400, "bad_utf8"},
        http_case{"ask_without_text", http::verb::post, "/api/ask", "{\"question\":\"hi\"}", 400, "bad_request"},
        http_case{"ask_not_an_object", http::verb::post, "/api/ask", "\"hi\"", 400, "bad_request"},
        http_case{"ask_too_long", http::verb::post, "/api/ask", json{{"text", std::string(4001, 'a')}}.dump(), 413, "too_large"},
        http_case{"body_too_large", http::verb::post, "/api/ask", std::string(70 * 1024, ' '), 413, "too_large"},
        http_case{"reply_without_a_session", http::verb::post, "/api/reply", R"({"text":"Hi, how much is it?"})", 401, "unauthorized"},
        http_case{"get_on_reply", http::verb::get, "/api/reply", "", 405, "method_not_allowed"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(http, api_reply_goes_to_the_reply_hook_with_this_threads_engine) {
  auto hook = [](std::string_view email, answer_engine& engine) -> json {
    if (email.find("@@") != std::string_view::npos) throw web::request_error(web::wire_error::bad_request, "not an email");
    return {{"type", "reply"}, {"draft", "Hi"}, {"questions", json::array({{{"question", "cost?"}, {"answer", to_json(engine.ask("cost?"))}}})},
            {"unanswered", json::array()}};
  };
  test_server s(test_server::quiet_options(), nullptr, hook);
  const auto staff = sign_in_new_staff(s);
  const auto ok = http_request(s.port(), http::verb::post, "/api/reply", R"({"text":"Hi, how much is it?"})", staff.headers());
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.json()["type"], "reply");
  EXPECT_EQ(ok.json()["questions"][0]["answer"]["status"], "answered");
  const auto refused = http_request(s.port(), http::verb::post, "/api/reply", R"({"text":"@@"})", staff.headers());
  EXPECT_EQ(refused.status, 400u);
  EXPECT_EQ(refused.json()["error"]["code"], "bad_request");
  EXPECT_EQ(refused.json()["error"]["message"], "not an email");
}

TEST(http, method_not_allowed_says_what_is) {
  test_server s;
  const auto r = http_request(s.port(), http::verb::get, "/api/ask");
  EXPECT_EQ(r.header("allow"), "POST");
}

TEST(http, plain_get_on_ws_asks_for_an_upgrade) {
  test_server s;
  const auto r = http_request(s.port(), http::verb::get, "/ws");
  EXPECT_EQ(r.status, 426u);
  EXPECT_EQ(r.json()["error"]["code"], "bad_request");
}

TEST(http, malformed_request_gets_400_and_the_server_stays_up) {
  test_server s;
  const std::string reply = raw_exchange(s.port(), "NOT HTTP AT ALL\r\n\r\n");
  EXPECT_NE(reply.find(" 400 "), std::string::npos) << reply;
  EXPECT_NE(reply.find("bad_request"), std::string::npos);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/healthz").status, 200u);
}

TEST(http, api_ask_is_rate_limited_per_connection_with_429) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 1;
  options.limits.rate_burst = 1;
  test_server s(options);
  std::string two =
      "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"text\":\"hello\"}\n";
  two += "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17\r\nConnection: close\r\n\r\n"
         "{\"text\":\"hello\"}\n";
  const std::string replies = raw_exchange(s.port(), two);
  EXPECT_NE(replies.find("HTTP/1.1 200"), std::string::npos) << replies;
  EXPECT_NE(replies.find("HTTP/1.1 429"), std::string::npos) << replies;
  EXPECT_NE(replies.find("rate_limited"), std::string::npos);
  EXPECT_NE(replies.find("Retry-After: "), std::string::npos) << replies;
}

TEST(http, metrics_are_in_prometheus_text_format) {
  test_server s;
  {
    ws_client c(s.port());
    c.ask("does it hurt?");
    c.ask("what time do you open on sunday?");
    const auto r = http_request(s.port(), http::verb::get, "/metrics");
    EXPECT_EQ(r.status, 200u);
    EXPECT_NE(r.header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
    EXPECT_NE(r.body.find("# TYPE cited_answers_total counter"), std::string::npos);
    EXPECT_NE(r.body.find("cited_answers_total{status=\"answered\"} 1"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("cited_answers_total{status=\"no_answer\"} 1"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("cited_answer_latency_seconds_count 2"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("cited_answer_latency_seconds_bucket{le=\"+Inf\"} 2"), std::string::npos);
    EXPECT_NE(r.body.find("cited_open_connections{kind=\"websocket\"} 1"), std::string::npos) << r.body;
  }
  const auto again = http_request(s.port(), http::verb::get, "/metrics");
  EXPECT_NE(again.body.find("cited_http_requests_total{route=\"/metrics\",status=\"200\"} 1"), std::string::npos) << again.body;
}

// The pages come from a web root of the test's own making: the routes are what is tested.
struct web_root_fixture : ::testing::Test {
  void SetUp() override {
    root = scratch_dir() / "static";
    std::filesystem::create_directories(root / "patient");
    std::ofstream(root / "patient" / "index.html") << "<!doctype html><title>demo</title>";
    std::ofstream(root / "patient" / "widget.js") << "console.log('widget');";
    std::ofstream(root / "secret.txt") << "not to be served";
    options = test_server::quiet_options();
    options.web_root = root;
  }
  std::filesystem::path root;
  web::server_options options;
};

TEST_F(web_root_fixture, pages_are_served_with_their_type_and_a_strict_policy) {
  test_server s(options);
  const auto page = http_request(s.port(), http::verb::get, "/");
  EXPECT_EQ(page.status, 200u);
  EXPECT_EQ(page.body, "<!doctype html><title>demo</title>");
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  const auto csp = page.header("content-security-policy");
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src 'self' 'unsafe-inline'"), std::string::npos);
  EXPECT_EQ(page.header("x-content-type-options"), "nosniff");

  const auto js = http_request(s.port(), http::verb::get, "/widget.js?v=2");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log('widget');");
}

TEST_F(web_root_fixture, head_gives_the_headers_without_the_body) {
  test_server s(options);
  const auto r = http_request(s.port(), http::verb::head, "/");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.header("content-length"), "34");
  EXPECT_TRUE(r.body.empty());
}

TEST_F(web_root_fixture, a_missing_page_is_a_json_404_and_other_files_are_never_served) {
  test_server s(options);
  const auto staff = http_request(s.port(), http::verb::get, "/staff/sign-in");
  EXPECT_EQ(staff.status, 404u);
  EXPECT_EQ(staff.json()["error"]["code"], "not_found");
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/secret.txt").status, 404u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/index.html").status, 404u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/patient/index.html").status, 404u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/static/../secret.txt").status, 404u);
}

// --- The access log ------------------------------------------------------------------------

TEST(access_log, has_a_json_line_per_request_and_answer_with_personal_data_redacted) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  {
    test_server s(options);
    ws_client c(s.port());
    const json a = c.ask("my email is sam.jones@example.com and my phone is +44 7700 900123, how much is it?");
    c.send(json{{"type", "feedback"}, {"answer_id", a["answer_id"]}, {"helpful", false}, {"comment", "write to sam.jones@example.com"}}.dump());
    c.read();
    http_request(s.port(), http::verb::post, "/api/ask", R"({"text":"ring 020 7946 0958 about pain"})",
                 {{"Content-Type", "application/json"}});
  }
  const std::string text = read_file(log);
  EXPECT_EQ(text.find("sam.jones@example.com"), std::string::npos) << text;
  EXPECT_EQ(text.find("7700 900123"), std::string::npos) << text;
  EXPECT_EQ(text.find("7946 0958"), std::string::npos) << text;
  EXPECT_NE(text.find("[email]"), std::string::npos);
  EXPECT_NE(text.find("[phone]"), std::string::npos);
  int answers = 0, requests = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line);  // every line is JSON
    EXPECT_TRUE(j.contains("ts"));
    if (j["event"] == "answer") {
      ++answers;
      EXPECT_TRUE(j["via"] == "ws" || j["via"] == "http") << line;
      EXPECT_TRUE(j["answer_id"].is_string() && j["status"].is_string() && j["latency_us"].is_number() && j["conn"].is_number()) << line;
      EXPECT_NE(j["question"].get<std::string>().find("[phone]"), std::string::npos) << line;
    }
    if (j["event"] == "http") ++requests;
  }
  EXPECT_EQ(answers, 2);
  EXPECT_EQ(requests, 2);  // the upgrade and the POST
}

}  // namespace
}  // namespace cited::test
