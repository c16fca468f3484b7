#pragma once
// Every open connection, so that a shutdown can reach each one and wait for it to close, and
// so that the listener can count them against the cap.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace cited::web {

// What the registry asks of a connection.
class session_base : public std::enable_shared_from_this<session_base> {
 public:
  virtual ~session_base() = default;
  // Finish what is in flight, then close (WebSockets with 1001). Called from any thread.
  virtual void shutdown() = 0;

 protected:
  template <class Derived>
  std::shared_ptr<Derived> self() {
    return std::static_pointer_cast<Derived>(shared_from_this());
  }
};

class session_registry {
 public:
  // Adds a session under id, unless shutdown has begun: then false, and the session should
  // close at once. Taken under the same mutex as begin_shutdown, so no session slips between
  // the snapshot and the flag.
  bool add(std::uint64_t id, std::weak_ptr<session_base> session);
  void remove(std::uint64_t id);
  std::size_t size() const { return count_.load(std::memory_order_relaxed); }
  std::uint64_t next_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

  // Refuses further adds and returns the sessions open now.
  std::vector<std::shared_ptr<session_base>> begin_shutdown();
  // True once every session has gone; false when the deadline came first.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::unordered_map<std::uint64_t, std::weak_ptr<session_base>> sessions_;
  std::atomic<std::size_t> count_{0};
  std::atomic<std::uint64_t> next_id_{1};
  bool shutting_down_ = false;
};

}  // namespace cited::web
