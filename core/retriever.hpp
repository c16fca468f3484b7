#pragma once
// What the answer engine needs from a search index. core/ defines it; index/ implements it
// with SQLite FTS5, so the domain never sees SQL.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "question_analyser.hpp"

namespace cited {

struct search_hit {
  std::size_t fact = 0;          // index into knowledge_base::facts
  double relevance = 0;          // larger is better (BM25 over the fact's columns)
  std::uint64_t matched = 0;           // bit i set: groups[i] occurs in the fact
  std::uint64_t matched_in_point = 0;  // ... in the fact's phrasings or answer, not only its quotes
};

class retriever {
 public:
  virtual ~retriever() = default;
  // The best facts for these term groups, best first; at most 64 groups are considered.
  virtual std::vector<search_hit> search(const std::vector<term_group>& groups, std::size_t limit) = 0;
};

}  // namespace cited
