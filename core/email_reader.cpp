#include "email_reader.hpp"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdint>

#include "email_lines.hpp"
#include "email_markup.hpp"
#include "email_names.hpp"
#include "email_questions.hpp"
#include "email_text.hpp"
#include "utf8.hpp"

// The order of reading, and ICU's sentences. Each step is in a file of its own: email_markup
// (the bytes to plain text), email_lines (the patient's own lines, as paragraphs), email_names
// (the name to greet), email_questions (the questions), all on email_text's tools.

namespace cited {

using namespace email_detail;

email_error::email_error(email_problem problem, const std::string& message)
    : std::invalid_argument(message), problem_(problem) {}

std::string_view email_error::code() const {
  switch (problem_) {
    case email_problem::too_large: return "too_large";
    case email_problem::bad_utf8: return "bad_utf8";
    default: return "bad_request";
  }
}

namespace {

// s trimmed, each run of whitespace in it one space.
std::string collapse_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : trim(s)) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// s cut at each "\n", which tidy_characters made the only line break.
std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) {
      lines.emplace_back(s.substr(start));
      break;
    }
    lines.emplace_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

}  // namespace

email_reader::email_reader(const email_limits& limits) : limits_(limits) {
  UErrorCode status = U_ZERO_ERROR;
  // "ss=standard" keeps "Dr. Patel" and "e.g. this" in one sentence.
  breaker_.reset(icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
  if (U_FAILURE(status) || !breaker_) {
    status = U_ZERO_ERROR;
    breaker_.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getEnglish(), status));
  }
  if (U_FAILURE(status) || !breaker_) throw std::runtime_error("cannot create ICU's sentence break iterator");
}

email_reader::~email_reader() = default;

std::vector<std::string> email_reader::sentences(std::string_view text) const {
  std::vector<std::string> out;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  breaker_->setText(u);
  std::int32_t start = breaker_->first();
  for (std::int32_t end = breaker_->next(); end != icu::BreakIterator::DONE; start = end, end = breaker_->next()) {
    std::string s;
    u.tempSubStringBetween(start, end).toUTF8String(s);
    s = collapse_spaces(s);
    if (s.empty()) continue;
    // ICU's English exceptions know "Mr." and "Prof." but not "Dr.", which patients write often.
    if (!out.empty() && (ends_with(out.back(), " Dr.") || out.back() == "Dr." || ends_with(out.back(), " Drs.")) &&
        is_upper(s.front()) && out.back().size() < 4000) {
      out.back() += " " + s;
      continue;
    }
    // A run-on sentence of thousands of characters is no question anyone asks; keep it bounded.
    if (s.size() > 4000) s = std::string(utf8_prefix(s, 4000));
    out.push_back(std::move(s));
    if (out.size() >= limits_.max_sentences) break;
  }
  breaker_->setText(icu::UnicodeString());
  return out;
}

patient_email email_reader::read(std::string_view raw) const {
  check_email(raw, limits_);
  std::string text = tidy_characters(raw);
  text = looks_like_html(text) ? html_to_text(text) : decode_entities(text);

  std::vector<std::string> lines = split_lines(text);
  const top_headers headers = strip_top_headers(lines);
  std::optional<std::string> signature_name;
  std::vector<std::string> own = own_lines(lines, &signature_name);
  auto blank = [](const std::vector<std::string>& ls) {
    return std::all_of(ls.begin(), ls.end(), [](const std::string& l) { return trim(l).empty(); });
  };
  if (blank(own)) {
    // Nothing but quoted text: then the quoted text is what there is to read.
    std::vector<std::string> unquoted;
    for (const auto& l : lines) {
      std::string_view t = trim(l);
      while (!t.empty() && t.front() == '>') t = trim(t.substr(1));
      unquoted.emplace_back(t);
    }
    own = own_lines(unquoted);
  }
  if (!headers.subject.empty() && ends_with(trim(headers.subject), "?")) own.insert(own.begin(), {headers.subject, ""});

  patient_email email;
  // The sign-off ("Thanks,\nSam\n07700 900123") or a bare name closing the email, and the name there.
  email.name = take_closing_name(own);
  // The greeting line ("Hi there,") says nothing to answer.
  drop_greeting(own);

  email.body = std::string(trim(unwrap(own)));
  email.sentences = sentences(email.body);
  // A sign-off run into the last line: "... how much is it? Thanks, Sam".
  for (int k = 0; k < 2 && !email.sentences.empty(); ++k) {
    auto s = sign_off(email.sentences.back());
    if (!s) break;
    if (!s->empty() && !email.name) email.name = *s;
    email.sentences.pop_back();
  }
  if (!email.name)
    for (std::size_t i = 0; i < email.sentences.size() && !email.name; ++i)
      email.name = name_in_sentence(email.sentences[i], i < 3);
  if (!email.name) email.name = signature_name;
  if (!email.name) email.name = headers.from_name;

  std::vector<bool> items(email.sentences.size(), false);
  for (std::size_t i = 0; i < email.sentences.size(); ++i) {
    if (!starts_with(email.sentences[i], list_mark)) continue;
    items[i] = true;
    email.sentences[i].erase(0, list_mark.size());
  }

  email.questions = find_questions(email.sentences, items, limits_.max_questions);
  return email;
}

}  // namespace cited
