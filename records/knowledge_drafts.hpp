#pragma once
// The staff's changes to what the assistant knows, kept with the clinic's records (the index is
// rebuilt from the corpus at will; these are the clinic's own):
//   - drafts: a set of edits (a fact added, changed or removed, a phrasing, a source), each kept
//     as the JSON the editor sent, based on the corpus version the draft started from;
//   - publishes: who published what, when, from which version to which, a summary of the
//     changes, and the corpus before and after (enough to put either back in one step);
//   - how often each fact was served and thumbed up or down, from the conversation log.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite.hpp"

namespace cited::records {

struct draft_edit {
  long long id = 0;
  long long at = 0;
  std::string by;
  std::string edit_json;  // one edit (core/knowledge_edits.hpp), as JSON
};

struct draft_record {
  std::string draft_id;
  std::string created_by;
  long long created_at = 0;
  long long updated_at = 0;
  std::string base_version;      // the corpus version the draft was started from
  std::string status = "open";   // open, published, discarded
  std::vector<draft_edit> edits; // oldest first
};

// Starts a draft on base_version; its new id ("d-…", random).
std::string create_draft(database& db, std::string_view by, std::string_view base_version, long long at);
// Adds an edit to an open draft; its id, or nullopt when the draft is not open.
std::optional<long long> add_draft_edit(database& db, std::string_view draft_id, std::string_view by, long long at,
                                        std::string_view edit_json);
// Removes one edit of an open draft; false when there is no such edit.
bool remove_draft_edit(database& db, std::string_view draft_id, long long edit_id, long long at);
// Marks a draft published or discarded; false when it was not open.
bool close_draft(database& db, std::string_view draft_id, std::string_view status, long long at);
std::optional<draft_record> find_draft(const database& db, std::string_view draft_id);
// The newest drafts with that status (all when empty), their edits included.
std::vector<draft_record> list_drafts(const database& db, std::string_view status, std::size_t limit);

struct publish_record {
  long long id = 0;
  long long at = 0;
  std::string by;
  std::optional<std::string> draft_id = std::nullopt;  // none for a restore
  std::optional<long long> restored_from = std::nullopt;  // the publish whose corpus was put back
  std::string from_version;
  std::string to_version;
  std::string summary_json = "[]";  // what changed, for people
  std::string before_json;          // the corpus before (facts and sources), as JSON
  std::string after_json;           // and after
};

// Records a publish; its id.
long long record_publish(database& db, const publish_record& p);
// The newest publishes, without their corpora (before_json and after_json are left empty).
std::vector<publish_record> list_publishes(const database& db, std::size_t limit);
std::optional<publish_record> find_publish(const database& db, long long id);
// The corpus (as JSON) that had this version, as a publish recorded it before or after itself;
// nullopt when no publish knew it (a corpus changed by hand).
std::optional<std::string> corpus_of_version(const database& db, std::string_view version);

struct fact_usage {
  long long served = 0;
  long long up = 0;
  long long down = 0;
};
// How often each fact was given in [from_ms, to_ms), and the thumbs those answers got.
std::map<std::string, fact_usage> usage_by_fact(const database& db, long long from_ms, long long to_ms);

// The distinct questions of the log in [from_ms, to_ms), newest first, at most limit.
std::vector<std::string> logged_questions(const database& db, long long from_ms, long long to_ms, std::size_t limit);

}  // namespace cited::records
