#pragma once
// The staff workspace's shared pieces, one per server: the records writer (from the services),
// the sign-in throttle, the staff threads and the hand-off notifier.
#include <functional>
#include <memory>
#include <mutex>

#include "answer_engine.hpp"
#include "live_index.hpp"
#include "handoff_webhook.hpp"
#include "sign_in_throttle.hpp"
#include "staff_options.hpp"
#include "staff_accounts.hpp"
#include "staff_worker.hpp"
#include "writer.hpp"

namespace cited::web {

struct staff_workspace {
  // The staff threads answer from index's slots first_slot, first_slot + 1, ...
  staff_workspace(const staff_options& options, std::shared_ptr<records::writer> writer, live_index& index,
                  std::size_t first_slot)
      : records(std::move(writer)),
        throttle(options.sign_in),
        worker(options.threads, options.queue, index, first_slot, records->path()),
        webhook(options.handoff_webhook, options.webhook_attempts) {
    // Made now (on a staff thread, so that start-up does not wait for it), not at the first
    // sign-in for an unknown email, which would then take twice as long as any other and tell
    // that the email has no account.
    worker.submit([](staff_context*) { records::decoy_password_hash(); });
  }

  // Ends the staff threads and the notifier; what they had queued is done first.
  void stop() {
    worker.stop();
    webhook.stop();
  }

  std::shared_ptr<records::writer> records;
  std::mutex publish_mutex;  // one publish (or restore) at a time: each starts from what the last left
  sign_in_throttle throttle;
  staff_worker worker;
  handoff_webhook webhook;
};

}  // namespace cited::web
