// Fuzzes reading a patient's email and drafting the reply: bytes -> email_reader (and its
// steps: HTML, entities, quoted history, sign-offs) -> reply_drafter over the real index.
// Only email_error may escape, and everything that comes out is valid UTF-8 and valid JSON.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer_engine.hpp"
#include "email_reader.hpp"
#include "fuzz_support.hpp"
#include "reply_drafter.hpp"
#include "utf8.hpp"

namespace {

using namespace cited;

struct drafting {
  answer_engine engine;
  reply_drafter drafter;
  email_reader reader;

  drafting()
      : engine(fuzz::bundled_index::get().loaded().knowledge, fuzz::bundled_index::get().loaded().words,
               open_retriever(fuzz::bundled_index::get().path())),
        drafter(engine) {}
};

void check_utf8(std::string_view s, std::string_view what) { fuzz::check(is_valid_utf8(s), what, s); }

void check_code(const email_error& e) {
  static const std::set<std::string_view> codes{"bad_request", "too_large", "bad_utf8"};
  fuzz::check(codes.contains(e.code()), "email_error with a code the contract does not know", e.code());
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static drafting d;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const bool valid = is_valid_utf8(raw);

  // The steps on their own: none may throw, and valid text stays valid.
  const std::string decoded = decode_entities(raw);
  const std::string plain = html_to_text(raw);
  (void)looks_like_html(raw);
  const auto lines = lines_of(raw);
  std::optional<std::string> signature;
  const auto own = own_lines(lines, &signature);
  fuzz::check(own.size() <= lines.size(), "own_lines returned more lines than it was given");
  for (const auto& line : lines) (void)sign_off(line);
  if (lines.size() >= 2) (void)same_question(lines[0], lines[1]);
  if (valid) {
    check_utf8(decoded, "decode_entities made invalid UTF-8 of valid text");
    check_utf8(plain, "html_to_text made invalid UTF-8 of valid text");
    for (const auto& s : d.reader.sentences(raw)) check_utf8(s, "a sentence is not valid UTF-8");
  }

  patient_email email;
  try {
    email = d.reader.read(raw);
  } catch (const email_error& e) {
    check_code(e);
    return 0;
  }
  fuzz::check(valid, "read accepted invalid UTF-8");
  const auto& limits = d.reader.limits();
  fuzz::check(email.sentences.size() <= limits.max_sentences, "more sentences than max_sentences");
  fuzz::check(email.questions.size() <= limits.max_questions, "more questions than max_questions");
  check_utf8(email.body, "the body is not valid UTF-8");
  if (email.name) check_utf8(*email.name, "the name is not valid UTF-8");
  for (const auto& q : email.questions) {
    fuzz::check(q.sentence_index < email.sentences.size(), "a question's sentence_index is out of range");
    check_utf8(q.text, "a question is not valid UTF-8");
    check_utf8(q.ask, "a question's ask is not valid UTF-8");
    check_utf8(q.context, "a question's context is not valid UTF-8");
  }

  suggested_reply reply;
  try {
    reply = d.drafter.draft(raw);
  } catch (const email_error& e) {
    fuzz::fail("draft refused an email that read accepted", e.what());
  }
  check_utf8(reply.draft, "the draft is not valid UTF-8");
  const std::string line = to_json_line(reply);
  fuzz::check(line.find('\n') == std::string::npos, "to_json_line wrote more than one line");
  const auto parsed = nlohmann::json::parse(line, nullptr, false);
  fuzz::check(!parsed.is_discarded() && parsed.is_object() && parsed.value("type", "") == "reply",
              "the suggested reply is not a reply object", line);
  return 0;
}
