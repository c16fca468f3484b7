#include "corpus_backend.hpp"

#include <stdexcept>

#include "commands.hpp"
#include "corpus_loader.hpp"
#include "corpus_writer.hpp"
#include "index_builder.hpp"
#include "knowledge_edits.hpp"

namespace cited::app {
namespace fs = std::filesystem;

namespace {

// The loader's problems read "fact <id>: <what>"; the editor shows each next to its fact and
// field, so the field and the rule are read from the wording validate() gives them.
web::knowledge_problem problem_from(const std::string& line) {
  web::knowledge_problem p;
  p.rule = "corpus";
  p.message = line;
  constexpr std::string_view prefix = "fact ";
  if (line.rfind(prefix, 0) != 0) return p;
  const auto colon = line.find(": ", prefix.size());
  if (colon == std::string::npos) return p;
  p.fact = line.substr(prefix.size(), colon - prefix.size());
  p.message = line.substr(colon + 2);
  const std::string& m = p.message;
  auto starts = [&m](std::string_view s) { return m.rfind(s, 0) == 0; };
  auto has = [&m](std::string_view s) { return m.find(s) != std::string::npos; };
  // "citation [2] ..." names its citation: citations[2].
  std::string citation;
  if (starts("citation [")) citation = "citations" + m.substr(9, m.find(']') - 8);
  if (!citation.empty() && has("is not verbatim")) p = {p.fact, citation + ".quote", "verbatim", m};
  else if (!citation.empty() && has("empty quote")) p = {p.fact, citation + ".quote", "empty_quote", m};
  else if (!citation.empty() && has("missing source")) p = {p.fact, citation + ".source", "missing_source", m};
  else if (!citation.empty() && has("never referenced")) p = {p.fact, "answer", "markers", m};
  else if (starts("[") && has("has no citation")) p = {p.fact, "answer", "markers", m};
  else if (starts("states ")) p = {p.fact, "answer", "numbers", m};
  else if (starts("has no questions")) p = {p.fact, "questions", "required", m};
  else if (starts("has no answer")) p = {p.fact, "answer", "required", m};
  else if (starts("has no citation")) p = {p.fact, "citations", "required", m};
  else if (starts("has no id") || starts("id repeats")) p = {p.fact, "id", starts("id") ? "unique_id" : "required", m};
  else if (starts("related fact")) p = {p.fact, "related", "related_exists", m};
  return p;
}

// An engine whose index file goes with it.
struct preview_engine {
  std::unique_ptr<answer_engine> engine;
  fs::path file;
  ~preview_engine() {
    engine.reset();
    std::error_code ignored;
    fs::remove(file, ignored);
  }
};

}  // namespace

corpus_backend::corpus_backend(fs::path corpus, fs::path db, fs::path scratch)
    : corpus_(std::move(corpus)), db_(std::move(db)), scratch_(std::move(scratch)) {}

web::corpus_state corpus_backend::corpus() {
  auto kb = std::make_shared<const knowledge_base>(load_corpus(corpus_));
  std::string version = knowledge_version(*kb);
  return {std::move(kb), std::move(version)};
}

std::vector<web::knowledge_problem> corpus_backend::validate(const knowledge_base& kb) {
  std::vector<web::knowledge_problem> out;
  for (const auto& line : cited::validate(kb)) out.push_back(problem_from(line));
  return out;
}

std::shared_ptr<answer_engine> corpus_backend::engine_for(const knowledge_base& kb) {
  // Made at the first preview, not at start: a server killed before one leaves nothing behind.
  fs::create_directories(scratch_);
  auto holder = std::make_shared<preview_engine>();
  holder->file = scratch_ / ("preview-" + std::to_string(previews_.fetch_add(1)) + ".db");
  build_index(kb, holder->file);
  holder->engine = engine_factory(holder->file).make();
  answer_engine* engine = holder->engine.get();
  return std::shared_ptr<answer_engine>(std::move(holder), engine);
}

void corpus_backend::publish(const knowledge_base& kb) {
  std::lock_guard lock(write_mutex_);
  const knowledge_base before = load_corpus(corpus_);
  write_corpus(kb, corpus_);
  try {
    // Indexed as read back from the files, so that `cited index` over them builds this very index.
    const knowledge_base written = load_corpus(corpus_);
    if (auto problems = cited::validate(written); !problems.empty()) throw corpus_error(problems);
    build_index(written, db_);
  } catch (...) {
    write_corpus(before, corpus_);
    throw;
  }
}

source_document corpus_backend::import_source(std::string_view file_name, std::string_view content) {
  const fs::path name(file_name);
  if (name.extension() != ".txt")
    throw std::invalid_argument("only .txt pages can be added as files here; paste the page's text instead");
  // A plain page: its first line is its title, as in the corpus's own source files.
  try {
    return source_from_text("", content);
  } catch (const corpus_error& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace cited::app
