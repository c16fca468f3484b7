#include "staff_api.hpp"

#include <nlohmann/json.hpp>

#include "conversation_log.hpp"
#include "handoffs.hpp"
#include "insights.hpp"
#include "redact.hpp"
#include "staff_http.hpp"
#include "store.hpp"

namespace cited::web {
namespace {

using nlohmann::json;

constexpr long long day_ms = 24LL * 60 * 60 * 1000;
constexpr long long default_days = 30;
constexpr long long max_days = 3660;
constexpr std::size_t listed_handoffs = 500;

json handoff_json(const records::handoff_record& h) {
  json j{{"handoff_id", h.handoff_id},
         {"created_at", h.created_at},
         {"name", h.name ? json(*h.name) : json(nullptr)},
         {"contact", h.contact},
         {"contact_kind", h.contact_kind},
         {"question", h.question},
         {"status", records::to_string(h.status)},
         {"status_by", h.status_by ? json(*h.status_by) : json(nullptr)},
         {"status_at", h.status_at ? json(*h.status_at) : json(nullptr)}};
  return j;
}

// The period of ?from=YYYY-MM-DD&to=YYYY-MM-DD, to inclusive; the last 30 days by default.
records::insight_period period_of(const http_request& req) {
  const std::string_view target = req.target();
  const long long today = records::now_ms() / day_ms * day_ms;
  records::insight_period p{today - (default_days - 1) * day_ms, today + day_ms};
  if (const auto from = query_param(target, "from"); from && !from->empty()) {
    const auto ms = parse_utc_day(*from);
    if (!ms) throw request_error(wire_error::bad_request, "\"from\" must be a date as YYYY-MM-DD");
    p.from_ms = *ms;
  }
  if (const auto to = query_param(target, "to"); to && !to->empty()) {
    const auto ms = parse_utc_day(*to);
    if (!ms) throw request_error(wire_error::bad_request, "\"to\" must be a date as YYYY-MM-DD");
    p.to_ms = *ms + day_ms;
  }
  if (p.to_ms <= p.from_ms) throw request_error(wire_error::bad_request, "\"to\" must not come before \"from\"");
  if (p.to_ms - p.from_ms > max_days * day_ms) throw request_error(wire_error::bad_request, "a period may be ten years at most");
  return p;
}

// A fact's name for people: the first way patients ask for it.
std::string fact_label(const answer_engine& engine, const std::string& id) {
  const fact* f = engine.knowledge().find_fact(id);
  return f && !f->questions.empty() ? f->questions.front() : id;
}

// A CSV field: quoted, quotes doubled; a leading = + - @ is defused, so that a spreadsheet
// never runs what a patient typed as a formula.
void csv_field(std::string& out, std::string_view value) {
  out += '"';
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) out += '\'';
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string iso_time(long long ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buf, ms % 1000);
  return out;
}

json turn_json(const records::logged_turn& t) {
  json facts = json::parse(t.row.facts_json, nullptr, false);
  return {{"at", t.row.at},
          {"question", t.row.question},
          {"status", t.row.status},
          {"answer_id", t.row.answer_id},
          {"facts", facts.is_array() ? facts : json::array()},
          {"topic", t.row.topic ? json(*t.row.topic) : json(nullptr)},
          {"conflict", t.row.conflict},
          {"helpful", t.helpful ? json(*t.helpful) : json(nullptr)},
          {"comment", redact_personal_data(t.comment)}};
}

// The text the reply drafter reads for a hand-off: the patient's questions as an email would
// put them, the hand-off's own question last, signed with their name for the greeting.
std::string email_for(const records::handoff_record& h) {
  std::string text;
  const json transcript = json::parse(h.transcript_json, nullptr, false);
  std::vector<std::string> asked;
  if (transcript.is_array())
    for (const auto& turn : transcript)
      if (turn.is_object() && turn.contains("question") && turn["question"].is_string()) {
        const auto& q = turn["question"].get_ref<const std::string&>();
        if (q != h.question && std::find(asked.begin(), asked.end(), q) == asked.end()) asked.push_back(q);
      }
  asked.push_back(h.question);
  text = "Hello,\n\n";
  for (const auto& q : asked) {
    text += q;
    // The drafter finds questions by their question marks, as patients mostly write them.
    if (!q.empty() && q.back() != '?' && q.back() != '.') text += '?';
    text += "\n\n";
  }
  text += "Thanks,\n" + h.name.value_or("") + "\n";
  return text;
}

}  // namespace

http_response list_handoffs(staff_call& call) {
  std::optional<records::handoff_status> status;
  if (const auto s = query_param(call.req.target(), "status"); s && !s->empty() && *s != "all") {
    status = records::handoff_status_from(*s);
    if (!status) throw request_error(wire_error::bad_request, "\"status\" must be new, replied, closed or all");
  }
  json list = json::array();
  for (const auto& h : records::list_handoffs(call.context.db, status, listed_handoffs)) list.push_back(handoff_json(h));
  json counts = json::object();
  for (const auto& [name, n] : records::count_handoffs(call.context.db)) counts[name] = n;
  return json_reply(call.req, json{{"handoffs", list}, {"counts", counts}});
}

http_response show_handoff(staff_call& call, std::string_view handoff_id) {
  const auto h = records::find_handoff(call.context.db, handoff_id);
  if (!h) return error_reply(call.req, wire_error::not_found, "there is no hand-off with that id");
  json body = handoff_json(*h);
  json transcript = json::parse(h->transcript_json, nullptr, false);
  body["transcript"] = transcript.is_array() ? transcript : json::array();
  body["conversation"] = h->conversation ? json(*h->conversation) : json(nullptr);
  body["via"] = h->via;
  // A draft for staff to check: the existing reply drafter over the patient's questions.
  if (call.state.services.reply) {
    try {
      body["reply"] = call.state.services.reply(email_for(*h), call.context.engine);
    } catch (const std::exception& e) {
      body["reply"] = nullptr;
      body["reply_error"] = e.what();
    }
  }
  return json_reply(call.req, body);
}

http_response set_handoff_status(staff_call& call, std::string_view handoff_id) {
  const json j = json::parse(call.req.body(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw request_error(wire_error::bad_json, "the body must be a JSON object");
  const auto s = j.find("status");
  const auto status = s != j.end() && s->is_string() ? records::handoff_status_from(s->get<std::string>()) : std::nullopt;
  if (!status) throw request_error(wire_error::bad_request, "\"status\" must be new, replied or closed");
  bool found = false;
  const std::string id(handoff_id), by = call.who.email;
  const long long at = records::now_ms();
  if (auto failure = call.state.staff->records->run([&](records::database& db) {
        found = records::set_handoff_status(db, id, *status, by, at);
      }))
    throw std::runtime_error("cannot store the status: " + *failure);
  if (!found) return error_reply(call.req, wire_error::not_found, "there is no hand-off with that id");
  call.state.log.write({{"event", "handoff_status"}, {"handoff_id", id}, {"status", records::to_string(*status)}, {"staff", by}});
  return json_reply(call.req, json{{"handoff_id", id}, {"status", records::to_string(*status)}, {"status_by", by}, {"status_at", at}});
}

http_response insights(staff_call& call) {
  const auto period = period_of(call.req);
  json body = records::compute_insights(call.context.db, period, call.context.grouper);
  for (auto& f : body["facts"]) f["label"] = fact_label(call.context.engine, f["fact"].get<std::string>());
  for (auto& t : body["thumbs_down"]) {
    json labels = json::array();
    for (const auto& f : t["facts"]) labels.push_back(fact_label(call.context.engine, f.get<std::string>()));
    t["fact_labels"] = labels;
    t["comment"] = redact_personal_data(t["comment"].get<std::string>());
  }
  body["logging"] = call.state.services.records && call.state.services.records->logging();
  return json_reply(call.req, body);
}

http_response conversations_csv(staff_call& call) {
  const auto period = period_of(call.req);
  std::string out = "time,conversation,via,question,answer_id,status,facts,topic,conflict,latency_us,helpful,comment\r\n";
  records::each_turn(call.context.db, period.from_ms, period.to_ms, [&out](const records::logged_turn& t) {
    std::string facts;
    const json f = json::parse(t.row.facts_json, nullptr, false);
    if (f.is_array())
      for (const auto& id : f)
        if (id.is_string()) facts += (facts.empty() ? "" : ";") + id.get<std::string>();
    csv_field(out, iso_time(t.row.at));
    for (const std::string_view v : {std::string_view(t.row.conversation), std::string_view(t.row.via),
                                     std::string_view(t.row.question), std::string_view(t.row.answer_id),
                                     std::string_view(t.row.status), std::string_view(facts)}) {
      out += ',';
      csv_field(out, v);
    }
    out += ',';
    csv_field(out, t.row.topic.value_or(""));
    out += t.row.conflict ? ",\"true\"," : ",\"false\",";
    csv_field(out, std::to_string(t.row.latency_us));
    out += ',';
    csv_field(out, t.helpful ? (*t.helpful ? "up" : "down") : "");
    out += ',';
    csv_field(out, redact_personal_data(t.comment));
    out += "\r\n";
  });
  http_response res{http::status::ok, call.req.version()};
  set_common_headers(res);
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::content_disposition, "attachment; filename=\"conversations.csv\"");
  res.keep_alive(call.req.keep_alive());
  res.body() = std::move(out);
  res.prepare_payload();
  return res;
}

http_response show_conversation(staff_call& call, std::string_view conversation) {
  json turns = json::array();
  for (const auto& t : records::conversation_turns(call.context.db, conversation)) turns.push_back(turn_json(t));
  if (turns.empty()) return error_reply(call.req, wire_error::not_found, "there is no conversation with that id in the log");
  for (auto& t : turns) {
    json labels = json::array();
    for (const auto& f : t["facts"]) labels.push_back(fact_label(call.context.engine, f.get<std::string>()));
    t["fact_labels"] = labels;
  }
  return json_reply(call.req, json{{"conversation", conversation}, {"turns", turns}});
}

}  // namespace cited::web
