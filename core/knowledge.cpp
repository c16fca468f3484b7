#include "knowledge.hpp"

#include <algorithm>

namespace cited {

const source_document* knowledge_base::find_source(std::string_view id) const {
  auto it = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.id == id; });
  return it == sources.end() ? nullptr : &*it;
}

const fact* knowledge_base::find_fact(std::string_view id) const {
  auto it = std::find_if(facts.begin(), facts.end(), [&](const auto& f) { return f.id == id; });
  return it == facts.end() ? nullptr : &*it;
}

}  // namespace cited
