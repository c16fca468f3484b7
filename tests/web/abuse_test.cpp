// One client must not be able to take the server down, fill its disk or read patients' data:
// per-address limits, the budget for unfinished messages, feedback only for answers given,
// and what the access log and the feedback store keep. Real server, real sockets; a second
// client address is 127.0.0.2 (all of 127/8 is this machine).
#include "server.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "feedback_store.hpp"
#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {
namespace {

using nlohmann::json;
using steady = std::chrono::steady_clock;

const std::map<std::string, std::string> as_json{{"Content-Type", "application/json"}};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The access log once the server has stopped (and so written all of it).
std::string log_of(test_server& s, const std::filesystem::path& log) {
  s.server->stop();
  return read_file(log);
}

http_reply ask_over_http(unsigned short port, const std::string& text, const std::string& from = {},
                         std::map<std::string, std::string> headers = as_json) {
  return http_request_from(from, port, http::verb::post, "/api/ask", json{{"text", text}}.dump(), std::move(headers));
}

long metric(unsigned short port, const std::string& name) {
  const auto r = http_request(port, http::verb::get, "/metrics");
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(name + " ", 0) == 0) return std::stol(line.substr(name.size() + 1));
  return -1;
}

// --- Per client address ----------------------------------------------------------------------

TEST(per_address, the_rate_is_shared_by_http_requests_and_websocket_messages) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;  // the connection's own bucket out of the way
  options.limits.rate_limit_per_ip = 0.5;
  options.limits.rate_burst_per_ip = 3;
  test_server s(options);
  // Fresh connections each time: a per-connection limit would never see more than one.
  int ok = 0, limited = 0;
  for (int i = 0; i < 5; ++i) {
    const auto r = ask_over_http(s.port(), "does it hurt?");
    if (r.status == 200) ++ok;
    if (r.status == 429) {
      ++limited;
      EXPECT_EQ(r.json()["error"]["code"], "rate_limited");
      EXPECT_GE(std::stoi(r.header("retry-after")), 1);
    }
  }
  EXPECT_EQ(ok, 3);
  EXPECT_EQ(limited, 2);
  // The same address's WebSocket draws on the same bucket.
  ws_client c(s.port());
  c.send(R"({"type":"ask","id":"w1","text":"does it hurt?"})");
  const json e = c.read();
  EXPECT_EQ(e["code"], "rate_limited") << e;
  EXPECT_EQ(e["id"], "w1");
  // Another address has a bucket of its own; pages and monitoring take no tokens.
  EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", "127.0.0.2").status, 200u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/healthz").status, 200u);
  EXPECT_GE(metric(s.port(), "cited_address_rate_limited_total"), 3);
}

TEST(per_address, connections_past_an_addresss_share_get_503_at_once_and_other_addresses_get_in) {
  auto options = test_server::quiet_options();
  options.limits.max_connections_per_ip = 3;
  options.limits.handshake_timeout = std::chrono::seconds(8);
  test_server s(options);
  std::vector<std::unique_ptr<ws_client>> held;
  for (int i = 0; i < 3; ++i) held.push_back(std::make_unique<ws_client>(s.port()));
  const auto asked = steady::now();
  try {
    ws_client fourth(s.port());
    FAIL() << "a fourth connection from the same address was accepted";
  } catch (const refused& r) {
    EXPECT_EQ(r.status, 503u);
    EXPECT_EQ(json::parse(r.body)["error"]["code"], "unavailable");
  }
  EXPECT_LT(steady::now() - asked, 2s) << "the refusal waited for something";
  // A connection that says nothing gets its 503 after a moment, not the handshake timeout.
  const auto silent_started = steady::now();
  const std::string silent = raw_exchange(s.port(), "", 6s);
  EXPECT_NE(silent.find(" 503 "), std::string::npos) << silent;
  EXPECT_LT(steady::now() - silent_started, 3s);
  // Another address is not held back by this one.
  ws_client other(s.port(), "", "/ws", "127.0.0.2");
  EXPECT_EQ(other.ask("does it hurt?")["type"], "answer");
  // One leaves; the address has room again.
  held.back()->close();
  held.pop_back();
  for (int attempt = 0;; ++attempt) {
    try {
      ws_client again(s.port());
      EXPECT_EQ(again.ask("does it hurt?")["type"], "answer");
      break;
    } catch (const refused&) {
      ASSERT_LT(attempt, 50);
      std::this_thread::sleep_for(20ms);
    }
  }
  EXPECT_GE(metric(s.port(), "cited_address_refused_connections_total"), 2);
}

TEST(per_address, healthz_and_metrics_answer_while_the_connection_caps_are_reached) {
  auto options = test_server::quiet_options();
  options.limits.max_connections = 2;
  test_server s(options);
  ws_client a(s.port()), b(s.port());
  // The server is full: a patient is told so at once, monitoring still sees it.
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/").status, 503u);
  const auto health = http_request(s.port(), http::verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.json()["status"], "ok");
  const auto m = http_request(s.port(), http::verb::get, "/metrics");
  EXPECT_EQ(m.status, 200u);
  EXPECT_NE(m.body.find("cited_rejected_connections_total 1"), std::string::npos) << m.body;
  EXPECT_EQ(http_request(s.port(), http::verb::head, "/healthz").status, 200u);
  // Only reading: a POST to them is still refused.
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/healthz", "{}", as_json).status, 503u);
}

TEST(per_address, healthz_answers_while_an_address_has_its_share_open) {
  auto options = test_server::quiet_options();
  options.limits.max_connections_per_ip = 1;
  test_server s(options);
  ws_client held(s.port());
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/sources/x").status, 503u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/healthz").status, 200u);
}

TEST(trusted_proxy, x_forwarded_for_names_the_client_only_behind_a_trusted_proxy) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  options.limits.rate_limit_per_ip = 0.1;
  options.limits.rate_burst_per_ip = 1;
  options.trusted_proxies = {"127.0.0.1"};
  const auto log = options.log_file;
  {
    test_server s(options);
    auto from = [](const std::string& chain) {
      auto h = as_json;
      h["X-Forwarded-For"] = chain;
      return h;
    };
    // Two patients behind the proxy: a bucket each.
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", {}, from("203.0.113.5")).status, 200u);
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", {}, from("203.0.113.6")).status, 200u);
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", {}, from("203.0.113.5")).status, 429u);
    // What a client writes in front of the proxy's own entry changes nothing: the rightmost
    // address the proxy added is the client.
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", {}, from("198.51.100.1, 203.0.113.5")).status, 429u);
    // 127.0.0.2 is no trusted proxy: its X-Forwarded-For is not believed.
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", "127.0.0.2", from("203.0.113.7")).status, 200u);
    EXPECT_EQ(ask_over_http(s.port(), "does it hurt?", "127.0.0.2", from("203.0.113.8")).status, 429u);
  }
  // The log names the patient's network, not the proxy.
  EXPECT_NE(read_file(log).find("\"remote\":\"203.0.113.0/24\""), std::string::npos);
}

TEST(trusted_proxy, a_proxied_websocket_counts_against_the_client_it_names) {
  auto options = test_server::quiet_options();
  options.limits.max_connections_per_ip = 1;
  options.trusted_proxies = {"127.0.0.0/8"};
  test_server s(options);
  ws_client first(s.port(), "", "/ws", {}, {{"X-Forwarded-For", "203.0.113.5"}});
  ws_client other_patient(s.port(), "", "/ws", {}, {{"X-Forwarded-For", "203.0.113.6"}});
  EXPECT_EQ(other_patient.ask("does it hurt?")["type"], "answer");
  try {
    ws_client second(s.port(), "", "/ws", {}, {{"X-Forwarded-For", "203.0.113.5"}});
    FAIL() << "a second connection for 203.0.113.5 was accepted";
  } catch (const refused& r) {
    EXPECT_EQ(r.status, 503u);
  }
}

// --- Unfinished messages: the server-wide budget -----------------------------------------------

// A message of about `bytes` that is a valid ask once finished: the padding is JSON whitespace.
std::string padded_ask_start(const std::string& id, std::size_t bytes) {
  std::string m = R"({"type":"ask","id":")" + id + R"(","text":"does it hurt?")";
  m.append(bytes - m.size(), ' ');
  return m;
}

TEST(message_budget, messages_past_it_get_too_large_and_everyone_else_is_answered) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  options.limits.max_buffered_bytes = 256 * 1024;  // about six messages of 40 KiB held at once
  test_server s(options);
  constexpr int senders = 12;
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < senders; ++i) {
    clients.push_back(std::make_unique<ws_client>(s.port()));
    clients.back()->send_part(padded_ask_start(std::to_string(i), 40 * 1024), false);
  }
  // All twelve are half sent. A patient's ordinary message comes whole and is answered.
  ws_client patient(s.port());
  EXPECT_EQ(patient.ask("how much does it cost?")["status"], "answered");
  std::this_thread::sleep_for(200ms);  // let the server read every first half
  int answered = 0, too_large = 0;
  for (int i = 0; i < senders; ++i) {
    clients[static_cast<std::size_t>(i)]->send_part("}", true);
    const json m = clients[static_cast<std::size_t>(i)]->read();
    if (m["type"] == "answer") {
      ++answered;
      EXPECT_EQ(m["id"], std::to_string(i));
    } else {
      EXPECT_EQ(m["code"], "too_large") << m;
      ++too_large;
    }
    // Either way the connection goes on.
    EXPECT_EQ(clients[static_cast<std::size_t>(i)]->ask("is it permanent?")["type"], "answer");
  }
  EXPECT_GE(answered, 3);
  EXPECT_GE(too_large, 3);
  EXPECT_GT(metric(s.port(), "cited_buffer_budget_refusals_total"), 0);
  // Once they are finished the budget is whole again: a long message is kept as before.
  EXPECT_EQ(metric(s.port(), "cited_buffered_message_bytes"), 0);
  clients[0]->send_part(padded_ask_start("again", 40 * 1024), false);
  clients[0]->send_part("}", true);
  EXPECT_EQ(clients[0]->read()["type"], "answer");
}

TEST(message_budget, a_message_past_max_message_bytes_is_dropped_as_it_comes_not_kept) {
  auto options = test_server::quiet_options();
  options.limits.rate_limit = 0;
  options.limits.max_message_bytes = 16 * 1024;
  options.limits.read_message_max = 1024 * 1024;
  test_server s(options);
  ws_client c(s.port());
  // Six fragments of 64 KiB: never more than 16 KiB of it is held.
  for (int i = 0; i < 6; ++i) c.send_part(std::string(64 * 1024, ' '), false);
  std::this_thread::sleep_for(200ms);
  EXPECT_LE(metric(s.port(), "cited_buffered_message_peak_bytes"), 17 * 1024 + 1);
  c.send_part("{}", true);
  EXPECT_EQ(c.read()["code"], "too_large");
  EXPECT_EQ(c.ask("does it hurt?")["type"], "answer");
}

// --- Feedback: only for answers given, once ----------------------------------------------------

TEST(feedback, is_taken_once_for_each_answer_given_on_the_connection) {
  test_server s;
  ws_client c(s.port());
  auto feedback = [&](const std::string& answer_id, const std::string& comment = "") {
    c.send(json{{"type", "feedback"}, {"id", "f"}, {"answer_id", answer_id}, {"helpful", true}, {"comment", comment}}.dump());
    return c.read();
  };
  // An answer nobody gave.
  json m = feedback("a-0123456789abcdef");
  EXPECT_EQ(m["code"], "bad_request") << m;
  // One given on another connection.
  ws_client other(s.port());
  const std::string elsewhere = other.ask("is it permanent?")["answer_id"];
  EXPECT_EQ(feedback(elsewhere)["code"], "bad_request");
  // One given here: once, with its comment redacted; not twice.
  const std::string mine = c.ask("does it hurt?")["answer_id"];
  m = feedback(mine, "helpful! text me on +44 7700 900123 or sam(at)example(dot)com");
  EXPECT_EQ(m["type"], "feedback_saved") << m;
  EXPECT_EQ(feedback(mine)["code"], "bad_request");
  // A comment past its bound.
  const std::string next = c.ask("how much?")["answer_id"];
  EXPECT_EQ(feedback(next, std::string(1001, 'x'))["code"], "too_large");
  c.close();
  other.close();
  s.server->stop();
  records::feedback_store store(s.feedback_file);
  const auto rows = store.recent(10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].what.answer_id, mine);
  EXPECT_EQ(rows[0].what.comment, "helpful! text me on [phone] or [email]");
}

TEST(feedback, an_answer_given_over_http_may_be_rated_once_by_the_client_it_was_given_to) {
  test_server s;
  const std::string given = ask_over_http(s.port(), "does it hurt?").json()["answer_id"];
  // Another client cannot rate it.
  ws_client stranger(s.port(), "", "/ws", "127.0.0.2");
  stranger.send(json{{"type", "feedback"}, {"answer_id", given}, {"helpful", false}}.dump());
  EXPECT_EQ(stranger.read()["code"], "bad_request");
  // The client it was given to can, once.
  ws_client patient(s.port());
  patient.send(json{{"type", "feedback"}, {"answer_id", given}, {"helpful", true}}.dump());
  EXPECT_EQ(patient.read()["type"], "feedback_saved");
  patient.send(json{{"type", "feedback"}, {"answer_id", given}, {"helpful", true}}.dump());
  EXPECT_EQ(patient.read()["code"], "bad_request");
}

// --- The access log ---------------------------------------------------------------------------

TEST(http_ask, an_id_past_200_bytes_is_refused_and_an_id_is_logged_redacted) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  test_server s(options);
  const auto long_id = http_request(s.port(), http::verb::post, "/api/ask",
                                    json{{"text", "does it hurt?"}, {"id", std::string(201, 'x')}}.dump(), as_json);
  EXPECT_EQ(long_id.status, 413u);
  EXPECT_EQ(long_id.json()["error"]["code"], "too_large");
  const auto ok = http_request(s.port(), http::verb::post, "/api/ask",
                               json{{"text", "does it hurt?"}, {"id", "sam.jones@example.com"}}.dump(), as_json);
  EXPECT_EQ(ok.status, 200u);
  EXPECT_EQ(ok.json()["id"], "sam.jones@example.com");  // echoed to its sender as it came
  const std::string text = log_of(s, log);
  EXPECT_EQ(text.find("sam.jones@example.com"), std::string::npos) << text;
  EXPECT_EQ(text.find(std::string(201, 'x')), std::string::npos);
}

TEST(access_log, disguised_contacts_and_encoded_targets_are_redacted) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  test_server s(options);
  ws_client c(s.port());
  c.ask("reach me at sam(at)example(dot)com or ０７７００ ９００１２３, does it hurt?");
  c.ask("josé.müller@exämple.de here, or 07700\u200b900\u200b456");
  http_request(s.port(), http::verb::get, "/api/sources/x?email=sam%40example.com&tel=%2B447700900789");
  c.close();
  const std::string text = log_of(s, log);
  for (const char* leak : {"example(dot)", "９００１２３", "müller", "900\u200b456", "sam%40", "sam@", "7700900789"})
    EXPECT_EQ(text.find(leak), std::string::npos) << leak << " is in the log:\n" << text;
  EXPECT_NE(text.find("?email=[email]&tel=[phone]"), std::string::npos) << text;
}

TEST(access_log, shows_the_clients_network_unless_told_to_log_whole_addresses) {
  for (const bool full : {false, true}) {
    auto options = test_server::quiet_options();
    options.log_full_ip = full;
    const auto log = options.log_file;
    test_server s(options);
    http_request_from("127.0.0.2", s.port(), http::verb::get, "/healthz");
    ws_client c(s.port(), "", "/ws", "127.0.0.2");
    c.ask("hello");
    c.close();
    const std::string text = log_of(s, log);
    EXPECT_EQ(text.find("\"remote\":\"127.0.0.0/24\"") != std::string::npos, !full) << text;
    EXPECT_EQ(text.find("\"remote\":\"127.0.0.2:") != std::string::npos, full) << text;
  }
}

TEST(files, the_log_and_the_feedback_store_are_made_readable_by_their_owner_only) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  test_server s(options);
  ws_client c(s.port());
  const std::string answer_id = c.ask("does it hurt?")["answer_id"];
  c.send(json{{"type", "feedback"}, {"answer_id", answer_id}, {"helpful", true}}.dump());
  ASSERT_EQ(c.read()["type"], "feedback_saved");
  c.close();
  s.server->stop();
  auto mode = [](const std::filesystem::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 01000u;
  };
  EXPECT_EQ(mode(log), 0600u);
  EXPECT_EQ(mode(s.feedback_file), 0600u);
  for (const char* suffix : {"-wal", "-shm"}) {
    if (std::filesystem::exists(s.feedback_file.string() + suffix)) {
      EXPECT_EQ(mode(s.feedback_file.string() + suffix), 0600u) << suffix;
    }
  }
}

}  // namespace
}  // namespace cited::test
