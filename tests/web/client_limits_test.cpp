#include "client_limits.hpp"

#include <gtest/gtest.h>

#include "client_address.hpp"

namespace cited::web {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::make_address;

TEST(shared_rate, allows_the_burst_then_the_rate) {
  shared_rate r(2, 3);
  const auto t0 = limits_clock::now();
  EXPECT_TRUE(r.try_take(t0));
  EXPECT_TRUE(r.try_take(t0));
  EXPECT_TRUE(r.try_take(t0));
  EXPECT_FALSE(r.try_take(t0));
  EXPECT_EQ(r.retry_after_seconds(t0), 1);
  EXPECT_FALSE(r.try_take(t0 + 400ms));
  EXPECT_TRUE(r.try_take(t0 + 510ms));  // one back at 2 a second
  EXPECT_FALSE(r.try_take(t0 + 520ms));
  EXPECT_FALSE(r.full(t0 + 1s));
  EXPECT_TRUE(r.full(t0 + 2s));
}

TEST(shared_rate, says_how_long_to_wait_for_a_slow_rate) {
  shared_rate r(0.1, 1);
  const auto t0 = limits_clock::now();
  EXPECT_TRUE(r.try_take(t0));
  EXPECT_FALSE(r.try_take(t0 + 1s));
  EXPECT_EQ(r.retry_after_seconds(t0 + 1s), 9);
}

TEST(shared_rate, zero_is_no_limit) {
  shared_rate r(0, 1);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(r.try_take(limits_clock::now()));
}

TEST(client_table, caps_open_connections_per_address_and_gives_them_back) {
  client_table t({0, 0, 2, 1000});
  const auto a = make_address("203.0.113.5"), b = make_address("203.0.113.6");
  auto first = t.open(a), second = t.open(a);
  ASSERT_TRUE(first && second);
  EXPECT_FALSE(t.open(a));
  EXPECT_TRUE(t.open(b));
  first.reset();
  EXPECT_TRUE(t.open(a));
}

TEST(client_table, an_ipv6_client_is_one_address_per_64) {
  client_table t({0, 0, 1, 1000});
  auto held = t.open(make_address("2001:db8:1:2::1"));
  ASSERT_TRUE(held);
  EXPECT_FALSE(t.open(make_address("2001:db8:1:2:ffff::9")));  // the same /64
  EXPECT_TRUE(t.open(make_address("2001:db8:1:3::1")));
  // An IPv4-mapped address is the IPv4 one.
  auto v4 = t.open(make_address("198.51.100.7"));
  EXPECT_FALSE(t.open(make_address("::ffff:198.51.100.7")));
}

TEST(client_table, the_rate_is_shared_by_an_addresss_connections) {
  client_table t({1, 2, 0, 1000});
  auto one = t.open(make_address("203.0.113.5")), two = t.open(make_address("203.0.113.5"));
  const auto now = limits_clock::now();
  EXPECT_TRUE(one->try_take(now));
  EXPECT_TRUE(two->try_take(now));
  EXPECT_FALSE(one->try_take(now));
  EXPECT_FALSE(two->try_take(now));
}

TEST(client_table, stays_bounded_with_many_addresses) {
  client_table t({5, 10, 64, 1000});
  for (unsigned i = 0; i < 20'000; ++i) {
    auto slot = t.open(boost::asio::ip::address_v4(0x0A000000u + i));
    ASSERT_TRUE(slot);
    slot->try_take();  // a bucket not yet refilled: not free to forget, only when over the bound
  }
  EXPECT_LE(t.size(), 1000u);
  // Addresses with open connections are never forgotten (their count would be lost).
  std::vector<client_slot> held;
  for (unsigned i = 0; i < 1500; ++i) held.push_back(std::move(*t.open(boost::asio::ip::address_v4(0x0B000000u + i))));
  EXPECT_GE(t.size(), 1500u);
}

TEST(client_table, is_not_used_when_both_limits_are_off) {
  client_table t({0, 0, 0, 1000});
  for (int i = 0; i < 100; ++i) {
    auto slot = t.open(make_address("203.0.113.5"));
    ASSERT_TRUE(slot);
    EXPECT_TRUE(slot->try_take());
  }
  EXPECT_EQ(t.size(), 0u);
}

TEST(message_budget, refuses_past_the_cap_and_counts) {
  message_budget b(100);
  EXPECT_TRUE(b.reserve(60));
  EXPECT_FALSE(b.reserve(41));
  EXPECT_TRUE(b.reserve(40));
  EXPECT_EQ(b.held(), 100u);
  b.release(100);
  EXPECT_EQ(b.held(), 0u);
  EXPECT_EQ(b.peak(), 100u);
  EXPECT_EQ(b.refusals(), 1u);
}

TEST(message_budget, gives_memory_back_after_a_spike) {
  message_budget b(0);
  ASSERT_TRUE(b.reserve(8 << 20));
  EXPECT_EQ(b.trims(), 0u);
  b.release(8 << 20);
  EXPECT_EQ(b.trims(), 1u);
  ASSERT_TRUE(b.reserve(1 << 20));
  b.release(1 << 20);
  EXPECT_EQ(b.trims(), 1u);  // no spike, no trim
}

TEST(answer_window, takes_an_answer_once_from_its_client_within_the_window) {
  answer_window w(10min, 100);
  const auto a = limit_key(make_address("203.0.113.5")), b = limit_key(make_address("203.0.113.6"));
  const auto t0 = limits_clock::now();
  w.remember("a-1", a, t0);
  w.remember("a-2", a, t0);
  EXPECT_FALSE(w.take("a-1", b, t0));
  EXPECT_TRUE(w.take("a-1", a, t0));
  EXPECT_FALSE(w.take("a-1", a, t0));
  EXPECT_FALSE(w.take("a-2", a, t0 + 11min));
}

TEST(answer_window, keeps_at_most_its_bound) {
  answer_window w(10min, 100);
  const auto a = limit_key(make_address("203.0.113.5"));
  const auto t0 = limits_clock::now();
  for (int i = 0; i < 1000; ++i) w.remember("a-" + std::to_string(i), a, t0);
  EXPECT_FALSE(w.take("a-0", a, t0));
  EXPECT_TRUE(w.take("a-999", a, t0));
}

TEST(client_address, x_forwarded_for_is_believed_only_from_trusted_proxies) {
  const trusted_proxies proxies({"10.0.0.0/8", "::1"});
  const auto proxy = make_address("10.1.2.3"), stranger = make_address("198.51.100.1");
  EXPECT_EQ(client_address(stranger, "203.0.113.5", proxies), stranger);
  EXPECT_EQ(client_address(proxy, "203.0.113.5", proxies), make_address("203.0.113.5"));
  // The rightmost entry that is not a trusted proxy; what the client wrote left of it is not read.
  EXPECT_EQ(client_address(proxy, "1.2.3.4, 203.0.113.5, 10.9.9.9", proxies), make_address("203.0.113.5"));
  EXPECT_EQ(client_address(proxy, "203.0.113.5:4431", proxies), make_address("203.0.113.5"));
  EXPECT_EQ(client_address(make_address("::1"), "[2001:db8::7]:443", proxies), make_address("2001:db8::7"));
  EXPECT_EQ(client_address(proxy, "", proxies), proxy);
  EXPECT_EQ(client_address(proxy, "garbage", proxies), proxy);
  EXPECT_EQ(client_address(make_address("::ffff:10.0.0.1"), "203.0.113.5", proxies), make_address("203.0.113.5"));
}

TEST(client_address, trusted_proxies_refuse_what_is_no_address) {
  EXPECT_THROW(trusted_proxies({"10.0.0.0/33"}), std::invalid_argument);
  EXPECT_THROW(trusted_proxies({"proxy.example"}), std::invalid_argument);
  EXPECT_THROW(trusted_proxies({"10.0.0.0/"}), std::invalid_argument);
  EXPECT_NO_THROW(trusted_proxies({"127.0.0.1", "fd00::/8", "0.0.0.0/0"}));
}

TEST(client_address, the_log_shows_a_network_not_a_person) {
  EXPECT_EQ(loggable_address(make_address("203.0.113.57"), false), "203.0.113.0/24");
  EXPECT_EQ(loggable_address(make_address("2001:db8:1:2:3:4:5:6"), false), "2001:db8:1::/48");
  EXPECT_EQ(loggable_address(make_address("::ffff:203.0.113.57"), false), "203.0.113.0/24");
  EXPECT_EQ(loggable_address(make_address("203.0.113.57"), true), "203.0.113.57");
}

}  // namespace
}  // namespace cited::web
