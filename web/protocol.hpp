#pragma once
// The WebSocket messages and the JSON error shapes of the wire contract (../shared/PROTOCOL.md),
// kept free of sockets so that every rule about a message can be tested on its own.
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "feedback.hpp"
#include "handoff_request.hpp"

namespace cited::web {

// The `code` of an error frame or of an HTTP error body.
enum class wire_error {
  bad_json,
  bad_request,
  too_large,
  bad_utf8,
  rate_limited,
  internal,
  // HTTP only:
  not_found,
  method_not_allowed,
  not_implemented,
  forbidden,
  unavailable,
  unauthorized,            // a staff surface without a signed-in session: 401
  unsupported_media_type,  // a POST body that is not application/json: 415
};
inline constexpr std::size_t wire_error_count = 13;
std::string_view to_string(wire_error e);

struct message_limits {
  std::size_t max_question_chars = 4000;   // characters (code points), as the contract counts
  std::size_t max_comment_chars = 1000;
  std::size_t max_id_bytes = 200;
  std::size_t max_name_chars = 100;        // a hand-off's name
};

struct ask_message {
  std::optional<std::string> id;
  std::string text;
};
struct feedback_message {
  std::optional<std::string> id;
  feedback what;
};
struct reset_message {
  std::optional<std::string> id;
};
// {"type":"handoff"}: a patient's question for the clinic's staff (web/handoff.hpp checks it).
struct handoff_message {
  std::optional<std::string> id;
  handoff_request what;
};
// A message that gets an error frame instead of an action.
struct rejected_message {
  std::optional<std::string> id;
  wire_error code;
  std::string message;
};
using client_message = std::variant<ask_message, feedback_message, reset_message, handoff_message, rejected_message>;

// Reads one text frame. The frame is valid UTF-8 already (the WebSocket layer fails the
// connection otherwise); anything else wrong with it becomes a rejected_message.
client_message parse_client_message(std::string_view frame, const message_limits& limits);

namespace detail {
// The full reader (nlohmann's parser) on its own. parse_client_message reads the common asks
// and resets itself and hands everything else to this; the tests hold the two to the same
// result.
client_message parse_client_message_fully(std::string_view frame, const message_limits& limits);
}  // namespace detail

// {"type":"error","id":…,"code":…,"message":…}; id is left out when there is none.
std::string error_frame(wire_error code, std::string_view message, const std::optional<std::string>& id = std::nullopt);
// {"type":"feedback_saved","answer_id":…} (and "id" when the client sent one).
std::string feedback_saved_frame(std::string_view answer_id, const std::optional<std::string>& id);
// {"type":"handoff_saved","handoff_id":…} (and "id" when the client sent one).
std::string handoff_saved_frame(std::string_view handoff_id, const std::optional<std::string>& id);
// {"type":"reset_done"} (and "id" when the client sent one).
std::string reset_done_frame(const std::optional<std::string>& id);

// Thrown by a service (the reply hook) for input it refuses: the client gets code and message
// with the status that goes with code, instead of a 500.
class request_error : public std::runtime_error {
 public:
  request_error(wire_error code, const std::string& message) : std::runtime_error(message), code_(code) {}
  wire_error code() const { return code_; }

 private:
  wire_error code_;
};

// {"error":{"code":…,"message":…}}, the body of every HTTP error.
std::string http_error_body(wire_error code, std::string_view message);

}  // namespace cited::web
