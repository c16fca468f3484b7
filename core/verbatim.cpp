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

namespace {

// The text with runs of whitespace made one space as collapse_whitespace makes them, and for
// each such space whether its run held a line break: where a heading or a list item ends.
struct spaced_text {
  std::string text;
  std::vector<bool> line_break;  // by position in text: the space there stood for a line break
};

spaced_text spaced(std::string_view s) {
  spaced_text out;
  bool space = false, broke = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool nbsp = c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0;
    if (std::isspace(c) || nbsp) {
      if (nbsp) ++i;
      space = !out.text.empty();
      broke = broke || c == '\n' || c == '\r';
      continue;
    }
    if (space) {
      out.text += ' ';
      out.line_break.push_back(broke);
    }
    space = broke = false;
    out.text += static_cast<char>(c);
    out.line_break.push_back(false);
  }
  return out;
}

bool ends_sentence(std::string_view s) {
  for (bool stripped = true; stripped && !s.empty();) {
    stripped = true;
    if (s.back() == '"' || s.back() == '\'' || s.back() == ')' || s.back() == ']') s.remove_suffix(1);
    else if (s.ends_with("\u201D") || s.ends_with("\u2019")) s.remove_suffix(3);  // ” ’
    else if (s.ends_with("\u00BB")) s.remove_suffix(2);                          // »
    else stripped = false;
  }
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.ends_with("\u2026"));
}

constexpr std::size_t context_words = 5;

// Up to context_words words of text ending at end.
std::string words_before(const std::string& text, std::size_t end) {
  std::size_t start = end, spaces = 0;
  while (start > 0 && !(text[start - 1] == ' ' && ++spaces == context_words)) --start;
  return text.substr(start, end - start);
}

// Up to context_words words of text starting at begin.
std::string words_after(const std::string& text, std::size_t begin) {
  std::size_t stop = begin, spaces = 0;
  while (stop < text.size() && !(text[stop] == ' ' && ++spaces == context_words)) ++stop;
  return text.substr(begin, stop - begin);
}

}  // namespace

quote_place place_quote(std::string_view quote, std::string_view source) {
  quote_place best;
  const std::string q = collapse_whitespace(quote);
  if (q.empty()) return best;
  const spaced_text src = spaced(source);
  for (std::size_t at = src.text.find(q); at != std::string::npos; at = src.text.find(q, at + 1)) {
    const std::size_t end = at + q.size();
    quote_place place;
    place.found = true;
    // Just after a space (never inside a word), and that space ends a line or follows a sentence.
    // A lower-case first letter is a sentence's middle even after a full stop ("approx. three").
    const bool lower_start = q.front() >= 'a' && q.front() <= 'z';
    place.starts_whole = at == 0 || (src.text[at - 1] == ' ' && (src.line_break[at - 1] ||
                                                                (!lower_start && ends_sentence(std::string_view(src.text).substr(0, at - 1)))));
    place.ends_whole = end == src.text.size() || (src.text[end] == ' ' && (src.line_break[end] || ends_sentence(q)));
    place.before = words_before(src.text, at == 0 ? 0 : at - 1);
    place.after = end < src.text.size() ? words_after(src.text, end + 1) : std::string();
    if (!best.found) best = place;
    if (place.starts_whole && place.ends_whole) return place;
  }
  return best;
}

namespace {

bool is_space_at(std::string_view s, std::size_t i) {
  return std::isspace(static_cast<unsigned char>(s[i])) ||
         (static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) ||
         (static_cast<unsigned char>(s[i]) == 0xA0 && i > 0 && static_cast<unsigned char>(s[i - 1]) == 0xC2);
}

// The whitespace run [from, to) holds a line break.
bool breaks_line(std::string_view s, std::size_t from, std::size_t to) {
  return s.substr(from, to - from).find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace

std::string_view sentences_around(std::string_view source, std::size_t begin, std::size_t end) {
  end = std::min(end, source.size());
  begin = std::min(begin, end);
  while (begin < end && is_space_at(source, begin)) ++begin;
  while (end > begin && is_space_at(source, end - 1)) --end;
  // Back to where a sentence starts: after a line break, or after a sentence's end before a
  // word that is not lower-case.
  for (; begin > 0 && begin < source.size(); --begin) {
    if (is_space_at(source, begin) || !is_space_at(source, begin - 1)) continue;
    std::size_t run = begin;
    while (run > 0 && is_space_at(source, run - 1)) --run;
    const bool lower_start = source[begin] >= 'a' && source[begin] <= 'z';
    if (run == 0 || breaks_line(source, run, begin) || (!lower_start && ends_sentence(source.substr(0, run)))) break;
  }
  // On to where it ends: a sentence's end followed by whitespace, a line break, or the end.
  for (; end > 0 && end < source.size(); ++end) {
    if (is_space_at(source, end - 1) || !is_space_at(source, end)) continue;
    std::size_t run = end;
    while (run < source.size() && is_space_at(source, run)) ++run;
    if (run == source.size() || breaks_line(source, end, run) || ends_sentence(source.substr(0, end))) break;
  }
  return source.substr(begin, end - begin);
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
