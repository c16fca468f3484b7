#include "protocol.hpp"

#include <nlohmann/json.hpp>

#include "utf8.hpp"

namespace cited::web {

using nlohmann::json;

std::string_view to_string(wire_error e) {
  switch (e) {
    case wire_error::bad_json: return "bad_json";
    case wire_error::bad_request: return "bad_request";
    case wire_error::too_large: return "too_large";
    case wire_error::bad_utf8: return "bad_utf8";
    case wire_error::rate_limited: return "rate_limited";
    case wire_error::internal: return "internal";
    case wire_error::not_found: return "not_found";
    case wire_error::method_not_allowed: return "method_not_allowed";
    case wire_error::not_implemented: return "not_implemented";
    case wire_error::forbidden: return "forbidden";
    case wire_error::unavailable: return "unavailable";
  }
  return "internal";
}

namespace {

// Everything we send is built from text that is valid UTF-8, but a dump must never throw in a
// network handler, so ill-formed bytes would be replaced rather than fail.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

rejected_message reject(std::optional<std::string> id, wire_error code, std::string message) {
  return {std::move(id), code, std::move(message)};
}

}  // namespace

client_message parse_client_message(std::string_view frame, const message_limits& limits) {
  const json j = json::parse(frame, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return reject(std::nullopt, wire_error::bad_json, "the message is not valid JSON");
  if (!j.is_object()) return reject(std::nullopt, wire_error::bad_request, "the message must be a JSON object");

  // The id is echoed on whatever comes back, errors included, so read it before anything else.
  std::optional<std::string> id;
  if (const auto it = j.find("id"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) return reject(std::nullopt, wire_error::bad_request, "\"id\" must be a string");
    if (it->get_ref<const std::string&>().size() > limits.max_id_bytes)
      return reject(std::nullopt, wire_error::too_large, "\"id\" is too long");
    id = it->get<std::string>();
  }

  const auto type = j.find("type");
  if (type == j.end() || !type->is_string())
    return reject(id, wire_error::bad_request, "\"type\" is missing: it must be \"ask\", \"feedback\" or \"reset\"");
  const auto& kind = type->get_ref<const std::string&>();

  if (kind == "ask") {
    const auto text = j.find("text");
    if (text == j.end() || !text->is_string()) return reject(id, wire_error::bad_request, "\"text\" must be a string");
    const auto& t = text->get_ref<const std::string&>();
    if (t.find_first_not_of(" \t\r\n") == std::string::npos) return reject(id, wire_error::bad_request, "\"text\" is empty");
    if (utf8_length(t) > limits.max_question_chars)
      return reject(id, wire_error::too_large,
                    "the question is longer than " + std::to_string(limits.max_question_chars) + " characters");
    return ask_message{std::move(id), t};
  }
  if (kind == "feedback") {
    const auto answer_id = j.find("answer_id");
    if (answer_id == j.end() || !answer_id->is_string() || answer_id->get_ref<const std::string&>().empty())
      return reject(id, wire_error::bad_request, "\"answer_id\" must be a non-empty string");
    if (answer_id->get_ref<const std::string&>().size() > limits.max_id_bytes)
      return reject(id, wire_error::too_large, "\"answer_id\" is too long");
    const auto helpful = j.find("helpful");
    if (helpful == j.end() || !helpful->is_boolean()) return reject(id, wire_error::bad_request, "\"helpful\" must be true or false");
    feedback f;
    f.answer_id = answer_id->get<std::string>();
    f.helpful = helpful->get<bool>();
    if (const auto comment = j.find("comment"); comment != j.end() && !comment->is_null()) {
      if (!comment->is_string()) return reject(id, wire_error::bad_request, "\"comment\" must be a string");
      f.comment = comment->get<std::string>();
      if (utf8_length(f.comment) > limits.max_comment_chars)
        return reject(id, wire_error::too_large,
                      "the comment is longer than " + std::to_string(limits.max_comment_chars) + " characters");
    }
    return feedback_message{std::move(id), std::move(f)};
  }
  if (kind == "reset") return reset_message{std::move(id)};
  return reject(id, wire_error::bad_request, "unknown \"type\": it must be \"ask\", \"feedback\" or \"reset\"");
}

std::string error_frame(wire_error code, std::string_view message, const std::optional<std::string>& id) {
  json j;
  j["type"] = "error";
  if (id) j["id"] = *id;
  j["code"] = to_string(code);
  j["message"] = message;
  return dump(j);
}

std::string feedback_saved_frame(std::string_view answer_id, const std::optional<std::string>& id) {
  json j;
  j["type"] = "feedback_saved";
  if (id) j["id"] = *id;
  j["answer_id"] = answer_id;
  return dump(j);
}

std::string reset_done_frame(const std::optional<std::string>& id) {
  json j;
  j["type"] = "reset_done";
  if (id) j["id"] = *id;
  return dump(j);
}

std::string http_error_body(wire_error code, std::string_view message) {
  return dump(json{{"error", {{"code", to_string(code)}, {"message", message}}}});
}

}  // namespace cited::web
