#pragma once
// What staff change in the knowledge before publishing: a draft is a list of edits (a fact
// added, changed or removed, a phrasing added to a fact, a source added) applied in order to the
// corpus the draft started from. Also the corpus's version (a digest of its facts and sources,
// so that two staff editing at once find out), what changed between two corpora, and whether an
// answer changed, for the preview.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer.hpp"
#include "knowledge.hpp"

namespace cited {

enum class edit_kind { fact_added, fact_changed, fact_removed, phrasing_added, source_added };
std::string_view to_string(edit_kind k);

struct knowledge_edit {
  edit_kind kind = edit_kind::fact_changed;
  std::string fact_id;                          // the fact changed, removed or given a phrasing
  std::optional<fact> value = std::nullopt;     // the fact as added or changed (whole)
  std::string phrasing;                         // phrasing_added: the patient's wording
  std::optional<source_document> source = std::nullopt;  // source_added (its text fixed from then on)
};

// The editor's JSON, one of:
//   {"kind":"fact_added","fact":{…}}            {"kind":"fact_changed","fact":{…}}
//   {"kind":"fact_removed","fact_id":"…"}       {"kind":"phrasing_added","fact_id":"…","phrasing":"…"}
//   {"kind":"source_added","source":{"id","title","text"}}
// A fact as corpus/SCHEMA.md spells it. Throws std::invalid_argument saying what is wrong.
knowledge_edit edit_from_json(const nlohmann::json& j);
nlohmann::json to_json(const knowledge_edit& e);

nlohmann::json fact_to_json(const fact& f);
fact fact_from_json(const nlohmann::json& j);  // throws std::invalid_argument

// The facts and sources of kb as one JSON object ({"facts":[…],"sources":[…]}): a publish
// keeps the corpus before and after it in this form.
nlohmann::json corpus_to_json(const knowledge_base& kb);
// kb with its facts and sources replaced by those of j (the lexicon is kept).
knowledge_base corpus_from_json(const nlohmann::json& j, const knowledge_base& kb);

// Why an edit could not be applied: its position in the draft and a plain-words reason.
struct edit_conflict {
  std::size_t edit = 0;
  std::string fact;
  std::string message;
};
// Applies edits in order to kb. An edit that no longer fits (a fact changed that is gone, a fact
// added whose id is taken) is left out and reported.
std::vector<edit_conflict> apply_edits(knowledge_base& kb, const std::vector<knowledge_edit>& edits);

// "v-" and 16 hex digits: a digest of the facts and sources, in order. Equal corpora, equal
// versions; any change to a fact or a source, another version.
std::string knowledge_version(const knowledge_base& kb);

struct knowledge_change {
  std::string kind;  // fact_added, fact_changed, fact_removed, source_added, source_removed
  std::string id;    // the fact's or the source's
  std::string label; // a fact's first phrasing, a source's title: what staff recognise it by
};
// What changed from one corpus to another, facts first, in the newer corpus's order.
std::vector<knowledge_change> changes_between(const knowledge_base& from, const knowledge_base& to);
nlohmann::json to_json(const std::vector<knowledge_change>& changes);

// The part of an answer a patient sees (status, text, citations with their sources, the facts,
// the disagreement): equal when the answer did not change, whatever its random id.
nlohmann::json visible_answer(const answer& a);

}  // namespace cited
