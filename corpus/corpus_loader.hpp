#pragma once
// Loads the corpus folder (sources, facts, lexicon); knowledge_checks.hpp checks what it holds.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge.hpp"
#include "knowledge_checks.hpp"  // validate(): the rules the loaded corpus must keep

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

}  // namespace cited
