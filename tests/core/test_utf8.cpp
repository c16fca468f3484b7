#include "utf8.hpp"

#include <gtest/gtest.h>

using namespace cited;

TEST(utf8, accepts_well_formed_text) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("anésthésie – 痛い 😀"));
}

TEST(utf8, rejects_ill_formed_sequences) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("ok\xFFok"));
}

TEST(utf8, a_bad_byte_is_found_wherever_it_falls_after_plain_ascii) {
  // Plain ASCII is checked eight bytes at a time: a bad byte at every offset, in every word.
  for (std::size_t at = 0; at < 40; ++at) {
    std::string s(41, 'a');
    s[at] = '\xFF';
    EXPECT_FALSE(is_valid_utf8(s)) << at;
    s[at] = '\xC3';  // a lead byte whose continuation is plain ASCII
    EXPECT_FALSE(is_valid_utf8(s)) << at;
  }
  EXPECT_TRUE(is_valid_utf8(std::string(64, 'a') + "\xC3\xA9" + std::string(9, 'b')));
  EXPECT_FALSE(is_valid_utf8(std::string(64, 'a') + "\xC3"));
}

TEST(utf8, sanitize_replaces_each_bad_byte_and_keeps_the_rest) {
  EXPECT_EQ(sanitize_utf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("pain"), "pain");
  EXPECT_TRUE(is_valid_utf8(sanitize_utf8("\xC3\x28\xA0\xA1\xE2\x28")));
}

TEST(utf8, prefix_never_splits_a_character) {
  const std::string s = "ab\xC3\xA9";  // "abé"
  EXPECT_EQ(utf8_prefix(s, 3), "ab");
  EXPECT_EQ(utf8_prefix(s, 4), s);
  EXPECT_EQ(utf8_length("abé😀"), 4u);
}
