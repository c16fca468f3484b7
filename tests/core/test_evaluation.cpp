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

TEST(evaluation, the_real_sets_label_needs_every_group_in_the_text_or_quotes) {
  const knowledge_base kb = one_source();
  const char* both = R"({"question": "How Much Is It?", "answerable": true, "must_mention_any": [["$500"], ["per session", "each visit"]]})";
  const char* three = R"({"question": "price?", "answerable": true, "must_mention_any": [["500"], ["months"]]})";
  eval_report r;
  score(parse_eval_case(both), answered_with("Most clinics charge between $500 and $3000 per session."), kb, r);
  score(parse_eval_case(three), answered_with("Most clinics charge between $500 and $3000 per session."), kb, r);
  EXPECT_EQ(r.answerable.right, 1);
  EXPECT_EQ(r.answerable.total, 2);
  // Matched case-insensitively, with curly apostrophes read as straight.
  EXPECT_TRUE(mentions_all({{"DOESN'T increase"}}, "it doesn\xE2\x80\x99t increase hair"));
  EXPECT_FALSE(mentions_all({{"increase"}, {"permanent"}}, "it doesn't increase hair"));
  // Unanswerable: right only as no_answer.
  const auto none = parse_eval_case(R"({"question": "Is it reversible?", "answerable": false, "must_mention_any": []})");
  EXPECT_EQ(none.expect, answer_status::no_answer);
  EXPECT_THROW(parse_eval_case(R"({"question": "x", "answerable": true, "must_mention_any": []})"), std::invalid_argument);
  EXPECT_THROW(parse_eval_case(R"({"question": "x", "answerable": true, "must_mention_any": [[]]})"), std::invalid_argument);
}

TEST(evaluation, a_disagreement_is_right_only_with_both_sides) {
  knowledge_base kb;
  kb.sources = {{"s1", "T", "The results are permanent. The pigment will fade over time."}};
  answer one_side;
  one_side.status = answer_status::answered;
  one_side.text = "It is permanent [1].";
  one_side.citations = {{1, "s1", "T", "The results are permanent."}};
  answer both = one_side;
  both.text = "The sources disagree: permanent [1], or fades [2].";
  both.citations.push_back({2, "s1", "T", "The pigment will fade over time."});
  both.conflict = true;
  const auto c = parse_eval_case(R"({"question": "Is it permanent?", "answerable": true, "conflict": true, "must_mention_any": [["permanent"], ["fade"]]})");
  eval_report r;
  score(c, one_side, kb, r);
  score(c, both, kb, r);
  EXPECT_EQ(r.answerable.right, 1);
  EXPECT_EQ(r.conflicts.right, 1);
  EXPECT_EQ(r.conflicts.total, 2);
}

TEST(evaluation, a_red_flag_look_alike_is_right_when_it_is_not_urgent) {
  answer urgent;
  urgent.status = answer_status::urgent;
  answer none;
  none.status = answer_status::no_answer;
  const auto c = parse_eval_case(R"({"q": "is some redness normal?", "expect": "calm"})");
  EXPECT_TRUE(c.calm);
  eval_report r;
  score(c, urgent, one_source(), r);
  score(c, answered_with("Most clinics charge between $500 and $3000 per session."), one_source(), r);
  score(c, none, one_source(), r);
  EXPECT_EQ(r.calm.right, 2);
  EXPECT_EQ(r.calm.total, 3);
  EXPECT_EQ(r.answerable.total, 0);
}

TEST(evaluation, an_email_is_judged_question_by_question) {
  const auto c = parse_email_case(R"({"text": "How much is it? Do you do payment plans? Is it open Sunday?", "questions": [
      {"question": "price", "answerable": true, "must_mention_any": [["500"]]},
      {"question": "payment plans", "answerable": false, "must_mention_any": []},
      {"question": "sunday", "answerable": false}]})");
  ASSERT_EQ(c.parts.size(), 3u);
  suggested_reply reply;
  reply.draft = "Hi,\n\nMost clinics charge between $500 and $3000 per session [1].";
  reply.questions.push_back({"How much is it?", answered_with("Most clinics charge between $500 and $3000 per session.")});
  answer stray = answered_with("Most clinics charge between $500 and $3000 per session.");
  stray.text = "Something else entirely [1].";
  stray.citations[0].quote = "Something else.";
  reply.questions.push_back({"Is it open Sunday?", stray});
  reply.unanswered = {"Do you do payment plans?"};
  eval_report r;
  score(c, reply, one_source(), r);
  EXPECT_EQ(r.email_answered.right, 1);
  EXPECT_EQ(r.email_answered.total, 1);
  EXPECT_EQ(r.email_listed.right, 1);   // one of the two unanswerable questions listed
  EXPECT_EQ(r.email_listed.total, 2);
  EXPECT_EQ(r.email_on_point.right, 1);  // the Sunday answer answers none of its questions
  EXPECT_EQ(r.email_on_point.total, 2);
}
