// The staff workspace's small pieces on their own: the sign-in throttle (with a made-up clock),
// the hand-off's checks, cookies, the same-origin rule, query parameters, dates.
#include "sign_in_throttle.hpp"

#include <gtest/gtest.h>

#include "handoff_request.hpp"
#include "staff_http.hpp"

namespace cited::web {
namespace {

using namespace std::chrono_literals;
using clock_type = sign_in_throttle::clock;

sign_in_limits limits() {
  sign_in_limits l;
  l.free_failures = 3;
  l.first_delay = 2s;
  l.lock_after = 6;
  l.lock_for = 15min;
  l.address_lock_after = 10;
  return l;
}

TEST(sign_in_throttle, free_tries_then_a_doubling_wait_then_a_lock) {
  sign_in_throttle t(limits());
  const auto t0 = clock_type::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(t.wait_before("a@x.io", "1.2.3.4", t0)) << i;
    t.failed("a@x.io", "1.2.3.4", t0);
  }
  EXPECT_EQ(t.wait_before("a@x.io", "1.2.3.4", t0), 2s);
  EXPECT_FALSE(t.wait_before("a@x.io", "1.2.3.4", t0 + 2s));
  t.failed("a@x.io", "1.2.3.4", t0 + 2s);
  EXPECT_EQ(t.wait_before("a@x.io", "1.2.3.4", t0 + 2s), 4s);
  t.failed("a@x.io", "1.2.3.4", t0 + 6s);
  EXPECT_EQ(t.wait_before("a@x.io", "1.2.3.4", t0 + 6s), 8s);
  t.failed("a@x.io", "1.2.3.4", t0 + 14s);
  EXPECT_EQ(t.wait_before("a@x.io", "1.2.3.4", t0 + 14s), 15min) << "six failures: locked";
  EXPECT_FALSE(t.wait_before("b@x.io", "1.2.3.4", t0 + 14s)) << "another account from the same address";
  EXPECT_FALSE(t.wait_before("a@x.io", "1.2.3.4", t0 + 14s + 15min)) << "the lock ends";
}

TEST(sign_in_throttle, a_success_clears_its_account_only_and_an_address_locks_at_its_own_count) {
  sign_in_throttle t(limits());
  const auto t0 = clock_type::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) t.failed("a@x.io", "9.9.9.9", t0);
  t.succeeded("a@x.io");
  EXPECT_FALSE(t.wait_before("a@x.io", "9.9.9.9", t0));
  // Ten failures from one address over many accounts lock the address.
  for (int i = 0; i < 7; ++i) t.failed("user" + std::to_string(i) + "@x.io", "9.9.9.9", t0);
  EXPECT_EQ(t.wait_before("fresh@x.io", "9.9.9.9", t0), 15min);
  EXPECT_FALSE(t.wait_before("fresh@x.io", "8.8.8.8", t0));
}

TEST(handoff_request, contacts_are_an_email_or_a_phone_number) {
  EXPECT_EQ(classify_contact("sam@example.com"), contact_kind::email);
  EXPECT_EQ(classify_contact("+44 (0)7400 123-456"), contact_kind::phone);
  EXPECT_EQ(classify_contact("07400.123.456"), contact_kind::phone);
  EXPECT_FALSE(classify_contact("12345"));
  // Right length, not a number anyone has (libphonenumber's validity, not the shape).
  EXPECT_FALSE(classify_contact("0000000000"));
  EXPECT_FALSE(classify_contact("07700 900123"));  // Ofcom keeps 07700 900xxx for fiction: no one answers
  EXPECT_FALSE(classify_contact("+44 1111 111111"));
  EXPECT_EQ(classify_contact("(212) 555-0123"), contact_kind::phone);  // the US, one of the default regions
  EXPECT_EQ(classify_contact("+49 30 901820"), contact_kind::phone);   // any region with its country code
  EXPECT_FALSE(classify_contact("1234567890123456"));
  EXPECT_FALSE(classify_contact("sam@example"));
  EXPECT_FALSE(classify_contact("sam example.com"));
  EXPECT_FALSE(classify_contact("<sam@example.com>"));
  EXPECT_FALSE(classify_contact("call me maybe"));
}

TEST(handoff_request, reads_and_checks_the_members) {
  const auto ok = read_handoff_request(
      nlohmann::json{{"contact", " sam@example.com "}, {"name", " Sam "}, {"question", " parking? "}, {"consent", true}}, 4000, 100);
  ASSERT_TRUE(std::holds_alternative<handoff_request>(ok));
  const auto& r = std::get<handoff_request>(ok);
  EXPECT_EQ(r.contact, "sam@example.com");
  EXPECT_EQ(r.name.value_or(""), "Sam");
  EXPECT_EQ(r.question, "parking?");
  const auto blank_name = read_handoff_request(nlohmann::json{{"contact", "sam@example.com"}, {"name", ""}, {"question", "q"}, {"consent", true}}, 4000, 100);
  EXPECT_FALSE(std::get<handoff_request>(blank_name).name);
  const auto no_consent = read_handoff_request(nlohmann::json{{"contact", "sam@example.com"}, {"question", "q"}, {"consent", "yes"}}, 4000, 100);
  ASSERT_TRUE(std::holds_alternative<handoff_problem>(no_consent));
  EXPECT_FALSE(std::get<handoff_problem>(no_consent).too_large);
  const auto long_q = read_handoff_request(nlohmann::json{{"contact", "sam@example.com"}, {"question", "éé"}, {"consent", true}}, 1, 100);
  EXPECT_TRUE(std::get<handoff_problem>(long_q).too_large);
}

TEST(staff_http, cookies_origins_queries_and_days) {
  EXPECT_EQ(cookie_value("a=1; cited_session=tok; b=2", "cited_session").value_or(""), "tok");
  EXPECT_FALSE(cookie_value("xcited_session=tok", "cited_session"));
  EXPECT_EQ(session_cookie("t", false), "cited_session=t; HttpOnly; SameSite=Strict; Path=/");
  EXPECT_EQ(session_cookie("", true), "cited_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0; Secure");
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type(""));

  http_request req;
  req.set(http::field::host, "clinic.example");
  EXPECT_TRUE(same_origin(req)) << "no Origin: not a browser's cross-site request";
  req.set(http::field::origin, "https://clinic.example");
  EXPECT_TRUE(same_origin(req));
  req.set(http::field::origin, "https://clinic.example.evil.io");
  EXPECT_FALSE(same_origin(req));
  req.set(http::field::origin, "null");
  EXPECT_FALSE(same_origin(req));

  EXPECT_EQ(query_param("/x?from=2024-06-01&to=2024%2D06%2D30", "to").value_or(""), "2024-06-30");
  EXPECT_FALSE(query_param("/x?fromage=1", "from"));
  EXPECT_EQ(parse_utc_day("1970-01-02").value_or(-1), 86'400'000);
  EXPECT_FALSE(parse_utc_day("2024-02-30"));
  EXPECT_FALSE(parse_utc_day("2024-6-1"));
}

}  // namespace
}  // namespace cited::web
