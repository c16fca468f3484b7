#pragma once
// What a connection remembers of its conversation, so follow-ups ("and does it hurt?") are
// read in context. Bounded: only the last few turns are kept.
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "question_analyser.hpp"

namespace cited {

struct turn {
  std::vector<term_group> groups;     // the question's content
  std::optional<std::string> fact;    // the fact that answered it
  std::optional<std::string> topic;
  // What the patient said around a question ("if I expose the scar to the sun, will it fade?"):
  // like an answered turn, it steers the choice between facts without counting as asked.
  bool told = false;
};

class conversation {
 public:
  static constexpr std::size_t max_turns = 4;

  void remember(turn t);
  void clear() { turns_.clear(); }
  bool empty() const { return turns_.empty(); }
  // The latest turn that was answered from a fact, or told by the patient, if any.
  const turn* last_answered() const;
  const std::deque<turn>& turns() const { return turns_; }

 private:
  std::deque<turn> turns_;
};

}  // namespace cited
