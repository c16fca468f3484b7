#include "answer_json.hpp"

namespace cited {

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

std::string to_json_line(const answer& a) {
  return to_json(a).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace cited
