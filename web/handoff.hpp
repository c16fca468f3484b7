#pragma once
// Storing a patient's hand-off, shared by the WebSocket's {"type":"handoff"} and
// POST /api/handoff: the request, the conversation so far, through the records writer; the
// caller hears back once the row is committed (and only then tells the patient "sent").
#include <cstddef>
#include <vector>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "handoff_request.hpp"
#include "server_state.hpp"

namespace cited::web {

// The turns a WebSocket conversation keeps for a hand-off: what the patient asked and the
// answer object they got, the newest last, at most max_turns.
class transcript {
 public:
  explicit transcript(std::size_t max_turns) : max_turns_(max_turns) {}
  void add(std::string_view question, std::string answer_json);
  void clear() { turns_.clear(); }
  // [{"question": …, "answer": {…}}, …]
  std::string to_json() const;

 private:
  struct turn {
    std::string question;
    std::string answer_json;
  };
  std::size_t max_turns_;
  // A vector, not a deque: an idle connection's empty vector allocates nothing (a deque
  // allocates at once), and a few turns are cheap to shift.
  std::vector<turn> turns_;
};

// Called on the records writer's thread: the new hand-off's id, or why it failed.
using handoff_done = std::function<void(std::optional<std::string> handoff_id, std::optional<std::string> failure)>;

// Whether this server takes hand-offs (a records store, and no --no-handoff).
bool handoffs_enabled(const server_state& state);

// Queues the hand-off; done is called once it is committed or has failed. client_id (the
// message's id) makes a resend of the same message give the same hand-off.
void save_handoff(server_state& state, handoff_request request, const std::optional<std::string>& client_id,
                  std::string transcript_json, std::optional<std::string> conversation, std::string_view via,
                  std::uint64_t connection, handoff_done done);

// An id for a conversation in the log: when it began and 64 random bits, nothing to do with the
// connection or its address.
std::string new_conversation_id();

}  // namespace cited::web
