#pragma once
// The conversation log: one row per chat turn, for the staff's insights. The patient's text is
// redacted before it gets here (web/ does it, as for the access log); no IP address is kept, and
// the conversation id is random, so a row cannot be tied to a connection's address.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sqlite.hpp"

namespace cited::records {

struct turn_row {
  long long at = 0;               // ms since the epoch
  std::string conversation;       // random per conversation
  std::string via;                // "ws" or "http"
  std::string question;           // redacted
  std::string answer_id;
  std::string status;             // answered, no_answer, urgent, smalltalk
  std::string facts_json = "[]";  // the fact ids cited, a JSON array
  std::optional<std::string> topic = std::nullopt;
  bool conflict = false;
  long long latency_us = 0;
};

// A logged turn as staff read it, with the feedback it got when there was any.
struct logged_turn {
  turn_row row;
  std::optional<bool> helpful;
  std::string comment;  // feedback comment, as stored
};

// SQL joining feedback f to the turn t that gave the answer: the turn came at most a day before
// the feedback (a widget's conversation does not last longer), so the join walks the time index
// instead of needing an index of random answer ids on every turn. Use as
// "FROM feedback f JOIN turns t INDEXED BY turns_by_time ON " + feedback_turn_join.
inline constexpr const char* feedback_turn_join =
    "t.at BETWEEN CAST((julianday(f.received_at) - 2440587.5) * 86400000.0 AS INTEGER) - 86400000 "
    "AND CAST((julianday(f.received_at) - 2440587.5) * 86400000.0 AS INTEGER) + 60000 AND t.answer_id = f.answer_id";

// One prepared INSERT, kept by the writer for the whole run.
class turn_inserter {
 public:
  explicit turn_inserter(const database& db);
  void insert(const turn_row& t);

 private:
  statement insert_;
};

// Deletes the turns, feedback and finished hand-offs older than cutoff_ms, and sessions idle
// since before session_cutoff_ms, a few thousand rows per transaction so that the writer never
// holds the file for long. Returns the number of rows deleted.
long long purge_older_than(database& db, long long cutoff_ms, long long session_cutoff_ms);

// The turns of one conversation, oldest first; its id must begin with its time, as
// web::new_conversation_id makes them ("c-<ms in hex>-<random>").
std::vector<logged_turn> conversation_turns(const database& db, std::string_view conversation);

// Every turn in [from_ms, to_ms), oldest first, handed to each in turn (for the CSV export).
void each_turn(const database& db, long long from_ms, long long to_ms, const std::function<void(const logged_turn&)>& each);

}  // namespace cited::records
