#include "question_intent.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace cited {
namespace {

constexpr std::array<std::string_view, intent_count> names{"count",  "duration", "comparison", "suitability", "exclusion",
                                                           "safety", "removal",  "appearance", "cost",       "cause"};

}  // namespace

std::optional<intent> intent_named(std::string_view name) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<intent>(i);
  return std::nullopt;
}

std::string_view name_of(intent i) { return names[static_cast<std::size_t>(i)]; }

intent_reader::intent_reader(const std::map<std::string, std::vector<std::vector<std::string>>>& cues) {
  for (const auto& [name, phrases] : cues) {
    const auto asks = intent_named(name);
    if (!asks) throw std::invalid_argument("unknown intent \"" + name + "\"");
    for (const auto& p : phrases) {
      if (p.size() > 1 && p.front() == "!") not_by_first_[p[1]].push_back({{p.begin() + 1, p.end()}, *asks});
      else if (!p.empty() && p.front() != "!") by_first_[p.front()].push_back({p, *asks});
    }
  }
}

intent_set intent_reader::read(const std::vector<std::string>& words, std::vector<bool>* asked_by) const {
  intent_set found = 0;
  if (asked_by) asked_by->assign(words.size(), false);
  auto stands_at = [&](const cue& c, std::size_t i) {
    return i + c.words.size() <= words.size() && std::equal(c.words.begin(), c.words.end(), words.begin() + static_cast<std::ptrdiff_t>(i));
  };
  // A denying cue that overlaps a cue of its intent cancels it: "how long does it take to fade"
  // asks when something happens, not how long the procedure takes.
  std::vector<std::pair<std::size_t, const cue*>> denials;
  for (std::size_t i = 0; i < words.size(); ++i)
    if (auto it = not_by_first_.find(words[i]); it != not_by_first_.end())
      for (const auto& n : it->second)
        if (stands_at(n, i)) denials.emplace_back(i, &n);
  auto denied = [&](const cue& c, std::size_t i) {
    return std::any_of(denials.begin(), denials.end(), [&](const auto& d) {
      return d.second->asks == c.asks && d.first < i + c.words.size() && i < d.first + d.second->words.size();
    });
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = by_first_.find(words[i]);
    if (it == by_first_.end()) continue;
    for (const auto& c : it->second)
      if (stands_at(c, i) && !denied(c, i)) {
        found |= bit(c.asks);
        if (asked_by) std::fill_n(asked_by->begin() + static_cast<std::ptrdiff_t>(i), c.words.size(), true);
      }
  }
  if (found & bit(intent::exclusion)) found &= static_cast<intent_set>(~bit(intent::suitability));
  return found;
}

}  // namespace cited
