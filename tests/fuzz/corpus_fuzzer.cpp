// Fuzzes the corpus loader and validator: the input becomes one file of a small, otherwise
// valid corpus in a scratch folder; load_corpus may only throw corpus_error, validate never
// throws, and a lexicon that loads must give a question_analyser that can read questions.
//
// Input: the first byte picks the file (facts/f.json, lexicon.json, sources/s.txt,
// common_words.txt); the rest is its content.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <unistd.h>

#include "corpus_loader.hpp"
#include "fuzz_support.hpp"
#include "question_analyser.hpp"
#include "text_normaliser.hpp"
#include "vocabulary.hpp"

namespace {

using namespace cited;
namespace fs = std::filesystem;

constexpr std::string_view source_text =
    "A small source\n\nScalp micropigmentation costs between $500 and $3000 per session. "
    "Most people need two or three sessions.\n";

constexpr std::string_view facts_json = R"([{
  "id": "cost", "topic": "cost", "questions": ["how much is it?", "price?"],
  "answer": "It costs $500 to $3000 a session [1].",
  "citations": [{"source": "s", "quote": "Scalp micropigmentation costs between $500 and $3000 per session."}],
  "related": []
}])";

constexpr std::string_view lexicon_json = R"({
  "respellings": {"u": "you"},
  "synonyms": {"price": ["cost"], "how much": ["cost"]},
  "stop_words": ["is", "it"],
  "warning_signs": {"signs": [{"sign": "infection", "patterns": [["pus"], ["yellow|green", "stuff"]]}],
                    "calm": {"openers": ["can"], "negations": ["no"]}},
  "greetings": ["hi"], "thanks": ["thanks"], "goodbyes": ["bye"],
  "identity_questions": ["who are you"], "follow_up_markers": ["and"], "joiners": ["also"],
  "starter_facts": ["cost"],
  "replies": {"no_answer": "n", "urgent": "u", "greeting": "g", "thanks": "t", "goodbye": "b", "identity": "i"}
})";

constexpr std::string_view common_words = "# everyday words\nthe\nkeep\n";

void write(const fs::path& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) cited::fuzz::fail("cannot write the scratch corpus", path.string());
}

class scratch_corpus {
 public:
  scratch_corpus() : dir_(fs::temp_directory_path() / ("cited-fuzz-corpus-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_ / "sources");
    fs::create_directories(dir_ / "facts");
  }
  ~scratch_corpus() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  scratch_corpus(const scratch_corpus&) = delete;
  scratch_corpus& operator=(const scratch_corpus&) = delete;

  // Every file valid, then the one chosen replaced by content.
  void fill(unsigned which, std::string_view content) const {
    write(dir_ / "sources" / "s.txt", which == 2 ? content : source_text);
    write(dir_ / "facts" / "f.json", which == 0 ? content : facts_json);
    write(dir_ / "lexicon.json", which == 1 ? content : lexicon_json);
    write(dir_ / "common_words.txt", which == 3 ? content : common_words);
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const scratch_corpus corpus;
  static const text_normaliser normaliser;
  corpus.fill(data[0] % 4, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));

  knowledge_base kb;
  try {
    kb = load_corpus(corpus.dir());
  } catch (const corpus_error& e) {
    fuzz::check(!e.problems().empty(), "a corpus_error that names no problem");
    return 0;
  }
  const auto problems = validate(kb);
  if (!problems.empty()) return 0;

  // What `cited index` would accept: the analyser must be able to read questions with it.
  vocabulary vocab;
  vocab.add("cost", 1);
  vocab.set_total_documents(static_cast<int>(kb.facts.size()));
  const question_analyser analyser(kb.words, vocab, normaliser, question_analyser::weights{});
  for (const std::string_view q : {"hi, how much is it?", "and my scalp has pus", "who are you u"})
    (void)analyser.analyse(normaliser.words(q));
  for (const auto& f : kb.facts)
    for (const auto& q : f.questions) (void)analyser.analyse(normaliser.words(q));
  return 0;
}
