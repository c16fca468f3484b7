#include "sign_in_throttle.hpp"

#include <algorithm>

namespace cited::web {
namespace {

// Past this many remembered runs, the ones older than a lock are forgotten: memory stays bounded
// whatever an attacker types.
constexpr std::size_t remembered_runs = 10'000;

}  // namespace

std::optional<std::chrono::milliseconds> sign_in_throttle::wait_for(const run& r, unsigned lock_after,
                                                                    clock::time_point now) const {
  if (r.failures < limits_.free_failures) return std::nullopt;
  std::chrono::milliseconds pause = limits_.lock_for;
  if (r.failures < lock_after) {
    const unsigned doublings = std::min(r.failures - limits_.free_failures, 20u);
    pause = std::min(limits_.lock_for, std::chrono::duration_cast<std::chrono::milliseconds>(limits_.first_delay * (1LL << doublings)));
  }
  const auto until = r.last + pause;
  if (now >= until) return std::nullopt;
  return std::chrono::ceil<std::chrono::milliseconds>(until - now);
}

std::optional<std::chrono::milliseconds> sign_in_throttle::wait_before(const std::string& account, const std::string& address,
                                                                       clock::time_point now) {
  std::lock_guard lock(mutex_);
  std::optional<std::chrono::milliseconds> wait;
  if (auto it = accounts_.find(account); it != accounts_.end()) wait = wait_for(it->second, limits_.lock_after, now);
  if (auto it = addresses_.find(address); it != addresses_.end()) {
    // An address gets many more free tries: a clinic's staff share one office's address.
    run scaled = it->second;
    if (scaled.failures < limits_.address_lock_after) scaled.failures = 0;
    if (auto w = wait_for(scaled, limits_.address_lock_after, now)) wait = std::max(wait.value_or(*w), *w);
  }
  return wait;
}

void sign_in_throttle::failed(const std::string& account, const std::string& address, clock::time_point now) {
  std::lock_guard lock(mutex_);
  forget_old(now);
  for (auto* runs : {&accounts_, &addresses_}) {
    auto& r = (*runs)[runs == &accounts_ ? account : address];
    // A run ends when it has been quiet for as long as a lock lasts.
    if (r.failures && now - r.last >= limits_.lock_for) r.failures = 0;
    ++r.failures;
    r.last = now;
  }
}

void sign_in_throttle::succeeded(const std::string& account) {
  std::lock_guard lock(mutex_);
  accounts_.erase(account);
}

void sign_in_throttle::forget_old(clock::time_point now) {
  for (auto* runs : {&accounts_, &addresses_}) {
    if (runs->size() < remembered_runs) continue;
    for (auto it = runs->begin(); it != runs->end();)
      it = now - it->second.last >= limits_.lock_for ? runs->erase(it) : std::next(it);
  }
}

}  // namespace cited::web
