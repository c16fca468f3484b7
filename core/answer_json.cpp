#include "answer_json.hpp"

#include "utf8.hpp"

namespace cited {
namespace {

void append_strings(std::string& out, const std::vector<std::string>& list) {
  out += '[';
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, list[i]);
  }
  out += ']';
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  if (!is_valid_utf8(s)) return append_json_string(out, sanitize_utf8(s));
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  // Plain stretches are copied whole; only quotes, backslashes and control characters are escaped.
  std::size_t plain = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[(c >> 4) & 0xF];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

std::string_view to_string(answer_status s) {
  switch (s) {
    case answer_status::answered: return "answered";
    case answer_status::no_answer: return "no_answer";
    case answer_status::urgent: return "urgent";
    case answer_status::smalltalk: return "smalltalk";
  }
  return "no_answer";
}

nlohmann::json to_json(const answer& a) {
  nlohmann::json j;
  j["type"] = "answer";
  if (a.id) j["id"] = *a.id;
  j["answer_id"] = a.answer_id;
  j["status"] = to_string(a.status);
  j["text"] = a.text;
  auto& cites = j["citations"] = nlohmann::json::array();
  for (const auto& c : a.citations)
    cites.push_back({{"n", c.n}, {"source", c.source}, {"title", c.title}, {"quote", c.quote}});
  j["topic"] = a.topic ? nlohmann::json(*a.topic) : nlohmann::json(nullptr);
  j["conflict"] = a.conflict;
  j["suggestions"] = a.suggestions;
  j["facts"] = a.facts;
  return j;
}

// Written directly rather than through to_json(): it is on every answer's path, and building
// the tree costs more than writing the line. Keys in to_json()'s (sorted) order, so that the
// two give the same bytes; tests/core compares them.
std::string to_json_line(const answer& a) {
  std::string out;
  out.reserve(256 + a.text.size() + 320 * a.citations.size());
  out += "{\"answer_id\":";
  append_json_string(out, a.answer_id);
  out += ",\"citations\":[";
  for (std::size_t i = 0; i < a.citations.size(); ++i) {
    const auto& c = a.citations[i];
    if (i) out += ',';
    out += "{\"n\":" + std::to_string(c.n) + ",\"quote\":";
    append_json_string(out, c.quote);
    out += ",\"source\":";
    append_json_string(out, c.source);
    out += ",\"title\":";
    append_json_string(out, c.title);
    out += '}';
  }
  out += "],\"conflict\":";
  out += a.conflict ? "true" : "false";
  out += ",\"facts\":";
  append_strings(out, a.facts);
  if (a.id) {
    out += ",\"id\":";
    append_json_string(out, *a.id);
  }
  out += ",\"status\":";
  append_json_string(out, to_string(a.status));
  out += ",\"suggestions\":";
  append_strings(out, a.suggestions);
  out += ",\"text\":";
  append_json_string(out, a.text);
  out += ",\"topic\":";
  if (a.topic) append_json_string(out, *a.topic);
  else out += "null";
  out += ",\"type\":\"answer\"}";
  return out;
}

}  // namespace cited
