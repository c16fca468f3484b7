#pragma once
// Throttles sign-in attempts: a run of wrong passwords for one account first makes it wait
// (first_delay, doubling), then locks it for lock_for; so does a run from one client address,
// at a higher count. A right password clears its account's run only, so an attacker cannot
// clear an address's run with an account of their own, and a locked account never holds up
// another. Accounts are keyed by the email as typed (folded), whether the account exists or
// not: the throttle must not tell which emails have accounts.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "staff_options.hpp"

namespace cited::web {

class sign_in_throttle {
 public:
  using clock = std::chrono::steady_clock;
  explicit sign_in_throttle(sign_in_limits limits) : limits_(limits) {}

  // How long the caller must wait before this attempt is looked at; nullopt: go ahead.
  std::optional<std::chrono::milliseconds> wait_before(const std::string& account, const std::string& address,
                                                       clock::time_point now = clock::now());
  void failed(const std::string& account, const std::string& address, clock::time_point now = clock::now());
  void succeeded(const std::string& account);

 private:
  struct run {
    unsigned failures = 0;
    clock::time_point last;
  };
  std::optional<std::chrono::milliseconds> wait_for(const run& r, unsigned lock_after, clock::time_point now) const;
  void forget_old(clock::time_point now);

  sign_in_limits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, run> accounts_, addresses_;
};

}  // namespace cited::web
