#include "redact.hpp"

#include <gtest/gtest.h>

namespace cited::web {
namespace {

TEST(redact, replaces_email_addresses) {
  EXPECT_EQ(redact_personal_data("write to sam.jones+smp@mail.example.co.uk please"), "write to [email] please");
  EXPECT_EQ(redact_personal_data("a@b.io, c_d@e-f.com."), "[email], [email].");
}

TEST(redact, replaces_phone_numbers_in_their_usual_shapes) {
  EXPECT_EQ(redact_personal_data("call 07700 900123"), "call [phone]");
  EXPECT_EQ(redact_personal_data("call +44 (0)20 7946 0958 now"), "call [phone] now");
  EXPECT_EQ(redact_personal_data("(555) 123-4567."), "[phone].");
  EXPECT_EQ(redact_personal_data("555.123.4567"), "[phone]");
  EXPECT_EQ(redact_personal_data("+15551234567"), "[phone]");
}

TEST(redact, keeps_prices_durations_and_counts) {
  const std::string s = "between $500 and $3000 per session, 1-3 years, 2-3 sessions, 10,000 follicles, at 10:30";
  EXPECT_EQ(redact_personal_data(s), s);
  EXPECT_EQ(redact_personal_data("I am 35 (since 2019)"), "I am 35 (since 2019)");
}

TEST(redact, leaves_things_that_only_look_like_addresses) {
  EXPECT_EQ(redact_personal_data("@ home, me@localhost, a@b"), "@ home, me@localhost, a@b");
}

TEST(redact, handles_both_in_one_text_and_non_ascii) {
  EXPECT_EQ(redact_personal_data("José: jose@correo.es / 612 345 678 — gracias"), "José: [email] / [phone] — gracias");
}

TEST(redact, handles_empty_and_edge_text) {
  EXPECT_EQ(redact_personal_data(""), "");
  EXPECT_EQ(redact_personal_data("@"), "@");
  EXPECT_EQ(redact_personal_data("+"), "+");
  EXPECT_EQ(redact_personal_data("1234567"), "[phone]");
  EXPECT_EQ(redact_personal_data("123456"), "123456");
}

}  // namespace
}  // namespace cited::web
