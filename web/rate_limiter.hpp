#pragma once
// A token bucket: a connection may send `rate` messages a second on average and `burst` at once,
// which lets a person type in bursts but stops a script from flooding the engine.
#include <algorithm>
#include <chrono>

namespace cited::web {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;

  // rate <= 0 turns the limit off. The bucket starts full.
  token_bucket(double rate, double burst, clock::time_point now = clock::now())
      : rate_(rate), burst_(std::max(burst, 1.0)), tokens_(burst_), last_(now) {}

  // Takes a token when one is there; false means the message is over the limit.
  bool try_take(clock::time_point now = clock::now()) {
    if (rate_ <= 0) return true;
    const std::chrono::duration<double> elapsed = now - last_;
    if (elapsed.count() > 0) {
      tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
      last_ = now;
    }
    if (tokens_ < 1.0) return false;
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_;
  double burst_;
  double tokens_;
  clock::time_point last_;
};

}  // namespace cited::web
