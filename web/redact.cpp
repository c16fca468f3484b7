#include "redact.hpp"

#include <algorithm>
#include <vector>

namespace cited::web {
namespace {

// ASCII only on purpose: <cctype> depends on the locale, and bytes of multi-byte UTF-8
// characters must never be taken for letters of an address.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_local_part(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\''; }
bool is_domain_part(char c) { return is_alnum(c) || c == '.' || c == '-'; }
bool is_phone_joiner(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'; }

struct span {
  std::size_t begin, end;
  std::string_view label;
};

void find_emails(std::string_view s, std::vector<span>& out) {
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    std::size_t b = at;
    while (b > 0 && is_local_part(s[b - 1])) --b;
    while (b < at && s[b] == '.') ++b;  // a sentence's full stop is not part of the address
    std::size_t e = at + 1;
    while (e < s.size() && is_domain_part(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
    const std::string_view domain = s.substr(at + 1, e - at - 1);
    const std::size_t dot = domain.rfind('.');
    // name@host.tld: something before the @, a dot inside the domain, a top-level part after.
    if (b == at || dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
    if (!out.empty() && out.back().end > b) continue;
    out.push_back({b, e, "[email]"});
  }
}

void find_phones(std::string_view s, const std::vector<span>& emails, std::vector<span>& out) {
  std::size_t next_email = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (next_email < emails.size() && i >= emails[next_email].begin) {
      i = emails[next_email++].end;
      continue;
    }
    const char c = s[i];
    if (!(is_digit(c) || c == '+' || c == '(')) {
      ++i;
      continue;
    }
    const std::size_t limit = next_email < emails.size() ? emails[next_email].begin : s.size();
    std::size_t e = i + (c == '+' ? 1 : 0);
    std::size_t digits = 0;
    while (e < limit && (is_digit(s[e]) || is_phone_joiner(s[e]))) digits += is_digit(s[e++]) ? 1 : 0;
    // The run ends on its last digit (or a closing parenthesis), not on the space after it.
    while (e > i && !is_digit(s[e - 1]) && s[e - 1] != ')') --e;
    if (digits >= 7) out.push_back({i, e, "[phone]"});
    i = std::max(e, i + 1);
  }
}

}  // namespace

std::string redact_personal_data(std::string_view text) {
  std::vector<span> emails, spans;
  find_emails(text, emails);
  find_phones(text, emails, spans);
  spans.insert(spans.end(), emails.begin(), emails.end());
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end(), [](const span& a, const span& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const auto& sp : spans) {
    out.append(text.substr(at, sp.begin - at));
    out.append(sp.label);
    at = sp.end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace cited::web
