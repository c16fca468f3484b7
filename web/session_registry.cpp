#include "session_registry.hpp"

namespace cited::web {

bool session_registry::add(std::uint64_t id, std::weak_ptr<session_base> session) {
  std::lock_guard lock(mutex_);
  if (shutting_down_) return false;
  sessions_.emplace(id, std::move(session));
  count_.store(sessions_.size(), std::memory_order_relaxed);
  return true;
}

void session_registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  if (sessions_.erase(id) == 0) return;
  count_.store(sessions_.size(), std::memory_order_relaxed);
  if (sessions_.empty()) emptied_.notify_all();
}

std::vector<std::shared_ptr<session_base>> session_registry::begin_shutdown() {
  std::vector<std::shared_ptr<session_base>> open;
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  open.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_)
    if (auto s = weak.lock()) open.push_back(std::move(s));
  return open;
}

bool session_registry::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return emptied_.wait_until(lock, deadline, [this] { return sessions_.empty(); });
}

}  // namespace cited::web
