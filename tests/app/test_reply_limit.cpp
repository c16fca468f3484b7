// POST /api/reply's work limit: how much of an email is read.
#include "reply_limit.hpp"

#include <gtest/gtest.h>

namespace {

using cited::app::cut_email;

TEST(cut_email, a_short_email_is_read_whole) {
  const std::string email = "Hi,\nDoes it hurt? How much is it?\nThanks, Sam";
  const auto cut = cut_email(email, {200, 16'000});
  EXPECT_EQ(cut.read, email);
  EXPECT_FALSE(cut.not_read_past);
}

TEST(cut_email, stops_after_max_sentences) {
  const std::string email = "One. Two? Three! Four. Five.";
  const auto cut = cut_email(email, {3, 16'000});
  EXPECT_EQ(cut.read, "One. Two? Three! ");
  ASSERT_TRUE(cut.not_read_past);
  EXPECT_EQ(*cut.not_read_past, "One. Two? Three!");
}

TEST(cut_email, stops_at_the_last_sentence_that_fits_max_chars) {
  const std::string email = "First sentence here. Second sentence here. Third sentence here.";
  const auto cut = cut_email(email, {0, 45});
  EXPECT_EQ(cut.read, "First sentence here. Second sentence here. ");
  EXPECT_TRUE(cut.not_read_past);
}

TEST(cut_email, cuts_one_endless_sentence_at_a_space) {
  std::string email;
  for (int i = 0; i < 100; ++i) email += "wörd ";
  const auto cut = cut_email(email, {200, 42});
  EXPECT_EQ(cut.read, email.substr(0, 8 * std::string("wörd ").size()));  // 40 characters: eight words
  EXPECT_EQ(*cut.not_read_past, "wörd wörd wörd wörd wörd wörd wörd wörd");
}

TEST(cut_email, the_quoted_words_start_on_a_word) {
  std::string email;
  for (int i = 0; i < 30; ++i) email += "Sentence number " + std::to_string(i) + " is here.\n";
  const auto cut = cut_email(email, {20, 16'000});
  ASSERT_TRUE(cut.not_read_past);
  EXPECT_EQ(cut.not_read_past->back(), '.');
  EXPECT_NE(cut.not_read_past->find("number 19 is here."), std::string::npos);
  EXPECT_NE(cut.not_read_past->front(), ' ');
}

}  // namespace
