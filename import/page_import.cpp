#include "page_import.hpp"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace cited {
namespace {

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "Café prices & packages" -> "cafe prices & packages": ids are ASCII, so that they are file
// names and URLs anywhere.
std::string ascii_of(std::string_view title) {
  static std::mutex guard;
  static std::unique_ptr<icu::Transliterator> to_ascii = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    return U_SUCCESS(status) ? std::move(t) : nullptr;
  }();
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(title.data(), static_cast<int32_t>(title.size())));
  if (to_ascii) {
    const std::lock_guard lock(guard);
    to_ascii->transliterate(text);
  }
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string kebab_case(std::string_view title) {
  std::string out;
  int words = 0;
  bool gap = false;
  for (const char c : lower_ascii(ascii_of(title))) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (gap && !out.empty()) {
        if (++words == 6) break;
        out += '-';
      }
      gap = false;
      out += c;
    } else {
      gap = true;
    }
  }
  return out.empty() ? "page" : out;
}

// FNV-1a: a stable hash, the same on every machine and build, unlike std::hash.
std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (const char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::optional<page_format> format_of(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string ext = lower_ascii(file_name.substr(dot + 1));
  if (ext == "txt" || ext == "text") return page_format::text;
  if (ext == "md" || ext == "markdown") return page_format::markdown;
  if (ext == "html" || ext == "htm") return page_format::html;
  return std::nullopt;
}

readable_page read_page(std::string_view content, page_format format) {
  switch (format) {
    case page_format::html: return read_html(content);
    case page_format::markdown: return read_markdown(content);
    case page_format::text: break;
  }
  return read_plain_text(content);
}

std::string new_source_id(std::string_view title, std::string_view text, const knowledge_base& kb) {
  const std::string stem = kebab_case(title);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  for (const int digits : {8, 16}) {
    std::string id = stem + "-" + std::string(hex, static_cast<std::size_t>(digits));
    const source_document* same = kb.find_source(id);
    if (!same || same->text == text) return id;
  }
  // Another text under the full hash: unheard of, but the id must still be new.
  for (int n = 2;; ++n) {
    std::string id = stem + "-" + hex + "-" + std::to_string(n);
    if (!kb.find_source(id)) return id;
  }
}

source_document make_source(const readable_page& page, const knowledge_base& kb, bool clinic) {
  if (page.title.empty()) throw std::invalid_argument("The page has no title: give it one.");
  if (page.text.find_first_not_of(" \t\r\n") == std::string::npos) throw std::invalid_argument("The page has no text we could read.");
  source_document s;
  s.id = new_source_id(page.title, page.text, kb);
  s.title = page.title;
  s.text = page.text;
  s.clinic = clinic;
  return s;
}

}  // namespace cited
