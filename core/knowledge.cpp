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

std::vector<const fact*> knowledge_base::facts_citing(std::string_view source_id) const {
  std::vector<const fact*> out;
  for (const auto& f : facts)
    if (std::any_of(f.citations.begin(), f.citations.end(), [&](const citation& c) { return c.source == source_id; }))
      out.push_back(&f);
  return out;
}

}  // namespace cited
