// Fuzzes what the chat does with one WebSocket text message: bytes -> parse_client_message ->
// the action (ask with the connection's conversation, feedback, reset) or an error frame.
// This mirrors websocket_session::handle without a socket (no rate limit, feedback not
// stored); every reply must be one JSON object of a type the contract knows, never a throw.
//
// Input: messages separated by 0xFF (a byte valid UTF-8 never holds), read in order on one
// connection, so follow-ups meet a conversation. Messages that are not valid UTF-8 are skipped:
// the WebSocket layer closes the connection with 1007 before the handler sees them.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include <nlohmann/json.hpp>

#include "answer_engine.hpp"
#include "answer_json.hpp"
#include "fuzz_support.hpp"
#include "protocol.hpp"
#include "server.hpp"
#include "utf8.hpp"

namespace {

using namespace cited;
using namespace cited::web;

struct connection {
  server_limits limits;
  answer_engine engine;
  conversation context;

  connection()
      : engine(fuzz::bundled_index::get().loaded().knowledge, fuzz::bundled_index::get().loaded().words,
               open_retriever(fuzz::bundled_index::get().path())) {}
};

std::optional<std::string> id_of(const client_message& m) {
  return std::visit([](const auto& v) { return v.id; }, m);
}

// The reply websocket_session would send for one text message.
std::string handle(connection& c, std::string_view frame) {
  if (frame.size() > c.limits.max_message_bytes) return error_frame(wire_error::too_large, "too large");
  client_message message = parse_client_message(frame, c.limits.messages);
  return std::visit(
      [&c](auto& m) -> std::string {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, ask_message>) {
          answer a = c.engine.ask(m.text, c.context);
          a.id = m.id;
          return to_json_line(a);
        } else if constexpr (std::is_same_v<T, feedback_message>) {
          return feedback_saved_frame(m.what.answer_id, m.id);
        } else if constexpr (std::is_same_v<T, reset_message>) {
          c.context.clear();
          return reset_done_frame(m.id);
        } else if constexpr (std::is_same_v<T, handoff_message>) {
          // The store's id once the row is committed; any id does for the frame's shape.
          return handoff_saved_frame("h-fuzz", m.id);
        } else {
          return error_frame(m.code, m.message, m.id);
        }
      },
      message);
}

void check_reply(std::string_view frame, const std::string& reply) {
  static const std::set<std::string> types{"answer", "error", "feedback_saved", "handoff_saved", "reset_done"};
  fuzz::check(is_valid_utf8(reply), "the reply is not valid UTF-8", reply);
  fuzz::check(reply.find('\n') == std::string::npos, "the reply is more than one line", reply);
  const auto j = nlohmann::json::parse(reply, nullptr, false);
  fuzz::check(!j.is_discarded() && j.is_object(), "the reply is not a JSON object", reply);
  const auto type = j.find("type");
  fuzz::check(type != j.end() && type->is_string() && types.contains(type->get<std::string>()),
              "the reply has no type the contract knows", reply);
  // The client's id comes back on whatever answers its message, when it could be read.
  const auto sent = parse_client_message(frame, message_limits{});
  if (const auto id = id_of(sent)) {
    fuzz::check(j.contains("id") && j["id"] == *id, "the reply lost the message's id", reply);
  }
  if (*type == "answer") {
    fuzz::check(j.contains("answer_id") && j["answer_id"].is_string(), "an answer without answer_id", reply);
    fuzz::check(j.contains("status") && j["status"].is_string(), "an answer without status", reply);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static connection c;
  c.context.clear();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t start = 0;
  for (int messages = 0; start <= input.size() && messages < 8; ++messages) {
    auto end = input.find('\xff', start);
    if (end == std::string_view::npos) end = input.size();
    const std::string_view frame = input.substr(start, end - start);
    start = end + 1;
    if (!is_valid_utf8(frame)) continue;
    check_reply(frame, handle(c, frame));
  }
  return 0;
}
