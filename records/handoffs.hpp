#pragma once
// Hand-offs: a patient's question passed to the clinic's staff, with a way to reach them and
// the conversation so far. Staff mark each one replied or closed; who did it and when is kept.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite.hpp"

namespace cited::records {

enum class handoff_status { fresh, replied, closed };
std::string_view to_string(handoff_status s);  // "new", "replied", "closed"
std::optional<handoff_status> handoff_status_from(std::string_view s);

struct new_handoff {
  std::optional<std::string> name;
  std::string contact;
  std::string contact_kind;             // "email" or "phone"
  std::string question;
  std::string transcript_json = "[]";   // [{"question": …, "answer": {answer object}}, …]
  std::optional<std::string> conversation;
  std::string via;                      // "ws" or "http"
  // Set when the client named its message: the same message sent twice (a resend after a lost
  // acknowledgement) gives the same hand-off, not two.
  std::optional<std::string> dedupe_key;
};

struct handoff_record {
  std::string handoff_id;
  long long created_at = 0;
  std::optional<std::string> name;
  std::string contact;
  std::string contact_kind;
  std::string question;
  handoff_status status = handoff_status::fresh;
  std::optional<std::string> status_by;
  std::optional<long long> status_at;
  // Only filled by find_handoff:
  std::string transcript_json;
  std::optional<std::string> conversation;
  std::string via;
};

// Stores h and returns its id (random, not a count), or the id it already has when its
// dedupe_key was stored before.
std::string insert_handoff(database& db, const new_handoff& h, long long now_ms);

// Newest first; all statuses when status is empty.
std::vector<handoff_record> list_handoffs(const database& db, std::optional<handoff_status> status, std::size_t limit);
std::optional<handoff_record> find_handoff(const database& db, std::string_view handoff_id);
// False when there is no such hand-off.
bool set_handoff_status(database& db, std::string_view handoff_id, handoff_status status, std::string_view by,
                        long long now_ms);
// How many hand-offs have each status: new, replied, closed.
std::vector<std::pair<std::string, long long>> count_handoffs(const database& db);

}  // namespace cited::records
