#pragma once
// What kind of answer a question asks for, whatever it is about: how many, how long it takes, a
// comparison, who it suits, who it does not, whether it is safe, taking it off again, how it
// looks, what it costs, what it depends on or why. These are read from the words stop-word removal drops ("how many",
// "who can't", "the same as"), so a fact that shares the question's topic but answers another
// kind of question ("a strip of skin was removed" for "can SMP be removed?") is told apart.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cited {

// A closed set: the lexicon names cues for these, and nothing else.
enum class intent : std::uint8_t { count, duration, comparison, suitability, exclusion, safety, removal, appearance, cost, cause };
inline constexpr int intent_count = 10;
using intent_set = std::uint16_t;

constexpr intent_set bit(intent i) { return static_cast<intent_set>(1u << static_cast<unsigned>(i)); }
std::optional<intent> intent_named(std::string_view name);
std::string_view name_of(intent i);

class intent_reader {
 public:
  // cues: an intent's name -> phrases that ask it, each already split into folded words.
  // Throws std::invalid_argument for a name outside the closed set.
  intent_reader() = default;
  explicit intent_reader(const std::map<std::string, std::vector<std::vector<std::string>>>& cues);

  // The intents words ask. "Who can't" asks exclusion, not suitability as well.
  // With asked_by, also marks each word that belongs to a cue, which is the question's form.
  intent_set read(const std::vector<std::string>& words, std::vector<bool>* asked_by = nullptr) const;

 private:
  struct cue {
    std::vector<std::string> words;
    intent asks;
  };
  std::unordered_map<std::string, std::vector<cue>> by_first_;
  std::unordered_map<std::string, std::vector<cue>> not_by_first_;  // cues that deny their intent where they stand
};

}  // namespace cited
