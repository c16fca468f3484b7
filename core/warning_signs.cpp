#include "warning_signs.hpp"

#include <algorithm>

namespace cited {
namespace {

constexpr std::size_t max_window = 40;
constexpr std::size_t max_slots = 8;

std::vector<std::string> split_alternatives(const std::string& slot) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at <= slot.size();) {
    const std::size_t bar = std::min(slot.find('|', at), slot.size());
    out.push_back(slot.substr(at, bar - at));
    at = bar + 1;
  }
  return out;
}

std::string join_alternatives(const std::vector<std::string>& alternatives) {
  std::string out;
  for (const auto& a : alternatives) {
    if (!out.empty()) out += '|';
    out += a;
  }
  return out;
}

sign_pattern pattern_from_json(const nlohmann::json& j) {
  sign_pattern p;
  const nlohmann::json& slots = j.is_object() ? j.at("slots") : j;
  for (const auto& slot : slots) p.slots.push_back(split_alternatives(slot.get<std::string>()));
  if (j.is_object()) {
    p.within = j.value("within", std::size_t{0});
    p.graded = j.value("graded", false);
  }
  return p;
}

}  // namespace

const std::vector<std::string>& calm_cue_kinds() {
  static const std::vector<std::string> kinds{
      "negations", "not_cues",   "figurative", "mild",      "openers",  "fillers",   "report_starts",
      "prepositions", "conditionals", "hypothetical", "generic_people", "modals", "hedges", "past_times",
      "resolved",  "others",     "past_verbs", "habitual",  "conditions", "disclaimers", "elsewhere", "clause_words", "present_times", "right_now",
      "sessions",  "someone_elses", "own_words", "on_the_scalp", "figurative_subjects", "asks_whether"};
  return kinds;
}

warning_sign_list warning_signs_from_json(const nlohmann::json& j) {
  warning_sign_list list;
  list.source = j.value("source", std::string{});
  list.window = j.value("window", std::size_t{12});
  if (j.contains("sets"))
    for (const auto& [name, values] : j.at("sets").items()) list.sets[name] = values.get<std::vector<std::string>>();
  if (j.contains("signs")) {
    for (const auto& s : j.at("signs")) {
      warning_sign sign;
      sign.name = s.at("sign").get<std::string>();
      sign.source = s.value("source", std::string{});
      sign.local = s.value("local", false);
      for (const auto& p : s.at("patterns")) sign.patterns.push_back(pattern_from_json(p));
      if (s.contains("facts")) sign.facts = s.at("facts").get<std::vector<std::string>>();
      list.signs.push_back(std::move(sign));
    }
  }
  if (j.contains("calm"))
    for (const auto& [kind, values] : j.at("calm").items()) list.calm[kind] = values.get<std::vector<std::string>>();
  return list;
}

nlohmann::json to_json(const warning_sign_list& list) {
  nlohmann::json j;
  j["source"] = list.source;
  j["window"] = list.window;
  j["sets"] = list.sets;
  auto& signs = j["signs"] = nlohmann::json::array();
  for (const auto& s : list.signs) {
    nlohmann::json sign{{"sign", s.name}, {"source", s.source}, {"local", s.local}, {"patterns", nlohmann::json::array()}, {"facts", s.facts}};
    for (const auto& p : s.patterns) {
      nlohmann::json slots = nlohmann::json::array();
      for (const auto& slot : p.slots) slots.push_back(join_alternatives(slot));
      if (!p.within && !p.graded) {
        sign["patterns"].push_back(slots);
        continue;
      }
      nlohmann::json pattern{{"slots", slots}};
      if (p.within) pattern["within"] = p.within;
      if (p.graded) pattern["graded"] = true;
      sign["patterns"].push_back(pattern);
    }
    signs.push_back(std::move(sign));
  }
  j["calm"] = list.calm;
  return j;
}

std::vector<std::string> check(const warning_sign_list& list) {
  std::vector<std::string> problems;
  auto problem = [&](const std::string& what) { problems.push_back("warning_signs: " + what); };
  if (list.window == 0 || list.window > max_window) problem("window must be 1 to " + std::to_string(max_window));
  if (list.signs.empty()) problem("no signs: no message could ever be urgent");
  for (const auto& [kind, phrases] : list.calm) {
    const auto& kinds = calm_cue_kinds();
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) problem(std::string("calm has an unknown kind \"").append(kind).append("\""));
  }
  for (const auto& s : list.signs) {
    const std::string name = "sign " + (s.name.empty() ? std::string("(no name)") : s.name);
    if (s.name.empty()) problem(name + " has no name");
    if (s.patterns.empty()) problem(name + " has no patterns");
    for (std::size_t i = 0; i < s.patterns.size(); ++i) {
      const auto& p = s.patterns[i];
      const std::string where = name + " pattern #" + std::to_string(i + 1);
      if (p.slots.empty() || p.slots.size() > max_slots) problem(where + " must have 1 to " + std::to_string(max_slots) + " slots");
      if (p.within > max_window) problem(where + ": within must be at most " + std::to_string(max_window));
      for (const auto& slot : p.slots) {
        for (const auto& alternative : slot) {
          if (alternative.empty()) problem(where + " has an empty alternative");
          else if (alternative.front() == '@' && !list.sets.contains(alternative.substr(1)))
            problem(std::string(where).append(" names a set \"").append(alternative, 1).append("\" that is not defined"));
          else if (alternative.front() == '#' && alternative != "#temperature")
            problem(std::string(where).append(" names an unknown value \"").append(alternative).append("\" (only #temperature)"));
        }
      }
    }
  }
  return problems;
}

}  // namespace cited
