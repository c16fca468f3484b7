#include "rate_limiter.hpp"

#include <gtest/gtest.h>

namespace cited::web {
namespace {

using namespace std::chrono_literals;

TEST(token_bucket, allows_a_burst_then_the_rate) {
  const auto t0 = token_bucket::clock::time_point{};
  token_bucket b(5, 10, t0);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(b.try_take(t0)) << i;
  EXPECT_FALSE(b.try_take(t0));
  EXPECT_FALSE(b.try_take(t0 + 100ms));  // half a token
  EXPECT_TRUE(b.try_take(t0 + 200ms));
  EXPECT_FALSE(b.try_take(t0 + 200ms));
}

TEST(token_bucket, refills_no_further_than_the_burst) {
  const auto t0 = token_bucket::clock::time_point{};
  token_bucket b(5, 3, t0);
  for (int i = 0; i < 3; ++i) b.try_take(t0);
  const auto later = t0 + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(b.try_take(later));
  EXPECT_FALSE(b.try_take(later));
}

TEST(token_bucket, rate_zero_is_no_limit) {
  token_bucket b(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(b.try_take());
}

}  // namespace
}  // namespace cited::web
