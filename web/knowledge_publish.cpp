// The knowledge editor's preview, publish (with the swap of the index), history and restore.
#include <nlohmann/json.hpp>

#include "knowledge_api.hpp"
#include "knowledge_drafts.hpp"
#include "knowledge_edits.hpp"
#include "knowledge_preview.hpp"
#include "server_state.hpp"
#include "staff_http.hpp"
#include "store.hpp"

namespace cited::web::knowledge {
namespace {

using nlohmann::json;

constexpr std::size_t listed_publishes = 200;

struct worked_out {
  preview_result preview;
  json checks;
};

// The draft's checks, with the whole preview (the sets and the log compared) when full; a
// publish needs only the checks, so it skips the comparison it would not show.
worked_out work_out(staff_call& call, const drafted& d, bool full) {
  knowledge_options options = call.state.options.staff.knowledge;
  if (!full) options.question_sets.clear();
  auto engine = backend(call).engine_for(d.knowledge);
  preview_input in;
  in.draft = &d.knowledge;
  in.served = &call.context.engine;
  in.drafted = engine.get();
  if (full) {
    const long long now = records::now_ms();
    in.logged = records::logged_questions(call.context.db, now - options.log_days * day_ms, now + 1, options.log_questions);
  }
  worked_out out{preview_draft(in, options), {}};
  out.checks = publish_checks(backend(call).validate(d.knowledge), d.conflicts, out.preview.lost_red_flags);
  return out;
}


http_response refused(const staff_call& call, http::status status, std::string_view code, std::string_view message, json extra) {
  extra["error"] = {{"code", code}, {"message", message}};
  return json_reply(call.req, extra, status);
}

// Writes kb as the corpus, swaps the new index in and records the publish. Under publish_mutex.
json put_live(staff_call& call, const corpus_state& from, const knowledge_base& kb, const std::optional<std::string>& draft_id,
              std::optional<long long> restored_from) {
  backend(call).publish(kb);
  const corpus_state now = backend(call).corpus();
  // The corpus and the index on disk are the new ones from here on: the publish is recorded even
  // when the server cannot load the new index, so that it can be restored (the reload's failure
  // is logged, and the response says so).
  std::optional<std::uint64_t> generation;
  try {
    generation = call.state.index.reload(restored_from ? "restore" : "publish");
  } catch (const std::exception&) {
  }
  records::publish_record p;
  p.at = records::now_ms();
  p.by = call.who.email;
  p.draft_id = draft_id;
  p.restored_from = restored_from;
  p.from_version = from.version;
  p.to_version = now.version;
  const json summary = to_json(changes_between(*from.knowledge, *now.knowledge));
  p.summary_json = summary.dump();
  p.before_json = corpus_to_json(*from.knowledge).dump();
  p.after_json = corpus_to_json(*now.knowledge).dump();
  long long id = 0;
  // One job: the writer runs it in a savepoint of its own, so both rows or neither.
  write_records(call, [&](records::database& db) {
    id = records::record_publish(db, p);
    if (draft_id) records::close_draft(db, *draft_id, "published", p.at);
  });
  const json served = generation ? json(*generation) : json(nullptr);
  call.state.log.write({{"event", restored_from ? "knowledge_restored" : "knowledge_published"}, {"publish_id", id},
                        {"staff", call.who.email}, {"version", now.version}, {"index_generation", served},
                        {"changes", summary.size()}});
  json out{{"publish_id", id}, {"version", now.version}, {"previous_version", from.version},
           {"index_generation", served}, {"summary", summary}};
  if (!generation)
    out["warning"] = "the corpus and the index were written, but the server could not load the new index and still "
                     "answers from the old one; see the server's log, then restore this publish or send SIGHUP";
  return out;
}

// What changed since a draft's base: from the publishes that knew its base.
json changes_since(const staff_call& call, const std::string& base_version, const corpus_state& now) {
  const auto base = records::corpus_of_version(call.context.db, base_version);
  if (!base) return json::array({{{"kind", "corpus_changed"}, {"id", ""}, {"label", "the corpus was changed on disk"}}});
  const knowledge_base before = corpus_from_json(json::parse(*base), *now.knowledge);
  return to_json(changes_between(before, *now.knowledge));
}

}  // namespace

// POST knowledge/drafts/{id}/preview
http_response preview(staff_call& call, const std::string& draft_id) {
  const auto started = std::chrono::steady_clock::now();
  const drafted d = open_draft(call, draft_id);
  const worked_out w = work_out(call, d, true);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  call.state.log.write({{"event", "knowledge_preview"}, {"draft_id", draft_id}, {"staff", call.who.email},
                        {"compared", w.preview.compared}, {"changed", w.preview.changed_count}, {"ms", ms}});
  return json_reply(call.req, json{{"draft_id", draft_id},
                                   {"base_version", d.record.base_version},
                                   {"current_version", d.corpus.version},
                                   {"stale", d.record.base_version != d.corpus.version},
                                   {"compared", w.preview.compared},
                                   {"changed_count", w.preview.changed_count},
                                   {"changed", w.preview.changed},
                                   {"eval", {{"before", w.preview.eval_before}, {"after", w.preview.eval_after}}},
                                   {"checks", w.checks}});
}

// POST knowledge/drafts/{id}/publish
http_response publish(staff_call& call, const std::string& draft_id) {
  std::lock_guard lock(call.state.staff->publish_mutex);
  const drafted d = open_draft(call, draft_id);
  if (d.record.base_version != d.corpus.version)
    return refused(call, http::status::conflict, "conflict",
                   "the knowledge changed since this draft was started; review what changed, then start a new draft",
                   {{"base_version", d.record.base_version}, {"current_version", d.corpus.version},
                    {"changes", changes_since(call, d.record.base_version, d.corpus)}});
  if (d.record.edits.empty()) throw request_error(wire_error::bad_request, "this draft has no edits to publish");
  const worked_out w = work_out(call, d, false);
  if (!w.checks["ok"].get<bool>())
    return refused(call, http::status::unprocessable_entity, "checks_failed",
                   "this draft cannot be published until its problems are fixed", {{"checks", w.checks}});
  return json_reply(call.req, put_live(call, d.corpus, d.knowledge, d.record.draft_id, std::nullopt));
}

// GET knowledge/history
http_response history(staff_call& call) {
  json out = json::array();
  for (const auto& p : records::list_publishes(call.context.db, listed_publishes))
    out.push_back({{"publish_id", p.id},
                   {"at", p.at},
                   {"by", p.by},
                   {"draft_id", p.draft_id ? json(*p.draft_id) : json(nullptr)},
                   {"restored_from", p.restored_from ? json(*p.restored_from) : json(nullptr)},
                   {"from_version", p.from_version},
                   {"to_version", p.to_version},
                   {"summary", json::parse(p.summary_json, nullptr, false)}});
  return json_reply(call.req, json{{"version", backend(call).corpus().version}, {"publishes", out}});
}

// POST knowledge/history/{id}/restore: the corpus as it was before that publish, published.
http_response restore(staff_call& call, long long publish_id) {
  std::lock_guard lock(call.state.staff->publish_mutex);
  const auto p = records::find_publish(call.context.db, publish_id);
  if (!p) return error_reply(call.req, wire_error::not_found, "there is no publish with that id");
  const corpus_state now = backend(call).corpus();
  const knowledge_base kb = corpus_from_json(json::parse(p->before_json), *now.knowledge);
  const json checks = publish_checks(backend(call).validate(kb), json::array(), json::array());
  if (!checks["ok"].get<bool>())
    return refused(call, http::status::unprocessable_entity, "checks_failed", "that version no longer passes the checks",
                   {{"checks", checks}});
  return json_reply(call.req, put_live(call, now, kb, std::nullopt, publish_id));
}

}  // namespace cited::web::knowledge
