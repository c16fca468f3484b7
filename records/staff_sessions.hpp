#pragma once
// Staff sessions: a random token (256 bits from libsodium's randombytes) in the browser's
// cookie; the store keeps only its BLAKE2b hash (crypto_generichash), so a copy of the store
// cannot be used to sign in. A session ends after idling, on sign-out, and when its person is
// removed or changes password.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "sqlite.hpp"

namespace cited::records {

// sodium_init(), once; throws records_error when libsodium cannot start.
void ensure_sodium();

using token_hash = std::array<unsigned char, 32>;

struct new_token {
  std::string token;  // base64url, 43 characters: what the cookie holds
  token_hash hash;    // what the store holds
};
new_token make_session_token();
// The hash of a token as a cookie brings it back; nullopt for anything that is no token.
std::optional<token_hash> hash_session_token(std::string_view token);
// The cross-site request token that goes with a session token: derived from it with a keyed
// hash, so it needs no storage, and a page can hold it while the cookie stays HttpOnly.
std::string csrf_token_for(std::string_view session_token);
// Whether sent is the CSRF token of session_token, compared in constant time.
bool csrf_matches(std::string_view session_token, std::string_view sent);

struct signed_in {
  long long staff_id = 0;
  std::string email;
  long long last_seen = 0;
};

void create_session(database& db, const token_hash& hash, long long staff_id, long long now_ms);
// The session's person, when the session exists and was seen at or after idle_cutoff_ms.
std::optional<signed_in> find_session(const database& db, const token_hash& hash, long long idle_cutoff_ms);
void touch_session(database& db, const token_hash& hash, long long now_ms);
void end_session(database& db, const token_hash& hash);

}  // namespace cited::records
