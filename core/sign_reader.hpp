#pragma once
// Reads whether a message reports a warning sign now (the lexicon's warning_signs).
//
// A sign is found when every slot of one of its patterns stands in the message within a few
// words of the others ("the redness" ... "is spreading"). A sign found is still no report when
// the words around it say otherwise: a general question ("can it get infected?"), a negation
// ("no pus"), a condition ("if i ever get a fever"), something past and resolved ("had a rash
// last year, totally cleared"), someone else's ("my friend had swollen glands"), a habit ("i
// always get swollen glands when i have a cold"), a mild degree ("slightly raised"), or a
// figure of speech ("the price is bleeding me dry").
#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "knowledge.hpp"

namespace cited {

struct sign_reading {
  bool urgent = false;                // a warning sign reported now
  std::string sign;                   // the sign reported, else the first one read as calm
  std::vector<std::string> symptoms;  // the words naming the sign reported
  std::string calm;                   // why the sign's words were no report, when they were not
};

class sign_reader {
 public:
  // Reads a lexicon phrase as messages are read (folded, chat spellings respelled).
  using folder = std::function<std::vector<std::string>(const std::string&)>;

  sign_reader() = default;
  sign_reader(const warning_sign_list& list, const folder& fold);

  // words: a message's folded words; pauses: for each word, the punctuation before it (see
  // word::pause); missing entries count as none.
  sign_reading read(const std::vector<std::string>& words, const std::vector<std::uint8_t>& pauses) const;

  // Every word the signs and cues are written in: typo correction must know them.
  std::vector<std::string> vocabulary() const;

 private:
  enum class cue : std::uint8_t {
    negation, not_cue, figurative, mild, opener, filler, report_start, preposition, conditional, hypothetical,
    generic_person, modal, hedge, past_time, resolved, other_person, past_verb, habitual, condition, disclaimer,
    elsewhere, clause_word, present_time, right_now, session, someone_elses, own_word, on_scalp, figurative_subject,
    asks_whether, count
  };
  static constexpr std::size_t cue_kinds = static_cast<std::size_t>(cue::count);

  using phrase = std::vector<std::string>;
  struct span {
    std::size_t begin = 0, end = 0;  // words [begin, end)
  };
  struct slot_phrase {
    phrase words;
    std::uint32_t pattern = 0;
    std::uint32_t slot = 0;
  };
  struct pattern_info {
    std::uint32_t sign = 0;
    std::uint32_t slots = 0;
    std::size_t within = 0;
    bool graded = false;  // a mild degree keeps it calm
  };
  struct sign_info {
    std::string name;
    bool local = false;
  };
  struct occurrence {
    std::uint32_t pattern = 0;
    std::uint32_t slot = 0;
    span at;
  };
  struct context;  // a message's sentences, clauses and cues: worked out only when a sign is found

  static bool matches(const std::vector<std::string>& words, std::size_t i, const phrase& p);
  static bool plural_of(const std::string& w, const std::string& written);
  // The phrases whose first word is w, or w's singular when the list names only that.
  template <typename Map>
  static auto starting_with(const Map& by_first, const std::string& w) -> decltype(by_first.end());
  context read_context(const std::vector<std::string>& words, const std::vector<std::uint8_t>& pauses) const;
  // Why the words at match (one span per slot, the head first) are no report, or nullptr.
  const char* calm_reason(const std::vector<span>& match, const pattern_info& pattern, const context& c) const;

  std::vector<sign_info> signs_;
  std::vector<pattern_info> patterns_;
  // Every slot's phrases by first word: one look-up per word finds them all.
  std::unordered_map<std::string, std::vector<slot_phrase>> slots_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> temperature_slots_;  // (pattern, slot) of "#temperature"
  std::unordered_map<std::string, std::vector<std::pair<phrase, cue>>> cues_;
};

}  // namespace cited
