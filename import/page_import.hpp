#pragma once
// A clinic's own page, pasted or uploaded, made into a source document: only its readable text
// and its title, under a new id. The text is fixed once added (quotes are checked against it),
// so a new version of a page becomes a new source, and knowledge_base::facts_citing lists the
// facts to review.
#include <optional>
#include <string>
#include <string_view>

#include "knowledge.hpp"

namespace cited {

enum class page_format { text, markdown, html };

// By the file's extension: .txt, .md / .markdown, .html / .htm (any case); nullopt otherwise.
std::optional<page_format> format_of(std::string_view file_name);

struct readable_page {
  std::string title;  // one line; empty when the page has none
  std::string text;   // paragraphs, headings and list items as lines, ending in a newline
};

// Parsed as a browser would (gumbo). The title is the first <h1>, or failing that <title>. Kept:
// the text of <main> (or the <article> holding the <h1>, or the only <article>, or <body>),
// not repeating the title first; paragraphs, headings and list items
// each a line, table rows with " | " between cells. Left out: scripts, styles, forms, navigation,
// headers and footers, asides, hidden elements, and anything whose id, class, role or
// aria-label says cookie, consent, banner, nav, menu, footer, share, newsletter, sidebar...
readable_page read_html(std::string_view html);

// Markdown's syntax taken away: headings' #, emphasis, code marks, list markers, quotes' >;
// links keep their text, images go. The title is the first heading, or the first line.
readable_page read_markdown(std::string_view markdown);

// The first line that is not blank is the title; the rest is the text.
readable_page read_plain_text(std::string_view text);

readable_page read_page(std::string_view content, page_format format);

// A new source's id: its title in kebab-case (ASCII, at most 6 words) and 8 hex digits of its
// text's hash, e.g. "our-prices-3f09a1c2". The same page added twice gets the same id; a new
// version of it, another. Longer hashes where kb already holds that id for other text.
std::string new_source_id(std::string_view title, std::string_view text, const knowledge_base& kb);

// The page as a source with a new id. Throws std::invalid_argument when it has no title or no
// text (the message says so for staff). clinic: the clinic's own page (the usual case here).
source_document make_source(const readable_page& page, const knowledge_base& kb, bool clinic = true);

}  // namespace cited
