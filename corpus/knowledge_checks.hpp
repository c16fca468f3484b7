#pragma once
// The rules that keep every answer checkable (SCHEMA.md), in one place: `cited index` refuses a
// corpus by them, and the staff editor shows them next to the field that breaks one, in words a
// receptionist understands.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "knowledge.hpp"

namespace cited {

enum class check_rule {
  corpus_empty,          // no sources or no facts at all
  id_format,             // a fact's id: lower-case words joined by hyphens
  id_unique,             // ... used by no other fact
  topic_known,           // one of known_topics()
  questions_present,     // at least one phrasing
  questions_count,       // 8 to 12 phrasings (advice)
  questions_repeat,      // the same phrasing twice (advice)
  answer_present,
  citations_present,     // at least one citation
  source_exists,         // a citation names a source there is
  quote_present,
  verbatim,              // the quote stands in its source word for word (whitespace aside)
  whole_sentences,       // the quote begins and ends where sentences do
  marker_has_citation,   // every [n] in the answer names a citation
  citation_referenced,   // every citation is referred to by an [n]
  numbers_quoted,        // every number in the answer stands in one of its quotes
  conflict_sides,        // a conflict fact shows each side with its own citation: 2 or more
  related_exist,         // related ids name other facts there are
  related_count,         // at most 3 related facts
  clinic_source,         // a clinic fact quotes at least one of the clinic's own pages
  source_id,             // a source's id can be its file's name
  source_unique,
  source_title,          // one line, not empty
  source_text,           // not empty
  lexicon,               // the lexicon's warning signs, intents and starter facts hold together
};

// The rule's stable name, e.g. "whole_sentences" (for the editor's JSON and for tests).
std::string_view name_of(check_rule rule);

enum class check_severity {
  required,  // `cited index` and publishing refuse the knowledge base
  advice,    // said, but nothing is refused
};

struct knowledge_problem {
  std::string fact;    // the fact's id ("" when the problem is not a fact's)
  std::string source;  // the source's id, for a problem of a source
  // Where in the fact or source, as in its JSON: "id", "topic", "questions", "questions[2]",
  // "answer", "citations", "citations[0].quote", "citations[0].source", "conflict", "related",
  // "related[1]", "clinic"; for a source "id", "title", "text"; "lexicon"; "" for the whole.
  // Indexes count from 0, as in the JSON array; messages count citations from 1, as [n] does.
  std::string field;
  check_rule rule = check_rule::corpus_empty;
  check_severity severity = check_severity::required;
  std::string message;  // for the clinic's staff, e.g. "Citation 2 is never referred to in the answer"
};

// The topics a fact may have (SCHEMA.md).
const std::vector<std::string>& known_topics();

// Every problem of one fact as the editor holds it, against kb's sources and facts. `replaces`
// is the id of the fact being edited ("" for a new fact): its id is no repeat of itself.
std::vector<knowledge_problem> check_fact(const fact& draft, const knowledge_base& kb, std::string_view replaces = {});

// Every problem of one source as the editor would add it to kb.
std::vector<knowledge_problem> check_source(const source_document& draft, const knowledge_base& kb);

// Every problem of the whole knowledge base: each fact, each source, the lexicon.
std::vector<knowledge_problem> check_knowledge(const knowledge_base& kb);

bool any_required(const std::vector<knowledge_problem>& problems);

// One line naming what and where, for `cited index`: `fact cost-per-session, citations[0].quote:
// This quote is not in the source word for word: …`.
std::string describe(const knowledge_problem& problem);

// {"fact", "source", "field", "rule", "severity", "message"}, the empty ones left out.
nlohmann::json to_json(const knowledge_problem& problem);

// check_knowledge's required problems, described: what makes `cited index` refuse the corpus.
std::vector<std::string> validate(const knowledge_base& kb);

}  // namespace cited
