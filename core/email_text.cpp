#include "email_text.hpp"

#include <unordered_map>

namespace cited::email_detail {

namespace {

// Punctuation outside ASCII that separates words (dashes, quotes, ellipsis, NBSP, ...).
bool separates_words(char32_t cp) {
  return cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0xBF || cp == 0xA1 || cp == 0xB7 ||
         (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || cp == 0xFEFF;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = to_lower(c);
  return out;
}

std::size_t word_count(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    if (is_space(c)) in = false;
    else if (!in) { in = true; ++n; }
  }
  return n;
}

char32_t code_point_at(std::string_view s, std::size_t i, std::size_t& len) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) { len = 1; return b; }
  if ((b >> 5) == 0x6 && i + 1 < s.size()) {
    len = 2;
    return (char32_t(b & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F);
  }
  if ((b >> 4) == 0xE && i + 2 < s.size()) {
    len = 3;
    return (char32_t(b & 0x0F) << 12) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
           (static_cast<unsigned char>(s[i + 2]) & 0x3F);
  }
  if ((b >> 3) == 0x1E && i + 3 < s.size()) {
    len = 4;
    return (char32_t(b & 0x07) << 18) | (char32_t(static_cast<unsigned char>(s[i + 1]) & 0x3F) << 12) |
           (char32_t(static_cast<unsigned char>(s[i + 2]) & 0x3F) << 6) | (static_cast<unsigned char>(s[i + 3]) & 0x3F);
  }
  len = 1;
  return 0xFFFD;
}

std::vector<token> tokens(std::string_view s) {
  std::vector<token> out;
  std::size_t i = 0;
  auto word_char_at = [&](std::size_t at, std::size_t& len) {
    const char32_t cp = code_point_at(s, at, len);
    if (cp < 0x80) return is_alpha(static_cast<char>(cp)) || is_digit(static_cast<char>(cp));
    return !separates_words(cp);
  };
  while (i < s.size()) {
    std::size_t len = 1;
    if (!word_char_at(i, len)) {
      i += len;
      continue;
    }
    const std::size_t b = i;
    i += len;
    while (i < s.size()) {
      if (word_char_at(i, len)) {
        i += len;
      } else if (s[i] == '\'' && i + 1 < s.size() && word_char_at(i + 1, len)) {
        i += 1;
      } else {
        break;
      }
    }
    out.push_back({lower(s.substr(b, i - b)), b, i});
    // Misspelt question words, so "dose it hurt" still opens a question.
    static const std::unordered_map<std::string, std::string> typos{
        {"dose", "does"}, {"hw", "how"},    {"wat", "what"},   {"wot", "what"},  {"wht", "what"},
        {"cn", "can"},    {"cud", "could"}, {"wud", "would"},  {"shud", "should"}, {"wen", "when"},
        {"wher", "where"}, {"wich", "which"}, {"r", "are"},    {"doe", "does"},  {"iz", "is"}};
    if (auto t = typos.find(out.back().w); t != typos.end()) out.back().w = t->second;
  }
  return out;
}

}  // namespace cited::email_detail
