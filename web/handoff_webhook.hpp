#pragma once
// --handoff-webhook URL: after a hand-off is committed, POSTs {"handoff_id","created_at"} (no
// patient text) to the clinic's own tool, from a thread of its own, so a slow or failing hook
// never holds up a patient. A failure is retried with a growing pause (1 s, 2 s, 4 s, ...) up to
// the given number of attempts, then logged and dropped. http:// only: a clinic that needs TLS
// points it at a local relay.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace cited::web {

class handoff_webhook {
 public:
  // Reports the outcome of each notification (for the log); called on the notifier's thread.
  using report = std::function<void(const std::string& handoff_id, int attempts, std::optional<std::string> failure)>;

  // An empty url turns the notifier off. Throws std::invalid_argument for a URL it cannot use.
  handoff_webhook(const std::string& url, unsigned attempts);
  ~handoff_webhook();
  handoff_webhook(const handoff_webhook&) = delete;
  handoff_webhook& operator=(const handoff_webhook&) = delete;

  bool enabled() const { return !host_.empty(); }
  void set_report(report r);
  // Queues a notification; returns at once.
  void notify(std::string handoff_id, long long created_at_ms);
  // Stops retrying; notifications not yet sent are dropped. Idempotent.
  void stop();

 private:
  struct pending {
    std::string handoff_id;
    long long created_at = 0;
  };
  void run();
  std::optional<std::string> post(const std::string& body);

  std::string host_, port_, target_;
  unsigned attempts_;
  report report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<pending> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// Parses "http://host[:port][/path]"; throws std::invalid_argument otherwise.
struct webhook_url {
  std::string host, port, target;
};
webhook_url parse_webhook_url(const std::string& url);

}  // namespace cited::web
