#include "knowledge_drafts.hpp"

#include <sodium.h>

#include <array>

#include "conversation_log.hpp"
#include "staff_sessions.hpp"

namespace cited::records {
namespace {

std::string new_draft_id() {
  ensure_sodium();
  std::array<unsigned char, 9> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 16> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return "d-" + std::string(text.data());
}

std::optional<long long> open_draft_row(const database& db, std::string_view draft_id) {
  statement q(db, "SELECT id FROM knowledge_drafts WHERE draft_id = ?1 AND status = 'open'");
  q.bind(1, draft_id);
  if (!q.step()) return std::nullopt;
  return q.integer(0);
}

void touch(database& db, long long row, long long at) {
  statement u(db, "UPDATE knowledge_drafts SET updated_at = ?2 WHERE id = ?1");
  u.bind(1, row).bind(2, at).run();
}

std::vector<draft_edit> edits_of(const database& db, long long row) {
  statement q(db, "SELECT id, at, by, edit FROM knowledge_edits WHERE draft = ?1 ORDER BY id");
  q.bind(1, row);
  std::vector<draft_edit> out;
  while (q.step()) out.push_back({q.integer(0), q.integer(1), q.text(2), q.text(3)});
  return out;
}

constexpr const char* draft_columns = "SELECT id, draft_id, created_by, created_at, updated_at, base_version, status FROM knowledge_drafts ";

draft_record draft_from(const database& db, const statement& q) {
  draft_record d;
  d.draft_id = q.text(1);
  d.created_by = q.text(2);
  d.created_at = q.integer(3);
  d.updated_at = q.integer(4);
  d.base_version = q.text(5);
  d.status = q.text(6);
  d.edits = edits_of(db, q.integer(0));
  return d;
}

}  // namespace

std::string create_draft(database& db, std::string_view by, std::string_view base_version, long long at) {
  std::string id = new_draft_id();
  statement q(db,
              "INSERT INTO knowledge_drafts(draft_id, created_by, created_at, updated_at, base_version) "
              "VALUES(?1, ?2, ?3, ?3, ?4)");
  q.bind(1, id).bind(2, by).bind(3, at).bind(4, base_version).run();
  return id;
}

std::optional<long long> add_draft_edit(database& db, std::string_view draft_id, std::string_view by, long long at,
                                        std::string_view edit_json) {
  const auto row = open_draft_row(db, draft_id);
  if (!row) return std::nullopt;
  statement q(db, "INSERT INTO knowledge_edits(draft, at, by, edit) VALUES(?1, ?2, ?3, ?4)");
  q.bind(1, *row).bind(2, at).bind(3, by).bind(4, edit_json).run();
  const long long id = db.last_insert_rowid();
  touch(db, *row, at);
  return id;
}

bool remove_draft_edit(database& db, std::string_view draft_id, long long edit_id, long long at) {
  const auto row = open_draft_row(db, draft_id);
  if (!row) return false;
  statement q(db, "DELETE FROM knowledge_edits WHERE draft = ?1 AND id = ?2");
  q.bind(1, *row).bind(2, edit_id).run();
  if (db.changes() == 0) return false;
  touch(db, *row, at);
  return true;
}

bool close_draft(database& db, std::string_view draft_id, std::string_view status, long long at) {
  statement q(db, "UPDATE knowledge_drafts SET status = ?2, updated_at = ?3 WHERE draft_id = ?1 AND status = 'open'");
  q.bind(1, draft_id).bind(2, status).bind(3, at).run();
  return db.changes() > 0;
}

std::optional<draft_record> find_draft(const database& db, std::string_view draft_id) {
  statement q(db, std::string(draft_columns) + "WHERE draft_id = ?1");
  q.bind(1, draft_id);
  if (!q.step()) return std::nullopt;
  return draft_from(db, q);
}

std::vector<draft_record> list_drafts(const database& db, std::string_view status, std::size_t limit) {
  statement q(db, std::string(draft_columns) + "WHERE ?1 = '' OR status = ?1 ORDER BY updated_at DESC, id DESC LIMIT ?2");
  q.bind(1, status).bind(2, static_cast<long long>(limit));
  std::vector<draft_record> out;
  while (q.step()) out.push_back(draft_from(db, q));
  return out;
}

long long record_publish(database& db, const publish_record& p) {
  statement q(db,
              "INSERT INTO knowledge_publishes(at, by, draft_id, restored_from, from_version, to_version, summary, "
              "before, after) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  q.bind(1, p.at).bind(2, p.by).bind_optional(3, p.draft_id);
  if (p.restored_from) q.bind(4, *p.restored_from);
  else q.bind_null(4);
  q.bind(5, p.from_version).bind(6, p.to_version).bind(7, p.summary_json).bind(8, p.before_json).bind(9, p.after_json).run();
  return db.last_insert_rowid();
}

namespace {

publish_record publish_from(const statement& q, bool with_corpora) {
  publish_record p;
  p.id = q.integer(0);
  p.at = q.integer(1);
  p.by = q.text(2);
  p.draft_id = q.optional_text(3);
  if (!q.is_null(4)) p.restored_from = q.integer(4);
  p.from_version = q.text(5);
  p.to_version = q.text(6);
  p.summary_json = q.text(7);
  if (with_corpora) {
    p.before_json = q.text(8);
    p.after_json = q.text(9);
  }
  return p;
}

}  // namespace

std::vector<publish_record> list_publishes(const database& db, std::size_t limit) {
  statement q(db,
              "SELECT id, at, by, draft_id, restored_from, from_version, to_version, summary FROM knowledge_publishes "
              "ORDER BY id DESC LIMIT ?1");
  q.bind(1, static_cast<long long>(limit));
  std::vector<publish_record> out;
  while (q.step()) out.push_back(publish_from(q, false));
  return out;
}

std::optional<publish_record> find_publish(const database& db, long long id) {
  statement q(db,
              "SELECT id, at, by, draft_id, restored_from, from_version, to_version, summary, before, after "
              "FROM knowledge_publishes WHERE id = ?1");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return publish_from(q, true);
}

std::optional<std::string> corpus_of_version(const database& db, std::string_view version) {
  statement q(db,
              "SELECT CASE WHEN to_version = ?1 THEN after ELSE before END FROM knowledge_publishes "
              "WHERE to_version = ?1 OR from_version = ?1 ORDER BY id DESC LIMIT 1");
  q.bind(1, version);
  if (!q.step()) return std::nullopt;
  return q.text(0);
}

std::map<std::string, fact_usage> usage_by_fact(const database& db, long long from_ms, long long to_ms) {
  std::map<std::string, fact_usage> out;
  statement served(db,
                   "SELECT j.value, count(*) FROM turns t INDEXED BY turns_by_time, json_each(t.facts) j "
                   "WHERE t.at >= ?1 AND t.at < ?2 GROUP BY j.value");
  served.bind(1, from_ms).bind(2, to_ms);
  while (served.step()) out[served.text(0)].served = served.integer(1);
  statement thumbs(db, std::string("SELECT j.value, sum(f.helpful), sum(1 - f.helpful) "
                                   "FROM feedback f JOIN turns t INDEXED BY turns_by_time ON ") +
                           feedback_turn_join + ", json_each(t.facts) j WHERE t.at >= ?1 AND t.at < ?2 GROUP BY j.value");
  thumbs.bind(1, from_ms).bind(2, to_ms);
  while (thumbs.step()) {
    auto& u = out[thumbs.text(0)];
    u.up = thumbs.integer(1);
    u.down = thumbs.integer(2);
  }
  return out;
}

std::vector<std::string> logged_questions(const database& db, long long from_ms, long long to_ms, std::size_t limit) {
  statement q(db,
              "SELECT question, max(at) AS last FROM turns INDEXED BY turns_by_time WHERE at >= ?1 AND at < ?2 "
              "GROUP BY question ORDER BY last DESC LIMIT ?3");
  q.bind(1, from_ms).bind(2, to_ms).bind(3, static_cast<long long>(limit));
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

}  // namespace cited::records
