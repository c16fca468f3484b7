#pragma once
// Staff accounts: an email and a password hashed with Argon2id (libsodium's crypto_pwhash_str,
// at its "interactive" cost: 64 MiB and 2 passes, about a tenth of a second here). No default
// account and no default password: `cited staff add` makes the first.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sqlite.hpp"

namespace cited::records {

inline constexpr std::size_t min_password_chars = 10;
inline constexpr std::size_t max_password_bytes = 1024;
inline constexpr std::size_t max_email_bytes = 254;

// The email folded to lower case, or nullopt when it does not look like one.
std::optional<std::string> normalise_staff_email(std::string_view email);
// Why the password cannot be used, or nullopt when it can.
std::optional<std::string> password_problem(std::string_view password);

// Argon2id, in the self-describing string form (algorithm, cost and salt included).
std::string hash_password(std::string_view password);
bool verify_password(const std::string& hash, std::string_view password);
// A hash of no one's password, made once: verifying against it takes as long as against a
// real one, so a sign-in for an unknown email costs the same time as for a known one.
const std::string& decoy_password_hash();

struct staff_member {
  long long id = 0;
  std::string email;
  long long created_at = 0;
  long long sessions = 0;   // open sessions
};
struct staff_credentials {
  long long id = 0;
  std::string email;
  std::string password_hash;
};

// Throws records_error when the email is taken.
void add_staff(database& db, std::string_view email, const std::string& password_hash, long long now_ms);
std::vector<staff_member> list_staff(const database& db);
long long count_staff(const database& db);
// Removes the person and (through the foreign key) every session of theirs. False: no such person.
bool remove_staff(database& db, std::string_view email);
// Sets a new password and ends every session of theirs. False: no such person.
bool set_staff_password(database& db, std::string_view email, const std::string& password_hash, long long now_ms);
std::optional<staff_credentials> find_staff(const database& db, std::string_view email);

}  // namespace cited::records
