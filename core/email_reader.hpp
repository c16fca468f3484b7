#pragma once
// Reads a patient's email the way people write them: it keeps the patient's own words (quoted
// history, signatures, sign-offs and pasted HTML removed, hard-wrapped lines joined), splits them
// into sentences with ICU, and finds the questions, including those asked without a question
// mark ("I'd like to know the price and whether it hurts" is two questions). It also finds the
// name to greet the patient by, when the email gives one.
#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace cited {

// Why an email cannot be read at all.
enum class email_problem { empty, too_large, binary, bad_utf8 };

// Thrown for input that is not an email one can read; what() is one line, fit for a user.
class email_error : public std::invalid_argument {
 public:
  email_error(email_problem problem, const std::string& message);
  email_problem problem() const { return problem_; }
  // The wire contract's error code for it: "bad_request", "too_large" or "bad_utf8".
  std::string_view code() const;

 private:
  email_problem problem_;
};

struct email_question {
  std::string text;        // as the patient asked it, tidied: "Does it hurt?", "I'd like to know the price"
  std::string ask;         // the same, stripped of its frame, for the answer engine: "the price"
  std::string context;     // what its sentence said before it ("I have psoriasis on my scalp,"), or empty
  std::size_t sentence_index = 0;  // into patient_email::sentences
  bool for_staff = false;  // about the clinic itself or asks it to act (book, call back, finance)
  bool follow_up = false;  // leans on what was said before it ("Is this normal?"); context holds that
};

struct patient_email {
  std::optional<std::string> name;        // how to greet the patient ("Sam", "Mr Patel")
  std::string body;                       // the patient's own words, one paragraph per line
  std::vector<std::string> sentences;     // body in sentences, in order
  std::vector<email_question> questions;  // in the email's order, repeats merged
};

struct email_limits {
  std::size_t max_bytes = 1'000'000 - 1;  // an email of 1 MB or more is refused
  std::size_t max_sentences = 2'000;      // sentences past this are not read
  std::size_t max_questions = 40;         // questions past this are not read
};

class email_reader {
 public:
  explicit email_reader(const email_limits& limits = {});
  ~email_reader();
  email_reader(const email_reader&) = delete;
  email_reader& operator=(const email_reader&) = delete;

  // Reads raw, the email as pasted. Throws email_error when it is empty (or only whitespace),
  // too large, binary (NUL bytes or mostly control characters) or not valid UTF-8.
  // Not thread-safe: it reuses one ICU break iterator; use one reader per thread.
  patient_email read(std::string_view raw) const;

  // raw's sentences, by ICU's sentence rules with English abbreviations ("Dr.") suppressed;
  // each line break ends a sentence.
  std::vector<std::string> sentences(std::string_view text) const;

  const email_limits& limits() const { return limits_; }

 private:
  email_limits limits_;
  std::unique_ptr<icu::BreakIterator> breaker_;
};

// The steps of reading, each usable alone.

// Throws email_error unless raw is readable text within limits.
void check_email(std::string_view raw, const email_limits& limits);

// True when text carries HTML markup (pasted from a web mail), not just a stray "<".
bool looks_like_html(std::string_view text);

// text with tags removed (block tags become line breaks), scripts, styles and quoted
// <blockquote>s dropped, and entities decoded.
std::string html_to_text(std::string_view text);

// text with the common named entities (&amp; &nbsp; &rsquo; ...) and numeric ones decoded.
std::string decode_entities(std::string_view text);

// The patient's own lines: quoted history ("On ... wrote:", "> ...", "-----Original Message-----",
// Outlook's "From:/Sent:" block), signatures ("--", "Sent from my iPhone") and disclaimers removed.
// When signature_name is given, it receives the name a "-- " signature starts with.
std::vector<std::string> own_lines(const std::vector<std::string>& lines,
                                   std::optional<std::string>* signature_name = nullptr);

// True when second asks nothing first does not ("How much does it cost?" after "How much does
// SMP cost?"): every word of second that carries meaning is in first.
bool same_question(std::string_view first, std::string_view second);

// The greeting name in a line such as "Thanks, Sam", "Best,", "Cheers!" when it closes an email:
// nullopt when line is no sign-off, an empty string when it is one without a name.
std::optional<std::string> sign_off(std::string_view line);

}  // namespace cited
