#include "handoffs.hpp"

#include <sodium.h>

#include <array>

#include "staff_sessions.hpp"

namespace cited::records {
namespace {

constexpr const char* columns =
    "handoff_id, created_at, name, contact, contact_kind, question, status, status_by, status_at, transcript, "
    "conversation, via";

handoff_record read_handoff(const statement& q, bool full) {
  handoff_record h;
  h.handoff_id = q.text(0);
  h.created_at = q.integer(1);
  h.name = q.optional_text(2);
  h.contact = q.text(3);
  h.contact_kind = q.text(4);
  h.question = q.text(5);
  h.status = handoff_status_from(q.text(6)).value_or(handoff_status::fresh);
  h.status_by = q.optional_text(7);
  if (!q.is_null(8)) h.status_at = q.integer(8);
  if (full) {
    h.transcript_json = q.text(9);
    h.conversation = q.optional_text(10);
    h.via = q.text(11);
  }
  return h;
}

std::string new_handoff_id() {
  ensure_sodium();
  std::array<unsigned char, 9> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 16> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return "h-" + std::string(text.data());
}

}  // namespace

std::string_view to_string(handoff_status s) {
  switch (s) {
    case handoff_status::fresh: return "new";
    case handoff_status::replied: return "replied";
    case handoff_status::closed: return "closed";
  }
  return "new";
}

std::optional<handoff_status> handoff_status_from(std::string_view s) {
  if (s == "new") return handoff_status::fresh;
  if (s == "replied") return handoff_status::replied;
  if (s == "closed") return handoff_status::closed;
  return std::nullopt;
}

std::string insert_handoff(database& db, const new_handoff& h, long long now_ms) {
  if (h.dedupe_key) {
    statement seen(db, "SELECT handoff_id FROM handoffs WHERE dedupe_key = ?1");
    seen.bind(1, *h.dedupe_key);
    if (seen.step()) return seen.text(0);
  }
  std::string id = new_handoff_id();
  statement insert(db,
                   "INSERT INTO handoffs(handoff_id, created_at, name, contact, contact_kind, question, transcript, "
                   "conversation, via, dedupe_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  insert.bind(1, id)
      .bind(2, now_ms)
      .bind_optional(3, h.name)
      .bind(4, h.contact)
      .bind(5, h.contact_kind)
      .bind(6, h.question)
      .bind(7, h.transcript_json)
      .bind_optional(8, h.conversation)
      .bind(9, h.via)
      .bind_optional(10, h.dedupe_key);
  insert.run();
  return id;
}

std::vector<handoff_record> list_handoffs(const database& db, std::optional<handoff_status> status, std::size_t limit) {
  statement q(db, std::string("SELECT ") + columns +
                      " FROM handoffs WHERE ?1 IS NULL OR status = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2");
  if (status) q.bind(1, to_string(*status));
  else q.bind_null(1);
  q.bind(2, static_cast<long long>(limit));
  std::vector<handoff_record> out;
  while (q.step()) out.push_back(read_handoff(q, false));
  return out;
}

std::optional<handoff_record> find_handoff(const database& db, std::string_view handoff_id) {
  statement q(db, std::string("SELECT ") + columns + " FROM handoffs WHERE handoff_id = ?1");
  q.bind(1, handoff_id);
  if (!q.step()) return std::nullopt;
  return read_handoff(q, true);
}

bool set_handoff_status(database& db, std::string_view handoff_id, handoff_status status, std::string_view by,
                        long long now_ms) {
  statement q(db, "UPDATE handoffs SET status = ?2, status_by = ?3, status_at = ?4 WHERE handoff_id = ?1");
  q.bind(1, handoff_id).bind(2, to_string(status)).bind(3, by).bind(4, now_ms);
  q.run();
  return db.changes() > 0;
}

std::vector<std::pair<std::string, long long>> count_handoffs(const database& db) {
  std::vector<std::pair<std::string, long long>> out{{"new", 0}, {"replied", 0}, {"closed", 0}};
  statement q(db, "SELECT status, count(*) FROM handoffs GROUP BY status");
  while (q.step())
    for (auto& [name, n] : out)
      if (name == q.text(0)) n = q.integer(1);
  return out;
}

}  // namespace cited::records
