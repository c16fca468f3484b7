#pragma once
// The small text tools every part of the email reader shares. Emails are matched on
// ASCII-lowercased text, since every pattern the reader looks for is ASCII: these classify and
// lowercase ASCII and pass every other byte through. Internal to core; email_reader.hpp is the
// reader's interface.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace cited::email_detail {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) { return is_upper(c) || is_lower(c); }
inline char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline char to_upper(char c) { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }

// s with its ASCII letters lowercased.
std::string lower(std::string_view s);

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
inline bool ends_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; }
inline bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// The number of words in s, split at ASCII whitespace.
std::size_t word_count(std::string_view s);

// The code point at s[i] of valid UTF-8, and its length in bytes.
char32_t code_point_at(std::string_view s, std::size_t i, std::size_t& len);

// A word, for the heuristics.
struct token {
  std::string w;       // lowercased
  std::size_t b = 0;   // byte range in the sentence
  std::size_t e = 0;
};

// The words of s: lowercased ASCII words with apostrophes kept inside them ("i'd"); letters
// outside ASCII belong to words, punctuation outside it (dashes, quotes, NBSP) does not.
// Misspelt question words are put right ("dose" -> "does", "hw" -> "how") in w, while b and e
// keep what was written.
std::vector<token> tokens(std::string_view s);

using word_set = std::unordered_set<std::string>;

}  // namespace cited::email_detail
