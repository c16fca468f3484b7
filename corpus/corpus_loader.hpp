#pragma once
// Loads the corpus folder (sources, facts, lexicon) and checks that every claim is sourced.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "knowledge.hpp"
#include "verbatim.hpp"

namespace cited {

// The corpus could not be read or does not hold together; what() names every problem.
class corpus_error : public std::runtime_error {
 public:
  explicit corpus_error(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Reads dir/sources/*.txt, dir/facts/*.json and dir/lexicon.json. Throws corpus_error when a
// file is missing or malformed.
knowledge_base load_corpus(const std::filesystem::path& dir);

// Every problem that makes the knowledge base untrustworthy, each naming its fact: quotes not
// verbatim in their source, missing citations or sources, repeated ids, [n] markers without a
// citation, numbers the quotes do not state. Empty when all is well.
std::vector<std::string> validate(const knowledge_base& kb);

}  // namespace cited
