#pragma once
// The settings of the staff workspace and the patient's hand-off (cited serve's flags).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cited::web {

// Sign-in throttling, per account (whether it exists or not) and per client address.
struct sign_in_limits {
  unsigned free_failures = 3;                          // wrong passwords allowed before any wait
  std::chrono::milliseconds first_delay{2'000};        // the wait after that, doubled per failure
  unsigned lock_after = 10;                            // failures in a row that lock the account
  std::chrono::milliseconds lock_for{15 * 60'000};     // how long a lock (and a failure's memory) lasts
  unsigned address_lock_after = 50;                    // failures from one address that lock it out
};

// The knowledge editor's preview and checks (cited serve's flags).
struct knowledge_options {
  std::vector<std::filesystem::path> question_sets;  // JSON Lines sets whose answers the preview compares
  std::filesystem::path red_flag_set;                // urgent questions a publish must keep urgent
  int log_days = 30;                                 // the log's questions of these last days are compared too
  std::size_t log_questions = 5'000;                 // at most this many of them (the newest)
  std::size_t listed_changes = 500;                  // changed answers listed (all are counted)
  std::size_t max_edits = 500;                       // edits a draft may hold
  std::size_t max_source_bytes = 1 << 20;            // a source's text
};

struct staff_options {
  bool handoff = true;                                   // false (--no-handoff): no inbox; the widget's contact link instead
  std::chrono::milliseconds session_idle = std::chrono::hours(12);  // a session unused this long ends
  bool secure_cookies = false;                           // always mark the cookie Secure (behind TLS)
  unsigned threads = 2;                                  // staff threads (sign-in hashing, reports, drafts)
  std::size_t queue = 64;                                // staff requests waiting for them; past this: 503
  std::size_t transcript_turns = 8;                      // turns of a conversation a hand-off takes along
  std::string handoff_webhook;                           // http://… to notify of each new hand-off; empty: none
  unsigned webhook_attempts = 5;                         // tries per notification, backing off between them
  sign_in_limits sign_in;
  knowledge_options knowledge;
};

}  // namespace cited::web
