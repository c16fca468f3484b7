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
    case wire_error::unsupported_media_type: return "unsupported_media_type";
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

// The checks on an ask's text, shared by both readers so that they cannot drift apart.
client_message ask_or_reject(std::optional<std::string> id, std::string text, const message_limits& limits) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return reject(id, wire_error::bad_request, "\"text\" is empty");
  if (utf8_length(text) > limits.max_question_chars)
    return reject(id, wire_error::too_large,
                  "the question is longer than " + std::to_string(limits.max_question_chars) + " characters");
  return ask_message{std::move(id), std::move(text)};
}

// The quick reader for the messages a chat sends all the time: one JSON object whose members
// are only "type", "id" and "text", each once, each a string, with "type" "ask" or "reset".
// Anything else, and anything it is not sure of (a \u escape, a control character, a
// duplicate or unknown key, bytes after the object), makes it give up (nullopt), and the full
// reader below decides: so the two cannot disagree on a message the quick one accepts.
class quick_reader {
 public:
  explicit quick_reader(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  std::optional<client_message> read(const message_limits& limits) {
    skip_space();
    if (!take('{')) return std::nullopt;
    std::optional<std::string> type, id, text;
    skip_space();
    if (!take('}')) {
      for (;;) {
        skip_space();
        std::string_view key;
        if (!plain_key(key)) return std::nullopt;
        skip_space();
        if (!take(':')) return std::nullopt;
        skip_space();
        std::optional<std::string>* slot = key == "type" ? &type : key == "id" ? &id : key == "text" ? &text : nullptr;
        if (!slot || *slot) return std::nullopt;  // unknown or repeated
        slot->emplace();
        if (!string_value(**slot)) return std::nullopt;
        skip_space();
        if (take(',')) continue;
        if (take('}')) break;
        return std::nullopt;
      }
    }
    skip_space();
    if (p_ != end_ || !type) return std::nullopt;
    if (id && id->size() > limits.max_id_bytes) return std::nullopt;  // the full reader words it
    if (*type == "ask" && text) return ask_or_reject(std::move(id), std::move(*text), limits);
    if (*type == "reset" && !text) return reset_message{std::move(id)};
    return std::nullopt;
  }

 private:
  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool take(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  // A key of plain characters: no escapes, no control characters.
  bool plain_key(std::string_view& key) {
    if (!take('"')) return false;
    const char* start = p_;
    while (p_ != end_ && *p_ != '"') {
      if (*p_ == '\\' || static_cast<unsigned char>(*p_) < 0x20) return false;
      ++p_;
    }
    if (p_ == end_) return false;
    key = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }
  // A string with the escapes other than \u decoded; false on anything else.
  bool string_value(std::string& out) {
    if (!take('"')) return false;
    for (;;) {
      const char* run = p_;
      while (p_ != end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20) ++p_;
      out.append(run, static_cast<std::size_t>(p_ - run));
      if (p_ == end_ || static_cast<unsigned char>(*p_) < 0x20) return false;
      if (*p_++ == '"') return true;
      if (p_ == end_) return false;
      switch (*p_++) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        default: return false;  // \u (surrogate pairs and all) is the full reader's
      }
    }
  }

  const char* p_;
  const char* end_;
};

}  // namespace

client_message parse_client_message(std::string_view frame, const message_limits& limits) {
  // The frame is valid UTF-8 when it comes from the WebSocket layer; anything else goes to the
  // full reader, which says bad_json as it always has.
  if (is_valid_utf8(frame))
    if (auto quick = quick_reader(frame).read(limits)) return std::move(*quick);
  return detail::parse_client_message_fully(frame, limits);
}

namespace detail {

client_message parse_client_message_fully(std::string_view frame, const message_limits& limits) {
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
    return ask_or_reject(std::move(id), text->get<std::string>(), limits);
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

}  // namespace detail

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
