// Fuzzes the way a question becomes a search: bytes -> text_normaliser -> question_analyser
// (with the real lexicon and vocabulary) -> make_fts_query -> an FTS5 search of the real index.
// The index is sound, so any index_error here is a query SQLite refused: a bug.
//
// Input: the first byte picks the path.
//   even: the rest is a patient's message, read as the engine reads it.
//   odd:  the rest is term groups given directly ('\n' between groups, '\t' between terms),
//         so make_fts_query meets terms the analyser would never make (quotes, NULs, bad UTF-8).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "question_analyser.hpp"
#include "text_normaliser.hpp"
#include "utf8.hpp"

namespace {

using namespace cited;

struct query_pipeline {
  text_normaliser normaliser;
  question_analyser analyser;
  std::unique_ptr<retriever> search;

  query_pipeline()
      : analyser(fuzz::bundled_index::get().loaded().knowledge->words, *fuzz::bundled_index::get().loaded().words,
                 normaliser, question_analyser::weights{}),
        search(open_retriever(fuzz::bundled_index::get().path())) {}
};

query_pipeline& pipeline() {
  static query_pipeline p;
  return p;
}

std::vector<term_group> split_groups(std::string_view text) {
  std::vector<term_group> groups;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    term_group g;
    const std::string_view line = text.substr(start, end - start);
    std::size_t t = 0;
    while (t <= line.size()) {
      auto tab = line.find('\t', t);
      if (tab == std::string_view::npos) tab = line.size();
      g.terms.emplace_back(line.substr(t, tab - t));
      t = tab + 1;
    }
    g.origin = std::string(line);
    g.weight = 1;
    groups.push_back(std::move(g));
    start = end + 1;
  }
  return groups;
}

// What make_fts_query promises: every term is one quoted phrase, all joined by OR, at most 64,
// with the group and text of each phrase recorded.
void check_query(const std::vector<term_group>& groups, const fts_query& q) {
  fuzz::check(q.phrase_group.size() == q.phrase_text.size(), "phrase_group and phrase_text differ in size");
  fuzz::check(q.phrase_group.size() <= 64, "more than 64 phrases");
  fuzz::check(q.expression.empty() == q.phrase_text.empty(), "an expression without phrases, or phrases without one");
  std::string rebuilt;
  for (std::size_t i = 0; i < q.phrase_text.size(); ++i) {
    fuzz::check(q.phrase_group[i] < groups.size(), "phrase names a group that does not exist");
    if (i) rebuilt += " OR ";
    rebuilt += '"';
    for (char c : q.phrase_text[i]) rebuilt += c == '"' ? std::string("\"\"") : std::string(1, c);
    rebuilt += '"';
  }
  fuzz::check(rebuilt == q.expression, "the expression is not the quoted phrases joined by OR", q.expression);
}

void search_all(const std::vector<term_group>& groups) {
  const fts_query q = make_fts_query(groups);
  check_query(groups, q);
  try {
    const auto hits = pipeline().search->search(groups, 8);
    fuzz::check(hits.size() <= 8, "more hits than the limit");
    const auto facts = fuzz::bundled_index::get().loaded().knowledge->facts.size();
    for (const auto& h : hits) fuzz::check(h.fact < facts, "a hit names a fact that does not exist");
  } catch (const index_error& e) {
    fuzz::fail("the search failed on a sound index", std::string(e.what()) + " for " + q.expression);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto& p = pipeline();
  if (data[0] % 2 == 0) {
    const auto words = p.normaliser.words(text);
    for (const auto& w : words) {
      fuzz::check(w.begin <= w.end && w.end <= text.size(), "a word's byte range lies outside the input");
      fuzz::check(!w.text.empty(), "an empty word");
      fuzz::check(is_valid_utf8(w.text), "a word is not valid UTF-8", w.text);
    }
    const analysed_question q = p.analyser.analyse(words);
    fuzz::check(q.groups.size() <= question_analyser::max_groups, "more groups than max_groups");
    for (const auto& g : q.groups) {
      fuzz::check(g.terms.size() <= question_analyser::max_terms_per_group, "more terms than max_terms_per_group");
      for (const auto& t : g.terms) fuzz::check(is_valid_utf8(t), "a term is not valid UTF-8", t);
    }
    search_all(q.groups);
  } else {
    search_all(split_groups(text));
  }
  return 0;
}
