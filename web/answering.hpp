#pragma once
// Answering one question on the calling I/O thread, shared by the WebSocket and POST /api/ask:
// the engine, the latency histogram and the answer's line in the access log.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "conversation.hpp"
#include "server_state.hpp"

namespace cited::web {

struct answered {
  std::string json;         // the answer object, one line
  answer_status status;
  std::string answer_id;    // what feedback on it names
};

// Answers text with this thread's engine (in context when context is given), counts it and
// logs it with the question redacted: in the access log, and as a turn of conversation_id in
// the conversation log (records/), when the server keeps one (an empty id: a conversation of
// its own). Throws what the engine throws.
answered answer_question(server_state& state, std::string_view text, conversation* context,
                         const std::optional<std::string>& id, std::uint64_t connection, std::string_view via,
                         std::string_view conversation_id = {});

}  // namespace cited::web
