#include "staff_client.hpp"

#include <atomic>

#include "staff_accounts.hpp"
#include "store.hpp"

namespace cited::test {

std::map<std::string, std::string> staff_session::headers() const {
  return {{"Cookie", "cited_session=" + token}, {"X-CSRF-Token", csrf}, {"Content-Type", "application/json"}};
}

void add_staff_account(const std::filesystem::path& file, const std::string& email, const std::string& password) {
  auto db = records::open_for_writing(file);
  records::add_staff(db, email, records::hash_password(password), records::now_ms());
}

staff_session sign_in(unsigned short port, const std::string& email, const std::string& password) {
  const auto r = http_request(port, http::verb::post, "/api/staff/sign-in",
                              nlohmann::json{{"email", email}, {"password", password}}.dump(),
                              {{"Content-Type", "application/json"}});
  if (r.status != 200) throw std::runtime_error("sign-in failed: " + std::to_string(r.status) + " " + r.body);
  const std::string cookie = r.header("set-cookie");
  const auto start = cookie.find('=') + 1;
  staff_session s;
  s.email = email;
  s.token = cookie.substr(start, cookie.find(';') - start);
  s.csrf = r.json()["csrf"];
  return s;
}

staff_session sign_in_new_staff(test_server& s) {
  static std::atomic<int> n{0};
  const std::string email = "staff" + std::to_string(n++) + "@clinic.example";
  add_staff_account(s.records_file, email, "a long enough password");
  return sign_in(s.port(), email, "a long enough password");
}

}  // namespace cited::test
