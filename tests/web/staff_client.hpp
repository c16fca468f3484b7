#pragma once
// Staff accounts and signed-in sessions for the server tests: an account made in the test
// server's records store (as `cited staff add` makes one), and a sign-in over HTTP.
#include <filesystem>
#include <map>
#include <string>

#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {

struct staff_session {
  std::string email;
  std::string token;  // the cookie's value
  std::string csrf;
  // Headers for a staff request: the cookie, the CSRF token, a JSON body.
  std::map<std::string, std::string> headers() const;
};

// Adds an account to the records store at file.
void add_staff_account(const std::filesystem::path& file, const std::string& email, const std::string& password);
// POST /api/staff/sign-in; throws when it does not succeed.
staff_session sign_in(unsigned short port, const std::string& email, const std::string& password);
// A fresh account in s's store, signed in.
staff_session sign_in_new_staff(test_server& s);

}  // namespace cited::test
