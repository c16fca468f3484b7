#pragma once
// Drafts the clinic's reply to a patient's email, for staff to check and send: each question
// the email asks is answered by the answer engine, and the draft gathers the answers with their
// sources numbered across the whole draft. The suggested-reply object of ../shared/PROTOCOL.md.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer.hpp"
#include "answer_engine.hpp"
#include "email_reader.hpp"

namespace cited {

struct reply_question {
  std::string question;  // as the patient asked it
  answer reply;          // the engine's answer object; its [n] markers number its own citations
};

struct suggested_reply {
  std::string draft;                      // the reply to send, sources listed at its end
  std::vector<reply_question> questions;  // in the draft's order: urgent first, then the email's
  std::vector<std::string> unanswered;    // what the clinic must answer personally
  std::optional<std::string> name;        // whom the greeting addresses
  bool urgent = false;                    // the email describes red-flag symptoms
};

// The draft for these questions, already answered, in this order:
//   "Hi Sam," (or "Hello,"); an urgent warning first when a question is urgent; a short thanks;
//   one paragraph per answered question, its [n] renumbered across the draft (one quote, one
//   number); disagreements stated plainly ("The sources disagree: ..."); the list of what the
//   clinic must answer personally; a closing; then "[n] Title: "quote"" for every number used.
// Questions that are neither answered nor urgent belong in unanswered; they get no paragraph.
std::string compose_draft(const std::optional<std::string>& name, const std::vector<reply_question>& questions,
                          const std::vector<std::string>& unanswered);

class reply_drafter {
 public:
  // engine must outlive the drafter. Like the engine, a drafter serves one thread.
  explicit reply_drafter(answer_engine& engine, const email_limits& limits = {});

  // The suggested reply to email. Throws email_error for input that is not a readable email
  // (empty, too large, binary, invalid UTF-8); callers map it to their own error (email_error::code()).
  suggested_reply draft(std::string_view text);

  const email_reader& reader() const { return reader_; }

 private:
  answer best_answer(const email_question& q);

  answer_engine& engine_;
  email_reader reader_;
};

// The suggested-reply object: {"type":"reply","draft","questions":[{"question","answer"}],
// "unanswered"}, plus "name" and "urgent".
nlohmann::json to_json(const suggested_reply& r);
// One line of JSON; never throws on odd text (ill-formed UTF-8 is replaced).
std::string to_json_line(const suggested_reply& r);

}  // namespace cited
