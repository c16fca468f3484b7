// Markdown and plain text made into readable lines: the syntax a reader never sees goes, the
// words stay exactly as written.
#include <algorithm>
#include <cctype>
#include <sstream>
#include <vector>

#include "page_import.hpp"
#include "utf8.hpp"
#include "verbatim.hpp"

namespace cited {
namespace {

std::vector<std::string> lines_of(std::string_view raw) {
  std::string text = sanitize_utf8(raw);
  if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // a byte order mark
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
  }
  return out;
}

std::string trimmed(std::string_view s) { return collapse_whitespace(s); }

bool is_rule(const std::string& line, char mark) {
  const std::string t = trimmed(line);
  return t.size() >= 3 && std::all_of(t.begin(), t.end(), [&](char c) { return c == mark || c == ' '; });
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80; }

// [text](url) and [text][ref] keep their text, ![alt](url) goes, `code` and emphasis lose their
// marks (an underscore inside a word, as in snake_case, is the word's), \* is a star.
std::string inline_text(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && std::ispunct(static_cast<unsigned char>(s[i + 1]))) {
      out += s[++i];
    } else if ((c == '!' && i + 1 < s.size() && s[i + 1] == '[') || c == '[') {
      const bool image = c == '!';
      const std::size_t open = image ? i + 1 : i;
      const std::size_t close = s.find(']', open);
      if (close == std::string::npos) {
        out += c;
        continue;
      }
      std::size_t after = close + 1;
      if (after < s.size() && (s[after] == '(' || s[after] == '[')) {
        const std::size_t end = s.find(s[after] == '(' ? ')' : ']', after);
        if (end != std::string::npos) after = end + 1;
      }
      if (!image) out += inline_text(s.substr(open + 1, close - open - 1));
      i = after - 1;
    } else if (c == '<' && (s.compare(i + 1, 4, "http") == 0 || s.compare(i + 1, 7, "mailto:") == 0) && s.find('>', i) != std::string::npos) {
      const std::size_t end = s.find('>', i);
      out += s.substr(i + 1, end - i - 1);
      i = end;
    } else if (c == '`' || c == '*' || c == '~') {
      // A lone star between spaces is a word ("2 * 3"); doubled or against a word it is markup.
      const bool lone = c == '*' && (i == 0 || s[i - 1] == ' ') && (i + 1 == s.size() || s[i + 1] == ' ');
      if (lone) out += c;
    } else if (c == '_') {
      const bool inside_word = i > 0 && i + 1 < s.size() && word_char(s[i - 1]) && word_char(s[i + 1]);
      if (inside_word) out += c;
    } else {
      out += c;
    }
  }
  return out;
}

struct block {
  std::string text;
  bool item = false;
  bool heading = false;
};

}  // namespace

readable_page read_markdown(std::string_view markdown) {
  const std::vector<std::string> lines = lines_of(markdown);
  std::vector<block> blocks;
  std::string paragraph;
  auto end_paragraph = [&] {
    std::string t = trimmed(inline_text(paragraph));
    if (!t.empty()) blocks.push_back({std::move(t), false, false});
    paragraph.clear();
  };
  bool in_code = false;
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const std::string& line = lines[n];
    const std::string t = trimmed(line);
    if (t.starts_with("```") || t.starts_with("~~~")) {
      end_paragraph();
      in_code = !in_code;
      continue;
    }
    if (in_code) {
      if (!t.empty()) blocks.push_back({t, true, false});
      continue;
    }
    if (t.empty()) {
      end_paragraph();
      continue;
    }
    // A setext heading: its text, then a line of = or -.
    if (n + 1 < lines.size() && paragraph.empty() && (is_rule(lines[n + 1], '=') || is_rule(lines[n + 1], '-')) &&
        !is_rule(line, '-')) {
      blocks.push_back({trimmed(inline_text(t)), false, true});
      ++n;
      continue;
    }
    if (is_rule(line, '-') || is_rule(line, '*') || is_rule(line, '_')) {
      end_paragraph();
      continue;
    }
    if (t.front() == '[' && t.find("]:") != std::string::npos) continue;  // a link's definition
    std::string body = t;
    while (body.starts_with(">")) body = trimmed(body.substr(1));
    if (body.empty()) {
      end_paragraph();
      continue;
    }
    if (body.front() == '#') {
      end_paragraph();
      std::size_t level = body.find_first_not_of('#');
      if (level != std::string::npos && level <= 6 && body[level] == ' ') {
        body = body.substr(level + 1);
        while (!body.empty() && (body.back() == '#' || body.back() == ' ')) body.pop_back();
        blocks.push_back({trimmed(inline_text(body)), false, true});
        continue;
      }
    }
    if (body.front() == '|') {
      end_paragraph();
      if (body.find_first_not_of("|-: ") == std::string::npos) continue;  // the row under a table's head
      std::string row = body.substr(1);
      if (!row.empty() && row.back() == '|') row.pop_back();
      std::string cells;
      std::istringstream split(row);
      for (std::string cell; std::getline(split, cell, '|');) cells += (cells.empty() ? "" : " | ") + trimmed(cell);
      blocks.push_back({trimmed(inline_text(cells)), true, false});
      continue;
    }
    std::size_t marker = 0;
    if ((body.starts_with("- ") || body.starts_with("* ") || body.starts_with("+ "))) marker = 2;
    else {
      const std::size_t digits = body.find_first_not_of("0123456789");
      if (digits > 0 && digits != std::string::npos && digits + 1 < body.size() && (body[digits] == '.' || body[digits] == ')') &&
          body[digits + 1] == ' ')
        marker = digits + 2;
    }
    if (marker > 0) {
      end_paragraph();
      std::string item = trimmed(body.substr(marker));
      if (item.starts_with("[ ] ") || item.starts_with("[x] ")) item = item.substr(4);
      blocks.push_back({trimmed(inline_text(item)), true, false});
      continue;
    }
    paragraph += (paragraph.empty() ? "" : " ") + body;
  }
  end_paragraph();
  blocks.erase(std::remove_if(blocks.begin(), blocks.end(), [](const block& b) { return b.text.empty(); }), blocks.end());

  readable_page page;
  const auto heading = std::find_if(blocks.begin(), blocks.end(), [](const block& b) { return b.heading; });
  if (blocks.empty()) {
    // Nothing readable: no title, no text.
  } else if (heading == blocks.begin() || heading == blocks.end()) {
    page.title = blocks.front().text;
    blocks.erase(blocks.begin());
  } else if (heading != blocks.end()) {
    page.title = heading->text;
  }
  bool last_item = false;
  for (const auto& b : blocks) {
    if (!page.text.empty()) page.text += b.item && last_item ? "\n" : "\n\n";
    page.text += b.text;
    last_item = b.item;
  }
  if (!page.text.empty()) page.text += '\n';
  return page;
}

readable_page read_plain_text(std::string_view text) {
  const std::vector<std::string> lines = lines_of(text);
  readable_page page;
  std::size_t n = 0;
  while (n < lines.size() && trimmed(lines[n]).empty()) ++n;
  if (n < lines.size()) page.title = trimmed(lines[n++]);
  while (n < lines.size() && trimmed(lines[n]).empty()) ++n;
  std::size_t end = lines.size();
  while (end > n && trimmed(lines[end - 1]).empty()) --end;
  for (; n < end; ++n) {
    std::string line = lines[n];
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    page.text += line + "\n";
  }
  return page;
}

}  // namespace cited
