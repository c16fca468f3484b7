#include "knowledge_api.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "knowledge_drafts.hpp"
#include "knowledge_edits.hpp"
#include "knowledge_preview.hpp"
#include "server_state.hpp"
#include "staff_http.hpp"
#include "store.hpp"
#include "utf8.hpp"

namespace cited::web {

using nlohmann::json;

namespace knowledge {

knowledge_backend& backend(const staff_call& call) {
  if (!call.state.services.knowledge)
    throw request_error(wire_error::unavailable, "this server cannot edit its knowledge (no corpus to write to)");
  return *call.state.services.knowledge;
}

// Runs a write through the records writer and waits for its commit.
void write_records(const staff_call& call, const records::writer::job& work) {
  if (auto failure = call.state.staff->records->run(work)) throw std::runtime_error("cannot store the change: " + *failure);
}

drafted open_draft(staff_call& call, const std::string& draft_id, bool must_be_open) {
  auto record = records::find_draft(call.context.db, draft_id);
  if (!record) throw request_error(wire_error::not_found, "there is no draft with that id");
  if (must_be_open && record->status != "open")
    throw request_error(wire_error::bad_request, "this draft was " + record->status + "; start a new one");
  drafted d{std::move(*record), backend(call).corpus(), {}, json::array()};
  d.knowledge = *d.corpus.knowledge;
  std::vector<knowledge_edit> edits;
  std::vector<long long> ids;
  for (const auto& e : d.record.edits) {
    edits.push_back(edit_from_json(json::parse(e.edit_json)));
    ids.push_back(e.id);
  }
  for (const auto& c : apply_edits(d.knowledge, edits))
    d.conflicts.push_back({{"edit_id", ids[c.edit]}, {"fact", c.fact}, {"message", c.message}});
  return d;
}

}  // namespace knowledge

namespace {

using namespace knowledge;

constexpr int usage_days = 30;
constexpr std::size_t listed_drafts = 100;
constexpr std::size_t nearest_facts = 5;

json body_of(const staff_call& call) {
  if (!is_valid_utf8(call.req.body())) throw request_error(wire_error::bad_utf8, "the body is not valid UTF-8");
  json j = json::parse(call.req.body(), nullptr, false);
  if (j.is_discarded()) throw request_error(wire_error::bad_json, "the body is not valid JSON");
  if (!j.is_object()) throw request_error(wire_error::bad_request, "the body must be a JSON object");
  return j;
}

std::string text_field(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) throw request_error(wire_error::bad_request, std::string("\"") + key + "\" must be a string");
  return it->get<std::string>();
}


// Where a quote stands in its source, for highlighting: [start, end) in bytes, or null when it is
// not there as written (a quote may differ from its source in runs of whitespace).
json quote_span(const knowledge_base& kb, const citation& c) {
  const source_document* s = kb.find_source(c.source);
  const auto at = s ? s->text.find(c.quote) : std::string::npos;
  if (at == std::string::npos) return nullptr;
  return json::array({at, at + c.quote.size()});
}

json fact_json(const fact& f, const knowledge_base& kb, const std::map<std::string, records::fact_usage>& usage) {
  json j = fact_to_json(f);
  for (std::size_t i = 0; i < f.citations.size(); ++i) {
    auto& c = j["citations"][i];
    const source_document* s = kb.find_source(f.citations[i].source);
    c["n"] = i + 1;
    c["title"] = s ? s->title : f.citations[i].source;
    c["span"] = quote_span(kb, f.citations[i]);
  }
  const auto u = usage.find(f.id);
  const records::fact_usage none{};
  const auto& used = u == usage.end() ? none : u->second;
  j["served"] = used.served;
  j["up"] = used.up;
  j["down"] = used.down;
  return j;
}

std::map<std::string, records::fact_usage> recent_usage(const staff_call& call) {
  const long long now = records::now_ms();
  return records::usage_by_fact(call.context.db, now - usage_days * day_ms, now + 1);
}

bool contains_folded(std::string_view haystack, std::string_view needle) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& ch : out)
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return out;
  };
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

// --- facts ----------------------------------------------------------------------------------

// GET knowledge/facts?topic=&q=
http_response list_facts(staff_call& call) {
  const knowledge_base& kb = call.context.engine.knowledge();
  const auto topic = query_param(call.req.target(), "topic").value_or("");
  const auto search = query_param(call.req.target(), "q").value_or("");
  const auto usage = recent_usage(call);
  json facts = json::array();
  std::map<std::string, std::size_t> topics;
  for (const auto& f : kb.facts) {
    ++topics[f.topic];
    if (!topic.empty() && f.topic != topic) continue;
    if (!search.empty()) {
      bool hit = contains_folded(f.id, search) || contains_folded(f.answer, search);
      for (const auto& q : f.questions) hit = hit || contains_folded(q, search);
      if (!hit) continue;
    }
    facts.push_back(fact_json(f, kb, usage));
  }
  json topic_list = json::array();
  for (const auto& [name, n] : topics) topic_list.push_back({{"topic", name}, {"facts", n}});
  return json_reply(call.req, json{{"version", knowledge_version(kb)}, {"usage_days", usage_days}, {"topics", topic_list},
                                   {"facts", facts}});
}

// GET knowledge/facts/{id}
http_response show_fact(staff_call& call, const std::string& id) {
  const knowledge_base& kb = call.context.engine.knowledge();
  const fact* f = kb.find_fact(id);
  if (!f) return error_reply(call.req, wire_error::not_found, "there is no fact with that id");
  return json_reply(call.req, fact_json(*f, kb, recent_usage(call)));
}

// GET knowledge/nearest?q=…: the facts the engine ranks nearest to a patient's wording, and what
// it answers today.
http_response nearest(staff_call& call) {
  const auto q = query_param(call.req.target(), "q");
  if (!q || q->find_first_not_of(" \t\r\n") == std::string::npos)
    throw request_error(wire_error::bad_request, "give the patient's wording as ?q=");
  if (utf8_length(*q) > call.state.options.limits.messages.max_question_chars)
    throw request_error(wire_error::too_large, "the wording is too long");
  answer_engine& engine = call.context.engine;
  const json explained = engine.explain(*q);
  json facts = json::array();
  for (const auto& hit : explained["hits"]) {
    if (facts.size() == nearest_facts) break;
    const fact* f = engine.knowledge().find_fact(hit["fact"].get<std::string>());
    if (!f) continue;
    facts.push_back({{"id", f->id}, {"topic", f->topic}, {"label", f->questions.empty() ? f->id : f->questions.front()},
                     {"answer", f->answer}, {"score", hit["score"]}, {"coverage", hit["coverage"]}});
  }
  return json_reply(call.req, json{{"question", *q}, {"answer", visible_answer(engine.ask(*q))}, {"facts", facts}});
}

// --- drafts ---------------------------------------------------------------------------------



json problems_json(const std::vector<knowledge_problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) out.push_back(to_json(p));
  return out;
}

json draft_json(const drafted& d, const std::vector<knowledge_problem>& problems) {
  json edits = json::array();
  for (const auto& e : d.record.edits) {
    json edit = json::parse(e.edit_json);
    edits.push_back({{"edit_id", e.id}, {"at", e.at}, {"by", e.by}, {"edit", edit}});
  }
  return {{"draft_id", d.record.draft_id},     {"status", d.record.status},
          {"created_by", d.record.created_by}, {"created_at", d.record.created_at},
          {"updated_at", d.record.updated_at}, {"base_version", d.record.base_version},
          {"current_version", d.corpus.version}, {"stale", d.record.base_version != d.corpus.version},
          {"edits", edits},                    {"problems", problems_json(problems)},
          {"conflicts", d.conflicts}};
}

std::string start_draft(staff_call& call) {
  const std::string version = backend(call).corpus().version;
  std::string id;
  const std::string by = call.who.email;
  write_records(call, [&](records::database& db) { id = records::create_draft(db, by, version, records::now_ms()); });
  return id;
}

// POST knowledge/drafts {}
http_response create_draft(staff_call& call) {
  const std::string id = start_draft(call);
  call.state.log.write({{"event", "knowledge_draft"}, {"draft_id", id}, {"staff", call.who.email}});
  const drafted d = open_draft(call, id);
  return json_reply(call.req, draft_json(d, {}), http::status::created);
}

// GET knowledge/drafts?status=open|published|discarded|all
http_response list_drafts(staff_call& call) {
  auto status = query_param(call.req.target(), "status").value_or("open");
  if (status == "all") status.clear();
  json out = json::array();
  for (const auto& d : records::list_drafts(call.context.db, status, listed_drafts))
    out.push_back({{"draft_id", d.draft_id}, {"status", d.status}, {"created_by", d.created_by},
                   {"created_at", d.created_at}, {"updated_at", d.updated_at}, {"base_version", d.base_version},
                   {"edits", d.edits.size()}});
  return json_reply(call.req, json{{"drafts", out}});
}

// GET knowledge/drafts/{id}
http_response show_draft(staff_call& call, const std::string& id) {
  const drafted d = open_draft(call, id, false);
  return json_reply(call.req, draft_json(d, backend(call).validate(d.knowledge)));
}

knowledge_edit read_edit(const json& j) {
  try {
    return edit_from_json(j);
  } catch (const std::invalid_argument& e) {
    throw request_error(wire_error::bad_request, e.what());
  }
}

// Adds an edit to an open draft and answers with the draft, checked.
http_response save_edit(staff_call& call, const std::string& draft_id, const knowledge_edit& edit, http::status status) {
  {
    const drafted before = open_draft(call, draft_id);
    if (before.record.edits.size() >= call.state.options.staff.knowledge.max_edits)
      throw request_error(wire_error::too_large, "this draft holds as many edits as it may; publish or start another");
  }
  const std::string text = to_json(edit).dump();
  const std::string by = call.who.email;
  std::optional<long long> edit_id;
  write_records(call, [&](records::database& db) { edit_id = records::add_draft_edit(db, draft_id, by, records::now_ms(), text); });
  if (!edit_id) throw request_error(wire_error::bad_request, "this draft is no longer open");
  const drafted d = open_draft(call, draft_id);
  json body = draft_json(d, backend(call).validate(d.knowledge));
  body["edit_id"] = *edit_id;
  return json_reply(call.req, body, status);
}

// POST knowledge/drafts/{id}/edits {edit}
http_response add_edit(staff_call& call, const std::string& draft_id) {
  return save_edit(call, draft_id, read_edit(body_of(call)), http::status::created);
}

// POST knowledge/drafts/{id}/check {edit}: the draft's problems as they would be with the edit,
// saving nothing (the editor checks a field as it is typed).
http_response check_edit(staff_call& call, const std::string& draft_id) {
  const knowledge_edit edit = read_edit(body_of(call));
  drafted d = open_draft(call, draft_id);
  json conflicts = d.conflicts;
  for (const auto& c : apply_edits(d.knowledge, {edit}))
    conflicts.push_back({{"edit_id", nullptr}, {"fact", c.fact}, {"message", c.message}});
  return json_reply(call.req, json{{"problems", problems_json(backend(call).validate(d.knowledge))}, {"conflicts", conflicts}});
}

// POST knowledge/drafts/{id}/edits/{edit}/remove
http_response remove_edit(staff_call& call, const std::string& draft_id, long long edit_id) {
  bool removed = false;
  write_records(call, [&](records::database& db) { removed = records::remove_draft_edit(db, draft_id, edit_id, records::now_ms()); });
  if (!removed) return error_reply(call.req, wire_error::not_found, "this open draft has no such edit");
  const drafted d = open_draft(call, draft_id);
  return json_reply(call.req, draft_json(d, backend(call).validate(d.knowledge)));
}

// POST knowledge/phrasings {"fact_id", "phrasing", "draft_id"?}: a patient's wording taught to a
// fact in one call, into the given draft or a new one.
http_response add_phrasing(staff_call& call) {
  const json j = body_of(call);
  knowledge_edit edit;
  edit.kind = edit_kind::phrasing_added;
  edit.fact_id = text_field(j, "fact_id");
  edit.phrasing = text_field(j, "phrasing");
  if (edit.phrasing.find_first_not_of(" \t\r\n") == std::string::npos)
    throw request_error(wire_error::bad_request, "\"phrasing\" is empty");
  if (utf8_length(edit.phrasing) > call.state.options.limits.messages.max_question_chars)
    throw request_error(wire_error::too_large, "the phrasing is too long");
  if (!call.context.engine.knowledge().find_fact(edit.fact_id) && !backend(call).corpus().knowledge->find_fact(edit.fact_id))
    throw request_error(wire_error::not_found, "there is no fact with that id");
  std::string draft_id = j.contains("draft_id") && j["draft_id"].is_string() ? j["draft_id"].get<std::string>() : "";
  if (draft_id.empty()) draft_id = start_draft(call);
  return save_edit(call, draft_id, edit, http::status::created);
}

// A new source's id, from its text: the same page added twice is one source.
std::string source_id_for(const source_document& s) {
  knowledge_base alone;
  alone.sources.push_back(s);
  const std::string v = knowledge_version(alone);
  return "clinic_" + v.substr(2);
}

// POST knowledge/drafts/{id}/sources {"title", "text"} or {"file_name", "content"}, and
// optionally "replaces": the id of the source this is a new version of.
http_response add_source(staff_call& call, const std::string& draft_id) {
  const json j = body_of(call);
  source_document s;
  if (j.contains("file_name")) {
    const std::string content = text_field(j, "content");
    if (content.size() > call.state.options.staff.knowledge.max_source_bytes)
      throw request_error(wire_error::too_large, "the page is too long");
    try {
      s = backend(call).import_source(text_field(j, "file_name"), content);
    } catch (const std::invalid_argument& e) {
      throw request_error(wire_error::bad_request, e.what());
    }
    if (j.contains("title") && j["title"].is_string() && !j["title"].get_ref<const std::string&>().empty())
      s.title = j["title"].get<std::string>();
  } else {
    s.title = text_field(j, "title");
    s.text = text_field(j, "text");
  }
  if (s.text.size() > call.state.options.staff.knowledge.max_source_bytes)
    throw request_error(wire_error::too_large, "the page is too long");
  if (s.title.find_first_not_of(" \t\r\n") == std::string::npos || s.title.find('\n') != std::string::npos)
    throw request_error(wire_error::bad_request, "the source needs a title of one line");
  if (s.text.find_first_not_of(" \t\r\n") == std::string::npos) throw request_error(wire_error::bad_request, "the source has no text");
  // What staff add is the clinic's own page (its prices, its aftercare sheet).
  s.clinic = true;
  s.id = source_id_for(s);
  knowledge_edit edit;
  edit.kind = edit_kind::source_added;
  edit.source = s;
  const std::string replaces = j.contains("replaces") && j["replaces"].is_string() ? j["replaces"].get<std::string>() : "";
  auto res = save_edit(call, draft_id, edit, http::status::created);
  json body = json::parse(res.body());
  body["source"] = {{"id", s.id}, {"title", s.title}, {"text", s.text}};
  // A new version of a page is a new source (a source's text never changes): the facts quoting
  // the page it replaces (named, or the one with the same title) are listed for review.
  const drafted d = open_draft(call, draft_id);
  json review = json::array();
  for (const auto& old : d.knowledge.sources) {
    if (old.id == s.id || (replaces.empty() ? old.title != s.title : old.id != replaces)) continue;
    for (const fact* f : d.knowledge.facts_citing(old.id))
      review.push_back({{"fact", f->id}, {"label", f->questions.empty() ? f->id : f->questions.front()}, {"source", old.id}});
  }
  body["review"] = review;
  return json_reply(call.req, body, http::status::created);
}

// POST knowledge/drafts/{id}/discard
http_response discard_draft(staff_call& call, const std::string& draft_id) {
  bool closed = false;
  write_records(call, [&](records::database& db) { closed = records::close_draft(db, draft_id, "discarded", records::now_ms()); });
  if (!closed) return error_reply(call.req, wire_error::not_found, "there is no open draft with that id");
  return json_reply(call.req, json{{"draft_id", draft_id}, {"status", "discarded"}});
}

std::optional<long long> number_of(std::string_view text) {
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

}  // namespace

std::optional<routed_response> route_knowledge(std::string_view rest, bool post, const staff_route& get_only,
                                               const staff_route& post_only) {
  if (rest == "drafts")
    return post ? post_only("/api/staff/knowledge/drafts", create_draft) : get_only("/api/staff/knowledge/drafts", list_drafts);
  if (rest == "facts") return get_only("/api/staff/knowledge/facts", list_facts);
  if (rest.starts_with("facts/")) {
    std::string id(rest.substr(6));
    return get_only("/api/staff/knowledge/facts/{id}", [id](staff_call& call) { return show_fact(call, id); });
  }
  if (rest == "nearest") return get_only("/api/staff/knowledge/nearest", nearest);
  if (rest == "phrasings") return post_only("/api/staff/knowledge/phrasings", add_phrasing);
  if (rest == "history") return get_only("/api/staff/knowledge/history", knowledge::history);
  if (rest.starts_with("history/") && rest.ends_with("/restore")) {
    const auto n = number_of(rest.substr(8, rest.size() - 8 - 8));
    if (!n) return std::nullopt;
    const long long id = *n;
    return post_only("/api/staff/knowledge/history/{id}/restore", [id](staff_call& call) { return knowledge::restore(call, id); });
  }
  if (!rest.starts_with("drafts/")) return std::nullopt;
  const std::string_view tail = rest.substr(7);
  const auto slash = tail.find('/');
  std::string id(tail.substr(0, slash));
  if (slash == std::string_view::npos)
    return get_only("/api/staff/knowledge/drafts/{id}", [id](staff_call& call) { return show_draft(call, id); });
  const std::string_view action = tail.substr(slash + 1);
  using handler = http_response (*)(staff_call&, const std::string&);
  struct named {
    std::string_view action;
    std::string_view route;
    handler h;
  };
  static constexpr named actions[] = {
      {"edits", "/api/staff/knowledge/drafts/{id}/edits", add_edit},
      {"check", "/api/staff/knowledge/drafts/{id}/check", check_edit},
      {"sources", "/api/staff/knowledge/drafts/{id}/sources", add_source},
      {"preview", "/api/staff/knowledge/drafts/{id}/preview", knowledge::preview},
      {"publish", "/api/staff/knowledge/drafts/{id}/publish", knowledge::publish},
      {"discard", "/api/staff/knowledge/drafts/{id}/discard", discard_draft},
  };
  for (const auto& a : actions)
    if (action == a.action) {
      const handler h = a.h;
      return post_only(a.route, [h, id](staff_call& call) { return h(call, id); });
    }
  if (action.starts_with("edits/") && action.ends_with("/remove")) {
    const auto n = number_of(action.substr(6, action.size() - 6 - 7));
    if (!n) return std::nullopt;
    const long long edit_id = *n;
    return post_only("/api/staff/knowledge/drafts/{id}/edits/{edit}/remove",
                     [id, edit_id](staff_call& call) { return remove_edit(call, id, edit_id); });
  }
  return std::nullopt;
}

}  // namespace cited::web
