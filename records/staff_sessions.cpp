#include "staff_sessions.hpp"

#include <sodium.h>

namespace cited::records {

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw records_error("libsodium could not be initialised");
}

new_token make_session_token() {
  ensure_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  new_token out;
  out.token = text.data();
  out.hash = *hash_session_token(out.token);
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

std::optional<token_hash> hash_session_token(std::string_view token) {
  // A token is 43 base64url characters; anything else was never issued.
  if (token.size() != 43) return std::nullopt;
  for (const char c : token)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return std::nullopt;
  ensure_sodium();
  token_hash hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return hash;
}

std::string csrf_token_for(std::string_view session_token) {
  ensure_sodium();
  constexpr std::string_view purpose = "cited csrf v1";
  std::array<unsigned char, 24> mac{};
  crypto_generichash(mac.data(), mac.size(), reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
                     reinterpret_cast<const unsigned char*>(session_token.data()), session_token.size());
  std::array<char, 40> text{};
  sodium_bin2base64(text.data(), text.size(), mac.data(), mac.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text.data();
}

bool csrf_matches(std::string_view session_token, std::string_view sent) {
  const std::string expected = csrf_token_for(session_token);
  return sent.size() == expected.size() && sodium_memcmp(sent.data(), expected.data(), expected.size()) == 0;
}

void create_session(database& db, const token_hash& hash, long long staff_id, long long now_ms) {
  statement q(db, "INSERT INTO staff_sessions(token_hash, staff_id, created_at, last_seen) VALUES (?1, ?2, ?3, ?3)");
  q.bind_blob(1, hash.data(), hash.size()).bind(2, staff_id).bind(3, now_ms);
  q.run();
}

std::optional<signed_in> find_session(const database& db, const token_hash& hash, long long idle_cutoff_ms) {
  statement q(db,
              "SELECT s.staff_id, st.email, s.last_seen FROM staff_sessions s JOIN staff st ON st.id = s.staff_id "
              "WHERE s.token_hash = ?1 AND s.last_seen >= ?2");
  q.bind_blob(1, hash.data(), hash.size()).bind(2, idle_cutoff_ms);
  if (!q.step()) return std::nullopt;
  return signed_in{q.integer(0), q.text(1), q.integer(2)};
}

void touch_session(database& db, const token_hash& hash, long long now_ms) {
  statement q(db, "UPDATE staff_sessions SET last_seen = max(last_seen, ?2) WHERE token_hash = ?1");
  q.bind_blob(1, hash.data(), hash.size()).bind(2, now_ms);
  q.run();
}

void end_session(database& db, const token_hash& hash) {
  statement q(db, "DELETE FROM staff_sessions WHERE token_hash = ?1");
  q.bind_blob(1, hash.data(), hash.size());
  q.run();
}

}  // namespace cited::records
