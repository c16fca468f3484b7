#pragma once
// Loads the corpus folder (sources, facts, lexicon) and checks that every claim is sourced.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
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

// Where, under the corpus folder, the clinic's own pages are: their sources are marked clinic.
inline const std::filesystem::path clinic_sources_folder = std::filesystem::path("sources") / "clinic";

// Reads dir/sources/*.txt, dir/sources/clinic/*.txt, dir/facts/*.json and dir/lexicon.json.
// Throws corpus_error when a file is missing or malformed.
knowledge_base load_corpus(const std::filesystem::path& dir);

// One source file: line 1 the title, a blank line, the text (its id is the file's stem).
// Throws corpus_error when the file cannot be read or has no title.
source_document parse_source(const std::filesystem::path& path);
// The source a file of that text holds, read as parse_source reads it.
source_document source_from_text(std::string id, std::string_view file_text);

// Every problem that makes the knowledge base untrustworthy, each naming its fact: quotes not
// verbatim in their source, missing citations or sources, repeated ids, [n] markers without a
// citation, numbers the quotes do not state. Empty when all is well.
std::vector<std::string> validate(const knowledge_base& kb);

}  // namespace cited
