#include "conversation.hpp"

#include <gtest/gtest.h>

using namespace cited;

TEST(conversation, keeps_only_the_last_few_turns) {
  conversation c;
  for (int i = 0; i < 10; ++i) c.remember({{}, "fact-" + std::to_string(i), "cost"});
  EXPECT_EQ(c.turns().size(), conversation::max_turns);
  ASSERT_NE(c.last_answered(), nullptr);
  EXPECT_EQ(*c.last_answered()->fact, "fact-9");
}

TEST(conversation, last_answered_skips_turns_without_a_fact) {
  conversation c;
  c.remember({{}, "pain", "pain"});
  c.remember({{}, std::nullopt, std::nullopt});
  ASSERT_NE(c.last_answered(), nullptr);
  EXPECT_EQ(*c.last_answered()->fact, "pain");
  c.clear();
  EXPECT_EQ(c.last_answered(), nullptr);
}
