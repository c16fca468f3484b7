#include "email_markup.hpp"

#include <cstdint>
#include <unordered_map>

#include "email_reader.hpp"
#include "email_text.hpp"
#include "utf8.hpp"

namespace cited::email_detail {

std::string tidy_characters(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    const char32_t cp = code_point_at(s, i, len);
    const std::size_t at = i;
    i += len;
    switch (cp) {
      case '\r':
        if (i < s.size() && s[i] == '\n') ++i;
        out += '\n';
        continue;
      case '\n': out += '\n'; continue;
      case '\t': case '\f': case '\v': out += ' '; continue;
      case 0x2028: case 0x2029: case 0x85: out += '\n'; continue;
      case 0xA0: case 0x2007: case 0x202F: case 0x2009: case 0x200A: case 0x3000: out += ' '; continue;
      case 0x2018: case 0x2019: case 0x201B: case 0x2032: out += '\''; continue;
      case 0x201C: case 0x201D: case 0x201F: case 0x2033: out += '"'; continue;
      case 0xFEFF: case 0x200B: case 0x200C: case 0x200D: case 0xAD: case 0x2060: continue;
      default: break;
    }
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      out += ' ';
      continue;
    }
    out.append(s.substr(at, len));
  }
  return out;
}

}  // namespace cited::email_detail

namespace cited {

using namespace email_detail;

namespace {

// Where lower_needle (lowercase ASCII) first occurs in s at or after from, ignoring ASCII case;
// npos when it does not. No copy of s: HTML may hold thousands of tags.
std::size_t find_ci(std::string_view s, std::string_view lower_needle, std::size_t from) {
  if (lower_needle.empty()) return from;
  for (std::size_t i = from; i + lower_needle.size() <= s.size(); ++i) {
    std::size_t k = 0;
    while (k < lower_needle.size() && to_lower(s[i + k]) == lower_needle[k]) ++k;
    if (k == lower_needle.size()) return i;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void check_email(std::string_view raw, const email_limits& limits) {
  if (raw.size() > limits.max_bytes)
    throw email_error(email_problem::too_large, "the email is too large (" + std::to_string(raw.size()) +
                                                    " bytes; the limit is " + std::to_string(limits.max_bytes) + ")");
  std::string_view rest = raw;
  if (starts_with(rest, "\xEF\xBB\xBF")) rest.remove_prefix(3);
  if (trim(rest).empty()) throw email_error(email_problem::empty, "the email is empty");
  std::size_t controls = 0;
  for (char c : raw) {
    const auto b = static_cast<unsigned char>(c);
    if (b == 0) throw email_error(email_problem::binary, "the email looks like binary data, not text (it has NUL bytes)");
    if ((b < 0x20 && !is_space(c)) || b == 0x7F) ++controls;
  }
  if (controls > 8 && controls * 50 > raw.size())
    throw email_error(email_problem::binary, "the email looks like binary data, not text (it is full of control characters)");
  if (!is_valid_utf8(raw))
    throw email_error(email_problem::bad_utf8, "the email is not valid UTF-8 text; save it as UTF-8 and try again");
}

bool looks_like_html(std::string_view text) {
  static const word_set tags{"html", "head", "body", "div", "p", "br", "span", "b", "i", "u", "strong", "em", "a",
                             "font", "table", "tr", "td", "th", "tbody", "ul", "ol", "li", "blockquote", "h1", "h2",
                             "h3", "h4", "h5", "h6", "hr", "img", "meta", "style", "script", "o:p", "center", "pre",
                             "section", "article", "small", "sup", "sub", "!doctype"};
  for (std::size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '/') ++j;
    std::size_t k = j;
    while (k < text.size() && (is_alpha(text[k]) || is_digit(text[k]) || text[k] == ':' || text[k] == '!')) ++k;
    if (k == j || k >= text.size()) continue;
    if (text[k] != '>' && text[k] != ' ' && text[k] != '/' && text[k] != '\n') continue;
    if (tags.count(lower(text.substr(j, k - j)))) return true;
  }
  return false;
}

std::string decode_entities(std::string_view text) {
  static const std::unordered_map<std::string, char32_t> named{
      {"amp", '&'},      {"lt", '<'},        {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
      {"nbsp", ' '},     {"rsquo", '\''},    {"lsquo", '\''},    {"rdquo", '"'},     {"ldquo", '"'},
      {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},  {"eacute", 0xE9},   {"egrave", 0xE8},
      {"aacute", 0xE1},  {"agrave", 0xE0},   {"ouml", 0xF6},     {"uuml", 0xFC},     {"auml", 0xE4},
      {"euml", 0xEB},    {"iuml", 0xEF},     {"ccedil", 0xE7},   {"ntilde", 0xF1},   {"pound", 0xA3},
      {"euro", 0x20AC},  {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122},  {"middot", 0xB7},
      {"bull", 0x2022},  {"laquo", 0xAB},    {"raquo", 0xBB},    {"deg", 0xB0},      {"times", 0xD7},
      {"shy", 0xAD},     {"zwnj", 0x200C},   {"zwj", 0x200D},    {"ensp", ' '},      {"emsp", ' '},
      {"thinsp", ' '},   {"cent", 0xA2},     {"frac12", 0xBD},   {"sbquo", ','},     {"dollar", '$'}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out += '&';
      continue;
    }
    const std::string_view name = text.substr(i + 1, semi - i - 1);
    char32_t cp = 0;
    if (!name.empty() && name[0] == '#') {
      const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      const std::string_view digits = name.substr(hex ? 2 : 1);
      bool ok = !digits.empty();
      std::uint32_t v = 0;
      for (char c : digits) {
        int d = is_digit(c) ? c - '0' : (hex && is_alpha(c) && to_lower(c) <= 'f') ? to_lower(c) - 'a' + 10 : -1;
        if (d < 0 || v > 0x10FFFF) { ok = false; break; }
        v = v * (hex ? 16u : 10u) + static_cast<std::uint32_t>(d);
      }
      if (ok && v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) cp = v;
    } else if (auto it = named.find(lower(name)); it != named.end()) {
      cp = it->second;
    }
    if (cp == 0) {
      out += '&';
      continue;
    }
    if (cp == 0xA0) cp = ' ';
    append_utf8(out, cp);
    i = semi;
  }
  return out;
}

std::string html_to_text(std::string_view text) {
  static const word_set blocks{"br", "p", "div", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                               "ol", "hr", "pre", "section", "article", "center", "tbody", "dd", "dt", "blockquote",
                               "body", "html"};
  static const word_set paragraphs{"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr"};
  // Source line breaks mean nothing in HTML when the markup says where lines end.
  bool markup_breaks = false;
  {
    const std::string lt = lower(text);
    for (std::string_view t : {"<br", "<p", "<div", "</p", "</div", "<li", "<tr"}) markup_breaks = markup_breaks || contains(lt, t);
  }
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  auto skip_past = [&](std::string_view closing) {
    const std::size_t at = find_ci(text, closing, i);
    i = at == std::string_view::npos ? text.size() : at + closing.size();
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c != '<') {
      out += (c == '\n' && markup_breaks) ? ' ' : c;
      ++i;
      continue;
    }
    if (starts_with(text.substr(i), "<!--")) {
      skip_past("-->");
      continue;
    }
    std::size_t j = i + 1;
    const bool closing = j < text.size() && text[j] == '/';
    if (closing) ++j;
    std::size_t k = j;
    while (k < text.size() && (is_alpha(text[k]) || is_digit(text[k]) || text[k] == ':' || text[k] == '!')) ++k;
    const std::size_t end = text.find('>', k);
    if (k == j || end == std::string_view::npos || (k < text.size() && !(text[k] == '>' || is_space(text[k]) || text[k] == '/'))) {
      out += c;
      ++i;
      continue;
    }
    const std::string name = lower(text.substr(j, k - j));
    const std::string tag = lower(text.substr(i, end + 1 - i));
    i = end + 1;
    if (!closing && (name == "script" || name == "style" || name == "head" || name == "title")) {
      skip_past("</" + name);
      const std::size_t gt = text.find('>', i);
      i = gt == std::string_view::npos ? text.size() : gt + 1;
      continue;
    }
    // Web mail keeps the quoted history in these; nothing after them is the patient's new text.
    if (!closing && (contains(tag, "gmail_quote") || contains(tag, "divrplyfwdmsg") || contains(tag, "appendonsend") ||
                     contains(tag, "yahoo_quoted") || contains(tag, "moz-cite-prefix") || contains(tag, "type=\"cite\"")))
      break;
    if (!closing && name == "blockquote") {
      // Quoted history: drop it whole, nested quotes included.
      // Each search starts where the last one stopped, so nesting costs no more than one pass.
      int depth = 1;
      std::size_t at = i;
      std::size_t close = find_ci(text, "</blockquote", at);
      while (depth > 0 && close != std::string_view::npos) {
        const std::size_t open = find_ci(text.substr(0, close), "<blockquote", at);
        if (open != std::string_view::npos) {
          ++depth;
          at = open + 1;
        } else {
          --depth;
          at = close + 1;
          if (depth > 0) close = find_ci(text, "</blockquote", at);
        }
      }
      if (close == std::string_view::npos) at = text.size();
      const std::size_t gt = text.find('>', at);
      i = (gt == std::string_view::npos) ? text.size() : gt + 1;
      out += "\n";
      continue;
    }
    if (blocks.count(name)) out += paragraphs.count(name) ? "\n\n" : "\n";
  }
  return decode_entities(out);
}

}  // namespace cited
