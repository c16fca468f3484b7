#include "conversation.hpp"

#include <algorithm>

namespace cited {

void conversation::remember(turn t) {
  // A turn's groups are already capped by the analyser; only the count of turns needs bounding.
  turns_.push_back(std::move(t));
  while (turns_.size() > max_turns) turns_.pop_front();
}

const turn* conversation::last_answered() const {
  const auto it = std::find_if(turns_.rbegin(), turns_.rend(), [](const turn& t) { return t.fact.has_value() || t.told; });
  return it == turns_.rend() ? nullptr : &*it;
}

}  // namespace cited
