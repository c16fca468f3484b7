#include "reply_limit.hpp"

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include <memory>
#include <stdexcept>

#include "utf8.hpp"

namespace cited::app {
namespace {

// How much of the text before the cut the report quotes.
constexpr std::size_t quoted_bytes = 80;

icu::BreakIterator& sentence_breaker() {
  // One per thread: the server's I/O threads each draft replies.
  thread_local std::unique_ptr<icu::BreakIterator> breaker = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), status));
    if (U_FAILURE(status) || !b) throw std::runtime_error("cannot create ICU's sentence break iterator");
    return b;
  }();
  return *breaker;
}

std::string last_words(std::string_view read) {
  while (!read.empty() && (read.back() == ' ' || read.back() == '\n' || read.back() == '\r' || read.back() == '\t'))
    read.remove_suffix(1);
  std::size_t from = read.size() > quoted_bytes ? read.size() - quoted_bytes : 0;
  // Start on a character, then on a word.
  while (from < read.size() && (static_cast<unsigned char>(read[from]) & 0xC0) == 0x80) ++from;
  if (from > 0) {
    const auto space = read.find(' ', from);
    if (space != std::string_view::npos && space + 1 < read.size()) from = space + 1;
  }
  return std::string(read.substr(from));
}

}  // namespace

email_cut cut_email(std::string_view email, const reply_limits& limits) {
  email_cut out{email, std::nullopt};
  if (email.size() > static_cast<std::size_t>(INT32_MAX) || !is_valid_utf8(email)) return out;
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(icu::StringPiece(email.data(), static_cast<int32_t>(email.size())));
  const auto max_chars = limits.max_chars == 0 ? INT32_MAX : static_cast<int32_t>(std::min<std::size_t>(limits.max_chars, INT32_MAX));
  icu::BreakIterator& breaker = sentence_breaker();
  breaker.setText(text);
  std::size_t sentences = 0;
  int32_t end = breaker.first();
  for (int32_t next = breaker.next(); next != icu::BreakIterator::DONE && next <= max_chars; next = breaker.next()) {
    end = next;
    if (++sentences == limits.max_sentences) break;
  }
  breaker.setText(icu::UnicodeString());
  if (end == 0 && text.length() > max_chars) {
    // One sentence longer than the whole allowance: cut it at a space.
    end = max_chars;
    while (end > 0 && text.charAt(end - 1) != u' ' && text.charAt(end - 1) != u'\n') --end;
    if (end == 0) end = max_chars;
    if (U16_IS_TRAIL(text.charAt(end)) && end > 0) --end;
  }
  if (end >= text.length()) return out;
  // end counts UTF-16 units: the UTF-8 length of what comes before it is where to cut.
  std::string kept;
  text.tempSubStringBetween(0, end).toUTF8String(kept);
  out.read = email.substr(0, kept.size());
  out.not_read_past = last_words(out.read);
  return out;
}

nlohmann::json draft_within_limit(reply_drafter& drafter, std::string_view email, const reply_limits& limits) {
  const email_cut cut = cut_email(email, limits);
  nlohmann::json reply = to_json(drafter.draft(cut.read));
  if (cut.not_read_past) {
    reply["not_read_past_here"] = *cut.not_read_past;
    reply["unanswered"].push_back("The email is longer than the assistant reads: it was not read past here: \"" +
                                  *cut.not_read_past + "\". Please read the rest yourself.");
  }
  return reply;
}

}  // namespace cited::app
