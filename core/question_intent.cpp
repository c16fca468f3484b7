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
    for (const auto& p : phrases)
      if (!p.empty()) by_first_[p.front()].push_back({p, *asks});
  }
}

intent_set intent_reader::read(const std::vector<std::string>& words, std::vector<bool>* asked_by) const {
  intent_set found = 0;
  if (asked_by) asked_by->assign(words.size(), false);
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = by_first_.find(words[i]);
    if (it == by_first_.end()) continue;
    for (const auto& c : it->second)
      if (i + c.words.size() <= words.size() &&
          std::equal(c.words.begin(), c.words.end(), words.begin() + static_cast<std::ptrdiff_t>(i))) {
        found |= bit(c.asks);
        if (asked_by) std::fill_n(asked_by->begin() + static_cast<std::ptrdiff_t>(i), c.words.size(), true);
      }
  }
  if (found & bit(intent::exclusion)) found &= static_cast<intent_set>(~bit(intent::suitability));
  return found;
}

}  // namespace cited
