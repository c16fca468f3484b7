#include "conversation.hpp"

namespace cited {

void conversation::remember(turn t) {
  // A turn's groups are already capped by the analyser; only the count of turns needs bounding.
  turns_.push_back(std::move(t));
  while (turns_.size() > max_turns) turns_.pop_front();
}

const turn* conversation::last_answered() const {
  for (auto it = turns_.rbegin(); it != turns_.rend(); ++it)
    if (it->fact) return &*it;
  return nullptr;
}

}  // namespace cited
