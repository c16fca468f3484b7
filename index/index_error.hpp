#pragma once
#include <stdexcept>

namespace cited {

// The index is missing, corrupt, from another schema, or SQLite failed. Its message is for
// logs and operators, never for patients.
class index_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace cited
