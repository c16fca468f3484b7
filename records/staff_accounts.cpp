#include "staff_accounts.hpp"

#include <sodium.h>

#include <algorithm>

#include "staff_sessions.hpp"

namespace cited::records {

std::optional<std::string> normalise_staff_email(std::string_view email) {
  if (email.empty() || email.size() > max_email_bytes) return std::nullopt;
  const auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) return std::nullopt;
  const auto dot = email.find('.', at);
  if (dot == std::string_view::npos || dot == at + 1 || dot + 1 == email.size()) return std::nullopt;
  std::string out;
  for (const char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';') return std::nullopt;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

std::optional<std::string> password_problem(std::string_view password) {
  // Length in characters, roughly: UTF-8 continuation bytes do not count.
  const auto chars = std::count_if(password.begin(), password.end(),
                                   [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
  if (static_cast<std::size_t>(chars) < min_password_chars)
    return "a password needs at least " + std::to_string(min_password_chars) + " characters";
  if (password.size() > max_password_bytes) return "a password may have at most " + std::to_string(max_password_bytes) + " bytes";
  return std::nullopt;
}

std::string hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw records_error("out of memory while hashing a password");
  return out.data();
}

bool verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoy_password_hash() {
  static const std::string decoy = [] {
    std::array<unsigned char, 32> random{};
    ensure_sodium();
    randombytes_buf(random.data(), random.size());
    return hash_password(std::string_view(reinterpret_cast<const char*>(random.data()), random.size()));
  }();
  return decoy;
}

void add_staff(database& db, std::string_view email, const std::string& password_hash, long long now_ms) {
  if (find_staff(db, email)) throw records_error("there is already an account for " + std::string(email));
  statement q(db, "INSERT INTO staff(email, password_hash, created_at, password_changed_at) VALUES (?1, ?2, ?3, ?3)");
  q.bind(1, email).bind(2, password_hash).bind(3, now_ms);
  q.run();
}

std::vector<staff_member> list_staff(const database& db) {
  statement q(db,
              "SELECT st.id, st.email, st.created_at, (SELECT count(*) FROM staff_sessions s WHERE s.staff_id = st.id) "
              "FROM staff st ORDER BY st.email");
  std::vector<staff_member> out;
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.integer(2), q.integer(3)});
  return out;
}

long long count_staff(const database& db) {
  statement q(db, "SELECT count(*) FROM staff");
  return q.step() ? q.integer(0) : 0;
}

bool remove_staff(database& db, std::string_view email) {
  transaction t(db);
  // Said outright as well as by the foreign key: a connection without foreign_keys=ON must not
  // leave a removed person signed in.
  statement sessions(db, "DELETE FROM staff_sessions WHERE staff_id IN (SELECT id FROM staff WHERE email = ?1)");
  sessions.bind(1, email);
  sessions.run();
  statement q(db, "DELETE FROM staff WHERE email = ?1");
  q.bind(1, email);
  q.run();
  const bool removed = db.changes() > 0;
  t.commit();
  return removed;
}

bool set_staff_password(database& db, std::string_view email, const std::string& password_hash, long long now_ms) {
  transaction t(db);
  statement q(db, "UPDATE staff SET password_hash = ?2, password_changed_at = ?3 WHERE email = ?1");
  q.bind(1, email).bind(2, password_hash).bind(3, now_ms);
  q.run();
  const bool changed = db.changes() > 0;
  statement sessions(db, "DELETE FROM staff_sessions WHERE staff_id IN (SELECT id FROM staff WHERE email = ?1)");
  sessions.bind(1, email);
  sessions.run();
  t.commit();
  return changed;
}

std::optional<staff_credentials> find_staff(const database& db, std::string_view email) {
  statement q(db, "SELECT id, email, password_hash FROM staff WHERE email = ?1");
  q.bind(1, email);
  if (!q.step()) return std::nullopt;
  return staff_credentials{q.integer(0), q.text(1), q.text(2)};
}

}  // namespace cited::records
