#pragma once
// Scores answers against a question set (tests/eval/FORMAT.md): answer quality is measured,
// not guessed.
#include <string>
#include <string_view>
#include <vector>

#include "answer.hpp"
#include "knowledge.hpp"
#include "reply_drafter.hpp"

namespace cited {

// Groups of strings, each group matched by at least one of its strings: the strict label of the
// real patients' set (tests/eval/real/README.md). A disagreement's groups name each side.
using mention_groups = std::vector<std::vector<std::string>>;

struct eval_case {
  std::string question;
  answer_status expect = answer_status::answered;
  bool calm = false;                // a look-alike of a red flag: any reply but urgent is right
  std::vector<std::string> cite;    // one of these must stand in a cited quote
  std::vector<std::string> facts;   // or one of these facts must be the answer's
  mention_groups must_mention;      // or, strictly: every group in the answer's text or quotes
  bool conflict = false;            // the answer must show the disagreement
};

// Parses one JSON Lines entry of either format: the project's ("q", "expect", "cite") or the
// real set's ("question", "answerable", "must_mention_any"); throws std::invalid_argument
// naming what is wrong.
eval_case parse_eval_case(std::string_view json_line);

// One post of the real set's emails.jsonl: the text and the questions it asks.
struct email_part {
  std::string question;
  bool answerable = false;
  mention_groups must_mention;
  bool conflict = false;
};
struct email_case {
  std::string text;
  std::vector<email_part> parts;
};
email_case parse_email_case(std::string_view json_line);

// True when every group has a string in text (case-insensitive, curly apostrophes straight).
bool mentions_all(const mention_groups& groups, std::string_view text);

struct tally {
  int right = 0;
  int total = 0;
  double share() const { return total ? static_cast<double>(right) / total : 1.0; }
  void count(bool ok) { right += ok ? 1 : 0; ++total; }
};

struct eval_failure {
  std::string question;
  std::string expected;
  std::string got;
};

struct eval_report {
  tally answerable;   // answered with a right citation: top-1 accuracy
  tally abstention;   // no_answer where the sources have nothing
  tally urgent;
  tally small_talk;
  tally conflicts;    // of the answerable ones marked conflict: shown as a disagreement
  tally overall;      // every question, right or not
  tally citations;    // every citation given: verbatim in its source
  tally numbers;      // every answer: states no number its quotes don't
  tally calm;         // red-flag look-alikes: not answered as urgent
  tally email_answered;  // an email's answerable questions: answered in the draft, every group
  tally email_listed;    // an email's unanswerable questions: listed for staff
  tally email_on_point;  // every answer a draft gives: answers one of the email's questions
  std::vector<eval_failure> failures;
};

// Adds one question's answer to report.
void score(const eval_case& c, const answer& a, const knowledge_base& kb, eval_report& report);
// Adds one email's suggested reply to report.
void score(const email_case& c, const suggested_reply& r, const knowledge_base& kb, eval_report& report);

}  // namespace cited
