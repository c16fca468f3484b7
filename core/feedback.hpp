#pragma once
// A patient's thumbs up or down on an answer. core/ defines where it goes; index/ stores it.
#include <string>

namespace cited {

struct feedback {
  std::string answer_id;
  bool helpful = false;
  std::string comment;   // optional; may hold whatever the patient typed
};

class feedback_sink {
 public:
  virtual ~feedback_sink() = default;
  // Returns only once the feedback is durably stored; throws std::runtime_error when it cannot
  // be (read-only store, disk full).
  virtual void save(const feedback& f) = 0;
};

}  // namespace cited
