#include "conversation_log.hpp"

namespace cited::records {
namespace {

constexpr long long purge_chunk = 5000;

constexpr const char* turn_columns =
    "t.at, t.conversation, t.via, t.question, t.answer_id, t.status, t.facts, t.topic, t.conflict, t.latency_us, "
    "(SELECT f.helpful FROM feedback f WHERE f.answer_id = t.answer_id ORDER BY f.id DESC LIMIT 1), "
    "(SELECT f.comment FROM feedback f WHERE f.answer_id = t.answer_id ORDER BY f.id DESC LIMIT 1)";

logged_turn read_turn(const statement& q) {
  logged_turn t;
  t.row.at = q.integer(0);
  t.row.conversation = q.text(1);
  t.row.via = q.text(2);
  t.row.question = q.text(3);
  t.row.answer_id = q.text(4);
  t.row.status = q.text(5);
  t.row.facts_json = q.text(6);
  t.row.topic = q.optional_text(7);
  t.row.conflict = q.integer(8) != 0;
  t.row.latency_us = q.integer(9);
  if (!q.is_null(10)) t.helpful = q.integer(10) != 0;
  t.comment = q.text(11);
  return t;
}

long long delete_in_chunks(database& db, const char* sql, long long cutoff) {
  statement del(db, sql);
  long long total = 0;
  for (;;) {
    // A savepoint, not a transaction: on its own it commits each chunk when released; inside
    // the writer's batch (a purge asked for by a tool) it nests.
    db.exec("SAVEPOINT purge");
    long long n = 0;
    try {
      del.reset();
      del.bind(1, cutoff).bind(2, purge_chunk);
      del.run();
      n = db.changes();
      db.exec("RELEASE purge");
    } catch (...) {
      db.exec("ROLLBACK TO purge");
      db.exec("RELEASE purge");
      throw;
    }
    total += n;
    if (n < purge_chunk) return total;
  }
}

}  // namespace

turn_inserter::turn_inserter(const database& db)
    : insert_(db,
              "INSERT INTO turns(at, conversation, via, question, answer_id, status, facts, topic, conflict, latency_us) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)") {}

void turn_inserter::insert(const turn_row& t) {
  insert_.reset();
  insert_.bind(1, t.at)
      .bind(2, t.conversation)
      .bind(3, t.via)
      .bind(4, t.question)
      .bind(5, t.answer_id)
      .bind(6, t.status)
      .bind(7, t.facts_json)
      .bind_optional(8, t.topic)
      .bind(9, static_cast<long long>(t.conflict ? 1 : 0))
      .bind(10, t.latency_us);
  insert_.run();
}

long long purge_older_than(database& db, long long cutoff_ms, long long session_cutoff_ms) {
  long long n = delete_in_chunks(db, "DELETE FROM turns WHERE id IN (SELECT id FROM turns WHERE at < ?1 LIMIT ?2)", cutoff_ms);
  // Feedback keeps its ISO 8601 time; compare it as text with the cutoff written the same way.
  n += delete_in_chunks(db,
                        "DELETE FROM feedback WHERE id IN (SELECT id FROM feedback WHERE received_at < "
                        "strftime('%Y-%m-%dT%H:%M:%fZ', ?1 / 1000.0, 'unixepoch') LIMIT ?2)",
                        cutoff_ms);
  // A hand-off nobody has dealt with stays until someone does.
  n += delete_in_chunks(db,
                        "DELETE FROM handoffs WHERE id IN (SELECT id FROM handoffs WHERE status <> 'new' AND "
                        "coalesce(status_at, created_at) < ?1 LIMIT ?2)",
                        cutoff_ms);
  n += delete_in_chunks(db,
                        "DELETE FROM staff_sessions WHERE token_hash IN (SELECT token_hash FROM staff_sessions WHERE "
                        "last_seen < ?1 LIMIT ?2)",
                        session_cutoff_ms);
  return n;
}

std::vector<logged_turn> conversation_turns(const database& db, std::string_view conversation) {
  // "c-<ms, 11 hex digits>-<random>": the conversation began then; its turns follow within a
  // day or two (a widget's connection does not last longer), found through the time index.
  constexpr std::size_t digits = 11;
  long long began = 0;
  if (conversation.size() < 2 + digits || conversation.substr(0, 2) != "c-") return {};
  for (const char c : conversation.substr(2, digits)) {
    const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return {};
    began = began * 16 + d;
  }
  constexpr long long window_ms = 2LL * 24 * 60 * 60 * 1000;
  statement q(db, std::string("SELECT ") + turn_columns +
                      " FROM turns t INDEXED BY turns_by_time WHERE t.at >= ?2 AND t.at < ?3 AND t.conversation = ?1 "
                      "ORDER BY t.id LIMIT 500");
  q.bind(1, conversation).bind(2, began).bind(3, began + window_ms);
  std::vector<logged_turn> out;
  while (q.step()) out.push_back(read_turn(q));
  return out;
}

void each_turn(const database& db, long long from_ms, long long to_ms, const std::function<void(const logged_turn&)>& each) {
  statement q(db, std::string("SELECT ") + turn_columns + " FROM turns t WHERE t.at >= ?1 AND t.at < ?2 ORDER BY t.at, t.id");
  q.bind(1, from_ms).bind(2, to_ms);
  while (q.step()) each(read_turn(q));
}

}  // namespace cited::records
