// The readable text of an HTML page, through gumbo's HTML5 parser: a page's markup is too
// varied (unclosed tags, entities, scripts holding "<p>") for anything less than a real parser.
#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <vector>

#include "page_import.hpp"
#include "utf8.hpp"
#include "verbatim.hpp"

namespace cited {
namespace {

struct gumbo_deleter {
  void operator()(GumboOutput* out) const { gumbo_destroy_output(&kGumboDefaultOptions, out); }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? lower(a->value) : std::string();
}

bool is_tag(const GumboNode* n, GumboTag tag) { return n->type == GUMBO_NODE_ELEMENT && n->v.element.tag == tag; }

// Page furniture by its element: never the article's text.
bool furniture_tag(GumboTag tag) {
  static constexpr std::array tags{GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE,  GUMBO_TAG_NOSCRIPT, GUMBO_TAG_TEMPLATE, GUMBO_TAG_NAV,
                                   GUMBO_TAG_FOOTER, GUMBO_TAG_FORM,   GUMBO_TAG_ASIDE,    GUMBO_TAG_IFRAME,   GUMBO_TAG_SVG,
                                   GUMBO_TAG_BUTTON, GUMBO_TAG_SELECT, GUMBO_TAG_INPUT,    GUMBO_TAG_TEXTAREA,
                                   GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED,  GUMBO_TAG_CANVAS,   GUMBO_TAG_HEAD,     GUMBO_TAG_MENU};
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Words in ids, classes and labels that name furniture: "cookie-banner", "site-nav", "navbar".
bool furniture_name(const std::string& names) {
  static constexpr std::array<std::string_view, 17> starts{"cookie", "consent", "gdpr",    "banner",     "nav",      "menu",
                                                           "footer", "breadcrumb", "share", "social",   "newsletter", "subscribe",
                                                           "sidebar", "popup",   "modal",  "skip",    "comment"};
  std::size_t i = 0;
  while (i < names.size()) {
    while (i < names.size() && !std::isalnum(static_cast<unsigned char>(names[i]))) ++i;
    std::size_t end = i;
    while (end < names.size() && std::isalnum(static_cast<unsigned char>(names[end]))) ++end;
    const std::string_view word(names.data() + i, end - i);
    for (const auto start : starts)
      if (word.starts_with(start)) return true;
    i = end;
  }
  return false;
}

bool holds_content(const GumboNode* n) {
  if (n->type != GUMBO_NODE_ELEMENT) return false;
  const GumboTag tag = n->v.element.tag;
  if (tag == GUMBO_TAG_MAIN || tag == GUMBO_TAG_H1) return true;
  const GumboVector& children = n->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    if (holds_content(static_cast<const GumboNode*>(children.data[i]))) return true;
  return false;
}

bool inside_content(const GumboNode* n) {
  for (const GumboNode* p = n->parent; p; p = p->parent)
    if (is_tag(p, GUMBO_TAG_ARTICLE) || is_tag(p, GUMBO_TAG_MAIN)) return true;
  return false;
}

bool is_furniture(const GumboNode* n) {
  const GumboElement& e = n->v.element;
  if (furniture_tag(e.tag)) return true;
  if (e.tag == GUMBO_TAG_UNKNOWN) {
    // Tags newer than gumbo's table (<dialog>) keep only their original text.
    GumboStringPiece name = e.original_tag;
    gumbo_tag_from_original_text(&name);
    if (lower(std::string_view(name.data, name.length)) == "dialog") return true;
  }
  // A <header> of the page is its banner; one of an article holds the article's title.
  if (e.tag == GUMBO_TAG_HEADER && !inside_content(n)) return true;
  if (gumbo_get_attribute(&e.attributes, "hidden") || attribute(e, "aria-hidden") == "true") return true;
  std::string style = attribute(e, "style");
  style.erase(std::remove(style.begin(), style.end(), ' '), style.end());
  if (style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos) return true;
  static constexpr std::array<std::string_view, 9> roles{"navigation", "banner", "contentinfo", "dialog", "alertdialog",
                                                         "search",     "complementary", "menu", "menubar"};
  const std::string role = attribute(e, "role");
  if (std::find(roles.begin(), roles.end(), role) != roles.end()) return true;
  // A wrapper whose class happens to say "has-sidebar" may hold the article itself: keep those.
  const std::string names = attribute(e, "id") + " " + attribute(e, "class") + " " + attribute(e, "aria-label");
  return furniture_name(names) && !holds_content(n);
}

bool is_block(GumboTag tag) {
  static constexpr std::array tags{GUMBO_TAG_P,       GUMBO_TAG_DIV,     GUMBO_TAG_H1,     GUMBO_TAG_H2,      GUMBO_TAG_H3,
                                   GUMBO_TAG_H4,      GUMBO_TAG_H5,      GUMBO_TAG_H6,     GUMBO_TAG_LI,      GUMBO_TAG_UL,
                                   GUMBO_TAG_OL,      GUMBO_TAG_DL,      GUMBO_TAG_DT,     GUMBO_TAG_DD,      GUMBO_TAG_SECTION,
                                   GUMBO_TAG_ARTICLE, GUMBO_TAG_MAIN,    GUMBO_TAG_HEADER, GUMBO_TAG_BLOCKQUOTE, GUMBO_TAG_PRE,
                                   GUMBO_TAG_TABLE,   GUMBO_TAG_TR,      GUMBO_TAG_FIGURE, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_ADDRESS,
                                   GUMBO_TAG_HR,      GUMBO_TAG_BODY,    GUMBO_TAG_CAPTION, GUMBO_TAG_DETAILS, GUMBO_TAG_SUMMARY};
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Lines of text as a reader sees them: a block's words run together, one line per block.
class text_lines {
 public:
  void add(std::string_view words) { current_ += words; }
  // list_item: a list's items (and a table's rows) stand on consecutive lines.
  void end_block(bool list_item) {
    std::string line = collapse_whitespace(current_);
    current_.clear();
    if (line.empty()) return;
    if (!out_.empty()) out_ += (list_item && last_was_item_) || after_break_ ? "\n" : "\n\n";
    out_ += line;
    last_was_item_ = list_item;
    after_break_ = false;
  }
  // After a list or a table, what follows is a new paragraph even if it is a list too.
  void end_list() { last_was_item_ = false; }
  // A <br>: the paragraph goes on, on the next line.
  void break_line() {
    end_block(last_was_item_);
    after_break_ = !out_.empty();
  }
  std::string take() { return out_.empty() ? out_ : out_ + "\n"; }
  std::string first_line() const { return out_.substr(0, out_.find('\n')); }

 private:
  std::string current_, out_;
  bool last_was_item_ = false;
  bool after_break_ = false;
};

void walk(const GumboNode* n, text_lines& lines) {
  if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE || n->type == GUMBO_NODE_CDATA) {
    lines.add(n->v.text.text);
    return;
  }
  if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE) return;
  if (is_furniture(n)) return;
  const GumboElement& e = n->v.element;
  if (e.tag == GUMBO_TAG_BR) {
    lines.break_line();
    return;
  }
  if ((e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH) && n->index_within_parent > 0) {
    // Cells after the first in their row (whitespace nodes between cells count as siblings).
    const GumboVector& row = n->parent->v.element.children;
    for (unsigned i = 0; i < n->index_within_parent; ++i)
      if (is_tag(static_cast<const GumboNode*>(row.data[i]), GUMBO_TAG_TD) || is_tag(static_cast<const GumboNode*>(row.data[i]), GUMBO_TAG_TH)) {
        lines.add(" | ");
        break;
      }
  }
  const bool block = is_block(e.tag);
  const bool item = e.tag == GUMBO_TAG_LI || e.tag == GUMBO_TAG_TR;
  if (block) lines.end_block(false);
  for (unsigned i = 0; i < e.children.length; ++i) walk(static_cast<const GumboNode*>(e.children.data[i]), lines);
  if (block) lines.end_block(item);
  if (e.tag == GUMBO_TAG_UL || e.tag == GUMBO_TAG_OL || e.tag == GUMBO_TAG_TABLE || e.tag == GUMBO_TAG_DL) lines.end_list();
}

const GumboNode* find_first(const GumboNode* n, GumboTag tag, int* count = nullptr) {
  if (n->type != GUMBO_NODE_ELEMENT) return nullptr;
  const GumboNode* found = nullptr;
  if (n->v.element.tag == tag) {
    if (!count) return n;
    ++*count;
    found = n;
  }
  const GumboVector& children = n->v.element.children;
  for (unsigned i = 0; i < children.length; ++i)
    if (const GumboNode* f = find_first(static_cast<const GumboNode*>(children.data[i]), tag, count); f && !found) {
      found = f;
      if (!count) return found;
    }
  return found;
}

std::string text_of(const GumboNode* n) {
  text_lines lines;
  walk(n, lines);
  std::string text = lines.take();
  std::replace(text.begin(), text.end(), '\n', ' ');
  return collapse_whitespace(text);
}

}  // namespace

readable_page read_html(std::string_view html) {
  const std::string valid = sanitize_utf8(html);
  const std::unique_ptr<GumboOutput, gumbo_deleter> doc(
      gumbo_parse_with_options(&kGumboDefaultOptions, valid.data(), valid.size()));
  const GumboNode* body = find_first(doc->root, GUMBO_TAG_BODY);
  if (!body) body = doc->root;
  // The page's own content where it says which it is: <main>, or the <article> that holds the
  // page's heading (a page of several is a list of teasers), or the only one.
  const GumboNode* h1 = find_first(body, GUMBO_TAG_H1);
  const GumboNode* root = find_first(doc->root, GUMBO_TAG_MAIN);
  for (const GumboNode* p = h1; !root && p; p = p->parent)
    if (is_tag(p, GUMBO_TAG_ARTICLE)) root = p;
  int articles = 0;
  const GumboNode* article = find_first(body, GUMBO_TAG_ARTICLE, &articles);
  if (!root && articles == 1) root = article;
  if (!root) root = body;

  readable_page page;
  // The heading names the page; <title> often adds the site's name ("Prices | Northside SMP").
  if (h1) page.title = text_of(h1);
  if (const GumboNode* title = find_first(doc->root, GUMBO_TAG_TITLE); page.title.empty() && title) {
    std::string words;
    const GumboVector& children = title->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type == GUMBO_NODE_TEXT) words += child->v.text.text;
    }
    page.title = collapse_whitespace(words);
  }
  text_lines lines;
  walk(root, lines);
  lines.end_block(false);
  page.text = lines.take();
  // The title standing first again (an <h1> that is the title) is not the article's text.
  if (!page.title.empty() && lines.first_line() == page.title) {
    const auto next = page.text.find_first_not_of('\n', page.title.size());
    page.text = next == std::string::npos ? std::string() : page.text.substr(next);
  }
  return page;
}

}  // namespace cited
