#include "verbatim.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace cited {

std::string collapse_whitespace(std::string_view s) {
  std::string out;
  bool space = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
    if (std::isspace(c) || nbsp) {
      if (nbsp) ++i;
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

bool is_verbatim(std::string_view quote, std::string_view source) {
  const std::string q = collapse_whitespace(quote);
  return !q.empty() && collapse_whitespace(source).find(q) != std::string::npos;
}

std::string without_citation_markers(std::string_view answer) {
  static const std::regex marker(R"(\[\d+\])");
  return std::regex_replace(std::string(answer), marker, " ");
}

std::vector<std::string> numbers_in(std::string_view s) {
  static const std::regex number(R"(\d+(?:[.,]\d+)*)");
  const std::string text = without_citation_markers(s);
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), number), end; it != end; ++it) {
    std::string n = it->str();
    n.erase(std::remove(n.begin(), n.end(), ','), n.end());
    out.push_back(n);
  }
  return out;
}

std::vector<std::string> unsourced_numbers(std::string_view text, const std::vector<std::string>& quotes) {
  std::vector<std::string> quoted;
  for (const auto& q : quotes)
    for (auto& n : numbers_in(q)) quoted.push_back(std::move(n));
  std::vector<std::string> out;
  for (auto& n : numbers_in(text))
    if (std::find(quoted.begin(), quoted.end(), n) == quoted.end()) out.push_back(std::move(n));
  return out;
}

}  // namespace cited
