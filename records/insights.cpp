#include "insights.hpp"

#include <map>

#include "conversation_log.hpp"
#include "handoffs.hpp"

namespace cited::records {
namespace {

using nlohmann::json;

constexpr long long day_ms = 24LL * 60 * 60 * 1000;
constexpr const char* statuses[] = {"answered", "no_answer", "urgent", "smalltalk"};

json safe_array(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_array() ? j : json::array();
}

std::string utc_day(long long ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

json per_day(const database& db, const insight_period& p) {
  statement q(db,
              "SELECT strftime('%Y-%m-%d', at / 1000, 'unixepoch') AS day, status, count(*) FROM turns "
              "WHERE at >= ?1 AND at < ?2 GROUP BY day, status ORDER BY day");
  q.bind(1, p.from_ms).bind(2, p.to_ms);
  std::map<std::string, json> days;
  // Every day of the period, those without a question too: a chart with gaps would mislead.
  const long long span_days = (p.to_ms - p.from_ms + day_ms - 1) / day_ms;
  if (span_days > 0 && span_days <= 3660)
    for (long long d = 0; d < span_days; ++d) days[utc_day(p.from_ms + d * day_ms)] = json::object();
  while (q.step()) days[q.text(0)][q.text(1)] = q.integer(2);
  json out = json::array();
  for (auto& [day, counts] : days) {
    json row{{"day", day}};
    for (const char* s : statuses) row[s] = counts.value(s, 0);
    out.push_back(std::move(row));
  }
  return out;
}

json by_status(const database& db, const insight_period& p, long long& total) {
  statement q(db, "SELECT status, count(*) FROM turns WHERE at >= ?1 AND at < ?2 GROUP BY status");
  q.bind(1, p.from_ms).bind(2, p.to_ms);
  json out = json::object();
  for (const char* s : statuses) out[s] = 0;
  total = 0;
  while (q.step()) {
    out[q.text(0)] = q.integer(1);
    total += q.integer(1);
  }
  return out;
}

json top_topics(const database& db, const insight_period& p, std::size_t top) {
  statement q(db,
              "SELECT topic, count(*) AS n FROM turns WHERE at >= ?1 AND at < ?2 AND topic IS NOT NULL "
              "GROUP BY topic ORDER BY n DESC, topic LIMIT ?3");
  q.bind(1, p.from_ms).bind(2, p.to_ms).bind(3, static_cast<long long>(top));
  json out = json::array();
  while (q.step()) out.push_back({{"topic", q.text(0)}, {"count", q.integer(1)}});
  return out;
}

json facts(const database& db, const insight_period& p, std::size_t top) {
  // Most served, then the thumbs each got (feedback joined to the turn that gave the answer).
  statement served(db,
                   "SELECT j.value AS fact, count(*) AS n FROM turns t, json_each(t.facts) j "
                   "WHERE t.at >= ?1 AND t.at < ?2 GROUP BY fact ORDER BY n DESC, fact LIMIT ?3");
  served.bind(1, p.from_ms).bind(2, p.to_ms).bind(3, static_cast<long long>(top));
  json out = json::array();
  std::map<std::string, std::size_t> row_of;
  while (served.step()) {
    row_of[served.text(0)] = out.size();
    out.push_back({{"fact", served.text(0)}, {"served", served.integer(1)}, {"up", 0}, {"down", 0}});
  }
  statement thumbs(db, std::string(
                   "SELECT j.value AS fact, sum(f.helpful), sum(1 - f.helpful), "
                   "  (SELECT count(*) FROM turns t2, json_each(t2.facts) j2 WHERE t2.at >= ?1 AND t2.at < ?2 AND j2.value = j.value) "
                   "FROM feedback f JOIN turns t INDEXED BY turns_by_time ON ") + feedback_turn_join + ", json_each(t.facts) j "
                   "WHERE t.at >= ?1 AND t.at < ?2 GROUP BY fact ORDER BY sum(1 - f.helpful) DESC, fact");
  thumbs.bind(1, p.from_ms).bind(2, p.to_ms);
  while (thumbs.step()) {
    const std::string fact = thumbs.text(0);
    auto it = row_of.find(fact);
    if (it == row_of.end()) {
      // A fact outside the top that got thumbs still shows: staff want to see what was rated.
      row_of[fact] = out.size();
      out.push_back({{"fact", fact}, {"served", thumbs.integer(3)}, {"up", 0}, {"down", 0}});
      it = row_of.find(fact);
    }
    out[it->second]["up"] = thumbs.integer(1);
    out[it->second]["down"] = thumbs.integer(2);
  }
  return out;
}

json thumbs_down(const database& db, const insight_period& p, std::size_t limit) {
  statement q(db, std::string(
              "SELECT t.at, t.question, t.facts, f.comment, t.conversation, t.status FROM feedback f "
              "JOIN turns t INDEXED BY turns_by_time ON ") + feedback_turn_join +
              " WHERE f.helpful = 0 AND t.at >= ?1 AND t.at < ?2 ORDER BY t.at DESC LIMIT ?3");
  q.bind(1, p.from_ms).bind(2, p.to_ms).bind(3, static_cast<long long>(limit));
  json out = json::array();
  while (q.step())
    out.push_back({{"at", q.integer(0)},
                   {"question", q.text(1)},
                   {"facts", safe_array(q.text(2))},
                   {"comment", q.text(3)},
                   {"conversation", q.text(4)},
                   {"status", q.text(5)}});
  return out;
}

json unanswered(const database& db, const insight_period& p, const question_grouper& grouper, const insight_limits& limits) {
  statement count(db, "SELECT count(*) FROM turns WHERE status = 'no_answer' AND at >= ?1 AND at < ?2");
  count.bind(1, p.from_ms).bind(2, p.to_ms);
  const long long total = count.step() ? count.integer(0) : 0;
  statement q(db,
              "SELECT question, conversation FROM turns WHERE status = 'no_answer' AND at >= ?1 AND at < ?2 "
              "ORDER BY at DESC LIMIT ?3");
  q.bind(1, p.from_ms).bind(2, p.to_ms).bind(3, static_cast<long long>(limits.unanswered));
  std::vector<std::string> questions, conversations;
  while (q.step()) {
    questions.push_back(q.text(0));
    conversations.push_back(q.text(1));
  }
  json groups = json::array();
  for (const auto& g : grouper.group(questions)) {
    json examples = json::array(), convs = json::array();
    std::vector<std::string> seen;
    for (const auto i : g.members) {
      if (examples.size() < limits.examples_per_group &&
          std::find(seen.begin(), seen.end(), questions[i]) == seen.end()) {
        examples.push_back(questions[i]);
        seen.push_back(questions[i]);
      }
      if (convs.size() < limits.conversations_per_group &&
          std::find(convs.begin(), convs.end(), conversations[i]) == convs.end())
        convs.push_back(conversations[i]);
    }
    groups.push_back({{"label", g.label}, {"count", g.members.size()}, {"examples", examples}, {"conversations", convs}});
  }
  return {{"count", total}, {"grouped", questions.size()}, {"groups", groups}};
}

}  // namespace

nlohmann::json compute_insights(const database& db, const insight_period& period, const question_grouper& grouper,
                                const insight_limits& limits) {
  long long total = 0;
  json statuses_json = by_status(db, period, total);
  json handoffs = json::object();
  for (const auto& [status, n] : count_handoffs(db)) handoffs[status] = n;
  return {{"from", period.from_ms},
          {"to", period.to_ms},
          {"total", total},
          {"days", per_day(db, period)},
          {"statuses", statuses_json},
          {"topics", top_topics(db, period, limits.top)},
          {"facts", facts(db, period, limits.top)},
          {"thumbs_down", thumbs_down(db, period, limits.thumbs_down)},
          {"unanswered", unanswered(db, period, grouper, limits)},
          {"handoffs", handoffs}};
}

}  // namespace cited::records
