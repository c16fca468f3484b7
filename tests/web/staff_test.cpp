// The staff workspace and the patient's hand-off, over real sockets against a real server:
// every staff route needs a session (401 for APIs, the sign-in page for pages); expired,
// signed-out and removed sessions are refused; cross-site and non-JSON requests are refused;
// wrong passwords slow down, then lock, without touching other accounts; the cookie's flags;
// timing says nothing about which accounts exist; passwords never reach the log; hand-offs over
// the WebSocket and HTTP, the inbox, the conversation log, insights, the CSV and the webhook.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "handoffs.hpp"
#include "reply_drafter.hpp"
#include "staff_accounts.hpp"
#include "staff_client.hpp"
#include "store.hpp"

namespace cited::test {
namespace {

using nlohmann::json;
using steady = std::chrono::steady_clock;

std::map<std::string, std::string> json_type() { return {{"Content-Type", "application/json"}}; }

// The real drafter, one per thread, as `cited serve` wires it.
json draft(std::string_view email, answer_engine& engine) {
  thread_local std::unique_ptr<reply_drafter> drafter;
  thread_local std::uint64_t bound = 0;
  if (!drafter || bound != engine.instance()) {
    drafter.reset();
    drafter = std::make_unique<reply_drafter>(engine);
    bound = engine.instance();
  }
  return to_json(drafter->draft(email));
}

// Polls until ok() or the deadline.
template <class Condition>
bool eventually(Condition ok, std::chrono::milliseconds deadline = 5s) {
  const auto until = steady::now() + deadline;
  while (!ok()) {
    if (steady::now() > until) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- sign-in and sessions --------------------------------------------------------------------

TEST(staff_routes, every_staff_page_and_api_needs_a_session) {
  test_server s;
  for (const char* page : {"/staff", "/staff/inbox", "/staff/insights"}) {
    const auto r = http_request(s.port(), http::verb::get, page);
    EXPECT_EQ(r.status, 303u) << page;
    EXPECT_EQ(r.header("location"), std::string("/staff/sign-in?next=") + page);
  }
  struct route {
    http::verb method;
    const char* target;
  };
  for (const auto& [method, target] :
       {route{http::verb::get, "/api/staff/me"}, route{http::verb::get, "/api/staff/handoffs"},
        route{http::verb::get, "/api/staff/handoffs/h-1"}, route{http::verb::get, "/api/staff/insights"},
        route{http::verb::get, "/api/staff/conversations.csv"}, route{http::verb::get, "/api/staff/conversations/c-1"},
        route{http::verb::post, "/api/staff/sign-out"}, route{http::verb::post, "/api/staff/handoffs/h-1/status"},
        route{http::verb::post, "/api/reply"}}) {
    for (const auto& cookie : {std::string(), std::string("cited_session=forged"),
                               std::string("cited_session=") + std::string(43, 'A')}) {
      auto headers = json_type();
      if (!cookie.empty()) headers["Cookie"] = cookie;
      const auto r = http_request(s.port(), method, target, method == http::verb::post ? "{}" : "", headers);
      EXPECT_EQ(r.status, 401u) << target << " with '" << cookie << "': " << r.body;
      EXPECT_EQ(r.json()["error"]["code"], "unauthorized") << target;
    }
  }
  // The sign-in page and its files are open.
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/staff/sign-in").status, 200u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/staff/staff.css").status, 200u);
}

TEST(staff_routes, a_session_opens_the_pages_and_apis_and_sign_out_ends_it) {
  test_server s;
  const auto staff = sign_in_new_staff(s);
  const auto inbox = http_request(s.port(), http::verb::get, "/staff/inbox", "", staff.headers());
  EXPECT_EQ(inbox.status, 200u);
  EXPECT_NE(inbox.body.find("<title>Inbox"), std::string::npos);
  EXPECT_NE(inbox.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  const auto me = http_request(s.port(), http::verb::get, "/api/staff/me", "", staff.headers());
  EXPECT_EQ(me.json()["email"], staff.email);
  EXPECT_EQ(me.json()["csrf"], staff.csrf);
  const auto out = http_request(s.port(), http::verb::post, "/api/staff/sign-out", "{}", staff.headers());
  EXPECT_EQ(out.status, 200u);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/me", "", staff.headers()).status, 401u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/staff/inbox", "", staff.headers()).status, 303u);
}

TEST(staff_routes, the_cookie_is_httponly_samesite_strict_path_root_and_secure_behind_tls) {
  test_server s;
  add_staff_account(s.records_file, "kim@clinic.example", "correct horse battery");
  const json body{{"email", "kim@clinic.example"}, {"password", "correct horse battery"}};
  const auto plain = http_request(s.port(), http::verb::post, "/api/staff/sign-in", body.dump(), json_type());
  ASSERT_EQ(plain.status, 200u) << plain.body;
  const std::string cookie = plain.header("set-cookie");
  EXPECT_EQ(cookie.rfind("cited_session=", 0), 0u) << cookie;
  for (const char* flag : {"; HttpOnly", "; SameSite=Strict", "; Path=/"}) EXPECT_NE(cookie.find(flag), std::string::npos) << flag;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  const std::string token = cookie.substr(14, cookie.find(';') - 14);
  EXPECT_GE(token.size(), 43u) << "at least 256 bits, base64url";
  auto tls = json_type();
  tls["X-Forwarded-Proto"] = "https";
  const auto secure = http_request(s.port(), http::verb::post, "/api/staff/sign-in", body.dump(), tls);
  EXPECT_NE(secure.header("set-cookie").find("; Secure"), std::string::npos) << secure.header("set-cookie");
  // The store holds no token, only hashes.
  EXPECT_EQ(read_file(s.records_file).find(token), std::string::npos);
}

TEST(staff_routes, an_idle_session_expires) {
  auto options = test_server::quiet_options();
  options.staff.session_idle = 1500ms;
  test_server s(options);
  const auto staff = sign_in_new_staff(s);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/me", "", staff.headers()).status, 200u);
  std::this_thread::sleep_for(1700ms);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/me", "", staff.headers()).status, 401u);
}

TEST(staff_routes, a_removed_account_is_signed_out_at_once) {
  test_server s;
  const auto staff = sign_in_new_staff(s);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/handoffs", "", staff.headers()).status, 200u);
  {
    // As `cited staff remove` does it, from another connection (another process, in life).
    auto db = records::open_for_writing(s.records_file);
    ASSERT_TRUE(records::remove_staff(db, staff.email));
  }
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/handoffs", "", staff.headers()).status, 401u);
  EXPECT_THROW(sign_in(s.port(), staff.email, "a long enough password"), std::runtime_error);
}

TEST(staff_routes, cross_site_and_token_less_changes_are_refused_and_bodies_must_be_json) {
  test_server s;
  const auto staff = sign_in_new_staff(s);
  auto evil = staff.headers();
  evil["Origin"] = "https://evil.example";
  const auto cross = http_request(s.port(), http::verb::post, "/api/reply", R"({"text":"hi?"})", evil);
  EXPECT_EQ(cross.status, 403u) << cross.body;
  EXPECT_EQ(cross.json()["error"]["code"], "forbidden");
  auto no_token = staff.headers();
  no_token.erase("X-CSRF-Token");
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/reply", R"({"text":"hi?"})", no_token).status, 403u);
  auto wrong_token = staff.headers();
  wrong_token["X-CSRF-Token"] = std::string(staff.csrf.size(), 'x');
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/reply", R"({"text":"hi?"})", wrong_token).status, 403u);
  auto form = staff.headers();
  form["Content-Type"] = "application/x-www-form-urlencoded";
  const auto not_json = http_request(s.port(), http::verb::post, "/api/reply", "text=hi", form);
  EXPECT_EQ(not_json.status, 415u);
  EXPECT_EQ(not_json.json()["error"]["code"], "unsupported_media_type");
  // A sign-in from another site is refused too (no login CSRF).
  auto evil_sign_in = json_type();
  evil_sign_in["Origin"] = "https://evil.example";
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/staff/sign-in", R"({"email":"a@b.cd","password":"x"})", evil_sign_in).status,
            403u);
  // The same site is fine.
  auto same = staff.headers();
  same["Origin"] = "http://127.0.0.1";
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/me", "", same).status, 200u);
}

TEST(staff_routes, wrong_passwords_slow_down_then_lock_and_other_accounts_are_unaffected) {
  auto options = test_server::quiet_options();
  options.staff.sign_in.free_failures = 3;
  options.staff.sign_in.first_delay = 300ms;
  options.staff.sign_in.lock_after = 5;
  options.staff.sign_in.lock_for = 60s;
  test_server s(options);
  add_staff_account(s.records_file, "target@clinic.example", "the right password");
  add_staff_account(s.records_file, "other@clinic.example", "another right one");
  auto attempt = [&](const char* email, const char* password) {
    return http_request(s.port(), http::verb::post, "/api/staff/sign-in", json{{"email", email}, {"password", password}}.dump(),
                        json_type());
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("target@clinic.example", "guess").status, 401u) << i;
  // Slowed down: the fourth must wait.
  const auto wait = attempt("target@clinic.example", "guess");
  EXPECT_EQ(wait.status, 429u);
  EXPECT_EQ(wait.json()["error"]["code"], "rate_limited");
  EXPECT_FALSE(wait.header("retry-after").empty());
  std::this_thread::sleep_for(350ms);
  EXPECT_EQ(attempt("target@clinic.example", "guess").status, 401u) << "after the wait, it is looked at";
  std::this_thread::sleep_for(650ms);
  EXPECT_EQ(attempt("target@clinic.example", "guess").status, 401u);
  // Five failures: locked, even for the right password, for a while.
  const auto locked = attempt("target@clinic.example", "the right password");
  EXPECT_EQ(locked.status, 429u);
  EXPECT_GE(std::stoi(locked.header("retry-after")), 50);
  // Another account, from the same address, signs in.
  EXPECT_EQ(attempt("other@clinic.example", "another right one").status, 200u);
  // An email with no account is throttled the same way: the throttle does not tell.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("nobody@clinic.example", "guess").status, 401u);
  EXPECT_EQ(attempt("nobody@clinic.example", "guess").status, 429u);
}

TEST(staff_routes, sign_in_takes_as_long_for_an_unknown_email_as_for_a_wrong_password) {
  test_server s;
  constexpr int rounds = 5;
  for (int i = 0; i < rounds; ++i) add_staff_account(s.records_file, "known" + std::to_string(i) + "@clinic.example", "the right password");
  auto timed = [&](const std::string& email) {
    const auto start = steady::now();
    const auto r = http_request(s.port(), http::verb::post, "/api/staff/sign-in",
                                json{{"email", email}, {"password", "wrong password"}}.dump(), json_type());
    EXPECT_EQ(r.status, 401u);
    return std::chrono::duration<double, std::milli>(steady::now() - start).count();
  };
  std::vector<double> known, unknown;
  // Interleaved, so that the machine's load falls on both alike.
  for (int i = 0; i < rounds; ++i) {
    known.push_back(timed("known" + std::to_string(i) + "@clinic.example"));
    unknown.push_back(timed("unknown" + std::to_string(i) + "@clinic.example"));
  }
  std::sort(known.begin(), known.end());
  std::sort(unknown.begin(), unknown.end());
  const double k = known[rounds / 2], u = unknown[rounds / 2];
  std::cout << "[timing] sign-in with a wrong password: median " << k << " ms for a known email, " << u
            << " ms for an unknown one (" << rounds << " each)\n";
  RecordProperty("known_ms", std::to_string(k));
  RecordProperty("unknown_ms", std::to_string(u));
  // Argon2id dominates both; without the decoy hash an unknown email would answer in well
  // under a millisecond.
  EXPECT_GT(u, 0.5 * k);
  EXPECT_LT(u, 2.0 * k);
}

TEST(staff_routes, passwords_never_reach_the_log) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  {
    test_server s(options);
    add_staff_account(s.records_file, "kim@clinic.example", "Sekrit-Pass-4321");
    EXPECT_NO_THROW(sign_in(s.port(), "kim@clinic.example", "Sekrit-Pass-4321"));
    EXPECT_THROW(sign_in(s.port(), "kim@clinic.example", "Wrong-Pass-9876"), std::runtime_error);
  }
  const std::string text = read_file(log);
  EXPECT_NE(text.find("\"sign_in\""), std::string::npos);
  EXPECT_EQ(text.find("Sekrit-Pass-4321"), std::string::npos);
  EXPECT_EQ(text.find("Wrong-Pass-9876"), std::string::npos);
}

// --- hand-offs --------------------------------------------------------------------------------

TEST(handoff, over_the_websocket_is_acknowledged_once_stored_with_the_conversation) {
  test_server s(test_server::quiet_options(), nullptr, draft);
  ws_client c(s.port());
  const json unanswered = c.ask("do you do payment plans?", "c1");
  EXPECT_EQ(unanswered["status"], "no_answer");
  c.send(json{{"type", "handoff"}, {"id", "h1"}, {"contact", "sam@example.com"}, {"name", "Sam"},
              {"question", "do you do payment plans?"}, {"consent", true}}.dump());
  const json saved = c.read();
  ASSERT_EQ(saved["type"], "handoff_saved") << saved;
  EXPECT_EQ(saved["id"], "h1");
  const std::string id = saved["handoff_id"];
  // Committed before the acknowledgement: another connection reads it now.
  auto db = records::open_for_reading(s.records_file);
  const auto h = records::find_handoff(db, id);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->contact, "sam@example.com");
  EXPECT_EQ(h->contact_kind, "email");
  EXPECT_EQ(h->name.value_or(""), "Sam");
  const json transcript = json::parse(h->transcript_json);
  ASSERT_EQ(transcript.size(), 1u);
  EXPECT_EQ(transcript[0]["question"], "do you do payment plans?");
  EXPECT_EQ(transcript[0]["answer"]["status"], "no_answer");
  // The chat goes on.
  EXPECT_EQ(c.ask("how much does it cost?")["status"], "answered");
}

TEST(handoff, bad_hand_offs_get_the_contract_errors_and_the_connection_keeps_working) {
  test_server s;
  ws_client c(s.port());
  const json base{{"type", "handoff"}, {"id", "h"}, {"contact", "+44 7400 123456"}, {"question", "parking?"}, {"consent", true}};
  struct bad {
    const char* key;
    json value;
    const char* code;
  };
  for (const auto& [key, value, code] :
       {bad{"consent", false, "bad_request"}, bad{"consent", nullptr, "bad_request"}, bad{"contact", "call me", "bad_request"},
        bad{"contact", "12345", "bad_request"}, bad{"contact", 7700900123, "bad_request"}, bad{"question", "  ", "bad_request"},
        bad{"question", std::string(4001, 'q'), "too_large"}, bad{"name", std::string(101, 'n'), "too_large"}}) {
    json m = base;
    if (value.is_null()) m.erase(key);
    else m[key] = value;
    c.send(m.dump());
    const json r = c.read();
    EXPECT_EQ(r["type"], "error") << key << ": " << r;
    EXPECT_EQ(r["code"], code) << key;
    EXPECT_EQ(r["id"], "h");
  }
  c.send(base.dump());
  EXPECT_EQ(c.read()["type"], "handoff_saved") << "a phone number is a contact too";
  EXPECT_EQ(c.ask("does it hurt?")["type"], "answer");
}

TEST(handoff, over_http_answers_once_committed_and_a_resent_message_is_one_handoff) {
  test_server s;
  const json body{{"id", "h-7f3a"}, {"contact", "pat@example.com"}, {"question", "Can I pay monthly?"}, {"consent", true}};
  const auto first = http_request(s.port(), http::verb::post, "/api/handoff", body.dump(), json_type());
  ASSERT_EQ(first.status, 200u) << first.body;
  const std::string id = first.json()["handoff_id"];
  const auto again = http_request(s.port(), http::verb::post, "/api/handoff", body.dump(), json_type());
  EXPECT_EQ(again.json()["handoff_id"], id);
  auto db = records::open_for_reading(s.records_file);
  EXPECT_EQ(records::list_handoffs(db, std::nullopt, 10).size(), 1u);
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/handoff", body.dump()).status, 415u) << "no Content-Type";
  const auto bad = http_request(s.port(), http::verb::post, "/api/handoff", R"({"contact":"x","question":"q","consent":true})", json_type());
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.json()["error"]["code"], "bad_request");
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/handoff").status, 405u);
}

TEST(handoff, a_server_without_an_inbox_refuses_it_plainly) {
  auto options = test_server::quiet_options();
  options.staff.handoff = false;
  test_server s(options);
  const auto r = http_request(s.port(), http::verb::post, "/api/handoff",
                              R"({"contact":"pat@example.com","question":"q?","consent":true})", json_type());
  EXPECT_EQ(r.status, 404u);
  ws_client c(s.port());
  c.send(R"({"type":"handoff","id":"h1","contact":"pat@example.com","question":"q?","consent":true})");
  const json e = c.read();
  EXPECT_EQ(e["type"], "error");
  EXPECT_EQ(e["code"], "bad_request");
}

TEST(handoff, the_inbox_shows_it_with_a_draft_and_records_who_marked_it_replied) {
  test_server s(test_server::quiet_options(), nullptr, draft);
  ws_client c(s.port());
  c.ask("how much does it cost?");
  c.ask("do you do payment plans?");
  c.send(R"({"type":"handoff","id":"h1","contact":"sam@example.com","name":"Sam","question":"do you do payment plans?","consent":true})");
  const std::string id = c.read()["handoff_id"];
  const auto staff = sign_in_new_staff(s);
  const auto list = http_request(s.port(), http::verb::get, "/api/staff/handoffs?status=new", "", staff.headers()).json();
  ASSERT_EQ(list["handoffs"].size(), 1u);
  EXPECT_EQ(list["handoffs"][0]["handoff_id"], id);
  EXPECT_EQ(list["counts"]["new"], 1);
  const auto detail = http_request(s.port(), http::verb::get, "/api/staff/handoffs/" + id, "", staff.headers()).json();
  EXPECT_EQ(detail["transcript"].size(), 2u);
  EXPECT_EQ(detail["transcript"][0]["answer"]["status"], "answered");
  EXPECT_FALSE(detail["transcript"][0]["answer"]["citations"].empty());
  const std::string reply = detail["reply"]["draft"];
  EXPECT_EQ(reply.rfind("Hi Sam,", 0), 0u) << reply;
  EXPECT_NE(reply.find("payment plans"), std::string::npos) << "listed for staff to answer: " << reply;
  EXPECT_NE(reply.find("[1]"), std::string::npos) << "the cost answer, cited";
  const auto marked = http_request(s.port(), http::verb::post, "/api/staff/handoffs/" + id + "/status", R"({"status":"replied"})",
                                   staff.headers());
  ASSERT_EQ(marked.status, 200u) << marked.body;
  EXPECT_EQ(marked.json()["status_by"], staff.email);
  const auto replied = http_request(s.port(), http::verb::get, "/api/staff/handoffs?status=replied", "", staff.headers()).json();
  ASSERT_EQ(replied["handoffs"].size(), 1u);
  EXPECT_EQ(replied["handoffs"][0]["status_by"], staff.email);
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/staff/handoffs/h-none/status", R"({"status":"closed"})", staff.headers()).status,
            404u);
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/staff/handoffs/" + id + "/status", R"({"status":"done"})", staff.headers()).status,
            400u);
}

// --- the conversation log and insights ----------------------------------------------------

TEST(conversation_log, turns_are_logged_redacted_without_addresses_and_summed_up_for_staff) {
  test_server s;
  std::map<std::string, int> statuses;
  int payment_unanswered = 0;
  {
    ws_client c(s.port());
    const json cost = c.ask("how much does it cost?");
    ++statuses[cost["status"]];
    struct question {
      const char* text;
      bool about_payment;
    };
    for (const auto& [q, payment] : {question{"do you do payment plans? mail me at sam.jones@example.com", true},
                                     question{"do you do finance options?", true}, question{"is there a payment plan", true},
                                     question{"is there parking at the clinic", false},
                                     question{"my scalp has pus and a fever", false}}) {
      const json a = c.ask(q);
      ++statuses[a["status"]];
      if (payment && a["status"] == "no_answer") ++payment_unanswered;
    }
    c.send(json{{"type", "feedback"}, {"answer_id", cost["answer_id"]}, {"helpful", false}, {"comment", "call 07700 900123"}}.dump());
    ASSERT_EQ(c.read()["type"], "feedback_saved");
  }
  ASSERT_EQ(statuses["answered"], 1);
  ASSERT_GE(payment_unanswered, 2) << "the engine now answers what this test counts on it not to";
  const auto staff = sign_in_new_staff(s);
  json insights;
  ASSERT_TRUE(eventually([&] {
    insights = http_request(s.port(), http::verb::get, "/api/staff/insights", "", staff.headers()).json();
    return insights["total"] == 6;
  })) << insights.dump();
  EXPECT_EQ(insights["statuses"]["answered"], statuses["answered"]);
  EXPECT_EQ(insights["statuses"]["no_answer"], statuses["no_answer"]);
  EXPECT_EQ(insights["statuses"]["urgent"], statuses["urgent"]);
  EXPECT_EQ(insights["statuses"]["urgent"], 1);
  EXPECT_EQ(insights["days"].size(), 30u);
  const json& groups = insights["unanswered"]["groups"];
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0]["label"], "payment");
  EXPECT_EQ(groups[0]["count"], payment_unanswered);
  EXPECT_EQ(groups[0]["conversations"].size(), 1u);
  ASSERT_EQ(insights["thumbs_down"].size(), 1u);
  EXPECT_EQ(insights["thumbs_down"][0]["question"], "how much does it cost?");
  EXPECT_EQ(insights["thumbs_down"][0]["comment"], "call [phone]");
  bool rated = false;
  for (const auto& f : insights["facts"]) rated = rated || f["down"] == 1;
  EXPECT_TRUE(rated) << insights["facts"];

  const std::string conversation = groups[0]["conversations"][0];
  const auto turns = http_request(s.port(), http::verb::get, "/api/staff/conversations/" + conversation, "", staff.headers()).json();
  EXPECT_EQ(turns["turns"].size(), 6u);
  const auto csv = http_request(s.port(), http::verb::get, "/api/staff/conversations.csv", "", staff.headers());
  EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("mail me at [email]"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.body.find("sam.jones"), std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 7) << "a header and six turns";
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/insights?from=2024-13-01", "", staff.headers()).status, 400u);
  // No IP address anywhere in the store.
  s.server->stop();
  EXPECT_EQ(read_file(s.records_file).find("127.0.0.1"), std::string::npos);
}

// --- the webhook --------------------------------------------------------------------------------

TEST(handoff_webhook, is_told_of_a_new_handoff_without_patient_text_and_retries_a_failure) {
  // A hook that fails once, then takes the notification.
  net::io_context hook_ioc;
  net::ip::tcp::acceptor acceptor(hook_ioc, {net::ip::make_address("127.0.0.1"), 0});
  const auto hook_port = acceptor.local_endpoint().port();
  std::promise<std::vector<std::string>> bodies;
  std::thread hook([&] {
    std::vector<std::string> seen;
    for (int i = 0; i < 2; ++i) {
      net::ip::tcp::socket socket(hook_ioc);
      acceptor.accept(socket);
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::read(socket, buffer, req);
      seen.push_back(req.body());
      http::response<http::string_body> res{i == 0 ? http::status::internal_server_error : http::status::no_content, 11};
      res.prepare_payload();
      http::write(socket, res);
    }
    bodies.set_value(seen);
  });
  auto options = test_server::quiet_options();
  options.staff.handoff_webhook = "http://127.0.0.1:" + std::to_string(hook_port) + "/hook";
  test_server s(options);
  const auto r = http_request(s.port(), http::verb::post, "/api/handoff",
                              R"({"contact":"pat@example.com","question":"secret question text","consent":true})", json_type());
  ASSERT_EQ(r.status, 200u);
  auto future = bodies.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready) << "the hook was not called twice";
  hook.join();
  const auto seen = future.get();
  for (const auto& b : seen) {
    const json j = json::parse(b);
    EXPECT_EQ(j["handoff_id"], r.json()["handoff_id"]);
    EXPECT_TRUE(j["created_at"].is_number());
    EXPECT_EQ(b.find("secret question"), std::string::npos);
    EXPECT_EQ(b.find("pat@example.com"), std::string::npos);
  }
}

}  // namespace
}  // namespace cited::test
