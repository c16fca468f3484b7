#include "evaluation.hpp"

#include <gtest/gtest.h>

using namespace cited;

namespace {
knowledge_base one_source() {
  knowledge_base kb;
  kb.sources = {{"s1", "T", "Most clinics charge between $500 and $3000 per session."}};
  return kb;
}
answer answered_with(std::string quote) {
  answer a;
  a.status = answer_status::answered;
  a.text = "Between $500 and $3000 [1].";
  a.citations = {{1, "s1", "T", std::move(quote)}};
  a.facts = {"cost"};
  return a;
}
}  // namespace

TEST(evaluation, parses_the_question_set_format) {
  const auto c = parse_eval_case(R"({"q": "price?", "expect": "answered", "cite": ["$500"], "conflict": true})");
  EXPECT_EQ(c.question, "price?");
  EXPECT_EQ(c.expect, answer_status::answered);
  EXPECT_EQ(c.cite, std::vector<std::string>{"$500"});
  EXPECT_TRUE(c.conflict);
  EXPECT_THROW(parse_eval_case(R"({"q": "x", "expect": "maybe"})"), std::invalid_argument);
  EXPECT_THROW(parse_eval_case(R"({"q": "x"})"), std::invalid_argument);  // answerable needs cite or facts
  EXPECT_THROW(parse_eval_case("not json"), std::invalid_argument);
}

TEST(evaluation, an_answer_is_right_when_it_quotes_what_was_expected) {
  const knowledge_base kb = one_source();
  eval_report r;
  score(parse_eval_case(R"({"q": "price", "cite": ["CHARGE BETWEEN $500"]})"), answered_with("Most clinics charge between $500 and $3000 per session."), kb, r);
  score(parse_eval_case(R"({"q": "price", "cite": ["painless"]})"), answered_with("Most clinics charge between $500 and $3000 per session."), kb, r);
  score(parse_eval_case(R"({"q": "price", "facts": ["cost"]})"), answered_with("Most clinics charge between $500 and $3000 per session."), kb, r);
  EXPECT_EQ(r.answerable.right, 2);
  EXPECT_EQ(r.answerable.total, 3);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.citations.right, 3);
}

TEST(evaluation, counts_citations_that_are_not_verbatim) {
  eval_report r;
  score(parse_eval_case(R"({"q": "price", "facts": ["cost"]})"), answered_with("Most clinics charge $1."), one_source(), r);
  EXPECT_EQ(r.citations.right, 0);
  EXPECT_EQ(r.citations.total, 1);
  EXPECT_EQ(r.numbers.right, 0);  // the text says $500, which this quote doesn't
}

TEST(evaluation, scores_abstention_separately) {
  eval_report r;
  answer none;
  none.status = answer_status::no_answer;
  score(parse_eval_case(R"({"q": "opening hours", "expect": "no_answer"})"), none, one_source(), r);
  score(parse_eval_case(R"({"q": "price", "expect": "no_answer"})"), answered_with("x"), one_source(), r);
  EXPECT_EQ(r.abstention.right, 1);
  EXPECT_EQ(r.abstention.total, 2);
  EXPECT_EQ(r.overall.total, 2);
}
