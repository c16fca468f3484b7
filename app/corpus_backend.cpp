#include "corpus_backend.hpp"

#include <stdexcept>

#include "commands.hpp"
#include "corpus_loader.hpp"
#include "corpus_writer.hpp"
#include "index_builder.hpp"
#include "knowledge_checks.hpp"
#include "knowledge_edits.hpp"
#include "page_import.hpp"

namespace cited::app {
namespace fs = std::filesystem;

namespace {

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
  // The one set of rules `cited index` refuses a corpus by (corpus/knowledge_checks.hpp).
  std::vector<web::knowledge_problem> out;
  for (const auto& p : check_knowledge(kb))
    out.push_back({p.fact, p.source, p.field, std::string(name_of(p.rule)),
                   p.severity == check_severity::required ? "required" : "advice", p.message});
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
  // .txt, .md or .html: only the readable text and the title kept (HTML through gumbo); the
  // caller gives the source its id and may override the title.
  const auto format = format_of(file_name);
  if (!format) throw std::invalid_argument("only .txt, .md and .html pages can be added as files; paste the page's text instead");
  const readable_page page = read_page(content, *format);
  source_document s;
  s.title = page.title;
  s.text = page.text;
  return s;
}

}  // namespace cited::app
