#pragma once
// What the knowledge editor needs from outside web/ (which never touches the corpus files or the
// index): the corpus as it is on disk, the validation `cited index` applies, an engine over a
// draft's knowledge, and publishing (the corpus files written, a new index renamed over the
// served one). app/ implements it over corpus/ and index/; the server swaps the index in.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "answer_engine.hpp"
#include "knowledge.hpp"

namespace cited::web {

// One thing wrong with a knowledge base, as the editor shows it next to its field.
struct knowledge_problem {
  std::string fact;      // the fact's id, or empty when the problem is not a fact's
  std::string source;    // the source's id, for a problem of a source
  std::string field;     // answer, questions, citations[0].quote, …; empty when not one field's
  std::string rule;      // which rule: verbatim, whole_sentences, numbers_quoted, … (corpus/knowledge_checks.hpp)
  std::string severity = "required";  // required (publishing is refused) or advice
  std::string message;   // in plain words
};

struct corpus_state {
  std::shared_ptr<const knowledge_base> knowledge;
  std::string version;  // knowledge_version(*knowledge)
};

class knowledge_backend {
 public:
  virtual ~knowledge_backend() = default;

  // The corpus as it is on disk now. Throws when it cannot be read.
  virtual corpus_state corpus() = 0;
  // Every problem of kb by the rules `cited index` applies: the required ones make it refuse kb,
  // the advice is said. Empty when all is well.
  virtual std::vector<knowledge_problem> validate(const knowledge_base& kb) = 0;
  // An engine over kb (its index built into a scratch file, removed when the engine goes).
  virtual std::shared_ptr<answer_engine> engine_for(const knowledge_base& kb) = 0;
  // Writes kb as the corpus (the source of truth on disk) and builds the served index from it,
  // renamed over the old one only once complete; the caller then swaps it in. Throws on failure
  // (then neither the corpus nor the index has changed, or the corpus is put back).
  virtual void publish(const knowledge_base& kb) = 0;
  // The readable text of an uploaded page (.txt, .md or .html, by name), its title found in it
  // when there is one. Throws std::invalid_argument for a kind it cannot read.
  virtual source_document import_source(std::string_view file_name, std::string_view content) = 0;
};

}  // namespace cited::web
