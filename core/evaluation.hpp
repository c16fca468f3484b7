#pragma once
// Scores answers against a question set (tests/eval/FORMAT.md): answer quality is measured,
// not guessed.
#include <string>
#include <string_view>
#include <vector>

#include "answer.hpp"
#include "knowledge.hpp"

namespace cited {

struct eval_case {
  std::string question;
  answer_status expect = answer_status::answered;
  std::vector<std::string> cite;   // one of these must stand in a cited quote
  std::vector<std::string> facts;  // or one of these facts must be the answer's
  bool conflict = false;           // the answer must show the disagreement
};

// Parses one JSON Lines entry; throws std::invalid_argument naming what is wrong.
eval_case parse_eval_case(std::string_view json_line);

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
  std::vector<eval_failure> failures;
};

// Adds one question's answer to report.
void score(const eval_case& c, const answer& a, const knowledge_base& kb, eval_report& report);

}  // namespace cited
