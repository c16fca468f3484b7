#include "redact.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace cited::web {
namespace {

TEST(redact, replaces_email_addresses) {
  EXPECT_EQ(redact_personal_data("write to sam.jones+smp@mail.example.co.uk please"), "write to [email] please");
  EXPECT_EQ(redact_personal_data("a@b.io, c_d@e-f.com."), "[email], [email].");
}

TEST(redact, replaces_phone_numbers_in_their_usual_shapes) {
  EXPECT_EQ(redact_personal_data("call 07700 900123"), "call [phone]");
  // A spelled-out " at " before a real address is the sentence's, not the address's.
  EXPECT_EQ(redact_personal_data("mail me at sam.jones@example.com"), "mail me at [email]");
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
  EXPECT_EQ(redact_personal_data("12345"), "12345");
}

// Sets the phone regions for one test, and puts the defaults back after it.
struct phone_regions_for_test {
  explicit phone_regions_for_test(const std::vector<std::string>& regions) { set_phone_regions(regions); }
  ~phone_regions_for_test() { set_phone_regions({"GB", "IE", "US", "AU", "NZ"}); }
};

TEST(redact, the_default_regions_are_the_documented_ones) {
  EXPECT_EQ(phone_regions(), (std::vector<std::string>{"GB", "IE", "US", "AU", "NZ"}));
  EXPECT_STREQ(default_phone_regions, "GB,IE,US,AU,NZ");
}

TEST(redact, six_digit_runs_are_numbers_where_a_region_has_local_numbers_that_short) {
  // Short local numbers exist in the UK's plan (libphonenumber knows them), not in North America's.
  EXPECT_EQ(redact_personal_data("ring 873 421 after six"), "ring [phone] after six");
  phone_regions_for_test us({"US"});
  EXPECT_EQ(redact_personal_data("ring 873 421 after six"), "ring 873 421 after six");
  // A number written with its country code is found whatever the regions.
  EXPECT_EQ(redact_personal_data("or +44 20 7946 0958"), "or [phone]");
}

TEST(redact, unknown_regions_are_refused) {
  EXPECT_THROW(set_phone_regions({"GB", "XX"}), std::invalid_argument);
  EXPECT_EQ(phone_regions().front(), "GB");  // unchanged
}

// --- Disguised contacts, as patients type them ----------------------------------------------

TEST(redact, spelled_out_at_and_dot) {
  EXPECT_EQ(redact_personal_data("mail name(at)example(dot)com ok"), "mail [email] ok");
  EXPECT_EQ(redact_personal_data("sam [at] mail [dot] co [dot] uk"), "[email]");
  EXPECT_EQ(redact_personal_data("write sam at gmail dot com please"), "write [email] please");
  EXPECT_EQ(redact_personal_data("Sam AT Example DOT org"), "[email]");
  // "at" as a word is no address without a host after it.
  EXPECT_EQ(redact_personal_data("can I come in at 10.30 or at home?"), "can I come in at 10.30 or at home?");
}

TEST(redact, full_width_and_other_compatibility_characters) {
  EXPECT_EQ(redact_personal_data("ｓａｍ＠ｅｘａｍｐｌｅ．ｃｏｍ"), "[email]");
  EXPECT_EQ(redact_personal_data("sam﹫example.com"), "[email]");
  EXPECT_EQ(redact_personal_data("tel ０７７００ ９００１２３."), "tel [phone].");
}

TEST(redact, invisible_characters_inside_an_address_or_a_number) {
  EXPECT_EQ(redact_personal_data("sam\u200b@exam\u200dple.com"), "[email]");
  EXPECT_EQ(redact_personal_data("s\u00ADam@example.com"), "[email]");
  EXPECT_EQ(redact_personal_data("07700\u200b900123"), "[phone]");
  EXPECT_EQ(redact_personal_data("07700\u00a0900\u2009123 ok"), "[phone] ok");
}

TEST(redact, accented_addresses) {
  EXPECT_EQ(redact_personal_data("josé.müller@exämple.de"), "[email]");
  EXPECT_EQ(redact_personal_data("écrivez à zoë@café.fr merci"), "écrivez à [email] merci");
}

TEST(redact, phone_numbers_in_other_digits_and_dashes) {
  EXPECT_EQ(redact_personal_data("رقمي ٠٧٧٠٠٩٠٠١٢٣"), "رقمي [phone]");   // Arabic-Indic digits
  EXPECT_EQ(redact_personal_data("फ़ोन ०७७०० ९००१२३"), "फ़ोन [phone]");    // Devanagari
  EXPECT_EQ(redact_personal_data("07700\u2013900\u2013123"), "[phone]");   // en dashes
}

TEST(redact, what_is_not_redacted_is_kept_byte_for_byte) {
  const std::string s = "naïve café ½ price — ﬁne, ｆｕｌｌ width, 3\u200b000 dollars";
  EXPECT_EQ(redact_personal_data(s), s);
  EXPECT_EQ(redact_personal_data("bad \xC3\x28 utf8 sam@example.com"), "bad \xC3\x28 utf8 [email]");
}

TEST(redact, request_targets_are_decoded_first) {
  EXPECT_EQ(redact_request_target("/api/sources/x?to=sam%40example.com&n=1"), "/api/sources/x?to=[email]&n=1");
  EXPECT_EQ(redact_request_target("/x?tel=%2B44%207700%20900123"), "/x?tel=[phone]");
  EXPECT_EQ(redact_request_target("/x?a=%4"), "/x?a=%4");
}

}  // namespace
}  // namespace cited::web
