#include "reply_drafter.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cited {
namespace {

answer answered(std::string text, std::vector<numbered_citation> cites, bool conflict = false) {
  answer a;
  a.status = answer_status::answered;
  a.answer_id = "a-1";
  a.text = std::move(text);
  a.citations = std::move(cites);
  a.conflict = conflict;
  a.topic = "cost";
  return a;
}

answer with_status(answer_status s, std::string text, std::vector<numbered_citation> cites = {}) {
  answer a;
  a.status = s;
  a.answer_id = "a-2";
  a.text = std::move(text);
  a.citations = std::move(cites);
  return a;
}

const numbered_citation price{1, "001", "Is SMP Surgical?", "Most clinics charge between $500 and $3000 per session."};
const numbered_citation painless{1, "001", "Is SMP Surgical?", "The procedure is relatively painless."};
const numbered_citation numbing{2, "002", "How it Works", "Local anesthesia is applied."};
const numbered_citation infection{1, "001", "Is SMP Surgical?", "Signs of infection include redness, swelling, pain, and pus."};

std::vector<reply_question> sample() {
  return {
      {"How much does it cost?", answered("Most clinics charge between $500 and $3000 per session [1].", {price})},
      {"Does it hurt?", answered("The sources disagree. One says it is relatively painless [1]. Another says local anaesthesia is used [2].",
                                 {painless, numbing}, true)},
      {"Do you offer financing?", with_status(answer_status::no_answer, "I'm sorry, ...")},
  };
}

TEST(compose_draft, greets_by_name_or_hello) {
  EXPECT_EQ(compose_draft("Sam", sample(), {}).rfind("Hi Sam,\n\n", 0), 0u);
  EXPECT_EQ(compose_draft(std::nullopt, sample(), {}).rfind("Hello,\n\n", 0), 0u);
}

TEST(compose_draft, numbers_sources_across_the_draft_and_lists_them_at_the_end) {
  const std::string d = compose_draft("Sam", sample(), {"Do you offer financing?"});
  EXPECT_NE(d.find("How much does it cost?\nMost clinics charge between $500 and $3000 per session [1]."), std::string::npos);
  EXPECT_NE(d.find("relatively painless [2]. Another says local anaesthesia is used [3]."), std::string::npos);
  EXPECT_NE(d.find("\nSources:\n"
                   "[1] Is SMP Surgical?: \"Most clinics charge between $500 and $3000 per session.\"\n"
                   "[2] Is SMP Surgical?: \"The procedure is relatively painless.\"\n"
                   "[3] How it Works: \"Local anesthesia is applied.\"\n"),
            std::string::npos)
      << d;
  EXPECT_EQ(d.back(), '\n');
}

TEST(compose_draft, one_quote_gets_one_number) {
  std::vector<reply_question> qs{
      {"How much?", answered("Clinics charge $500 to $3000 [1].", {price})},
      {"Cost per session?", answered("Per session: $500 to $3000 [1].", {price})},
  };
  const std::string d = compose_draft(std::nullopt, qs, {});
  EXPECT_EQ(d.find("[2]"), std::string::npos) << d;
  EXPECT_NE(d.find("Per session: $500 to $3000 [1]."), std::string::npos);
}

TEST(compose_draft, every_marker_has_a_source_and_every_source_a_marker) {
  const std::string d = compose_draft("Sam", sample(), {"Do you offer financing?"});
  const std::string body = d.substr(0, d.find("\nSources:\n"));
  const std::string listing = d.substr(d.find("\nSources:\n"));
  std::set<std::string> used, listed;
  static const std::regex marker(R"(\[(\d+)\])");
  for (std::sregex_iterator it(body.begin(), body.end(), marker), end; it != end; ++it) used.insert((*it)[1]);
  static const std::regex line(R"(\n\[(\d+)\] )");
  for (std::sregex_iterator it(listing.begin(), listing.end(), line), end; it != end; ++it) listed.insert((*it)[1]);
  EXPECT_EQ(used, listed);
}

TEST(compose_draft, states_disagreements_plainly) {
  const std::string d = compose_draft("Sam", sample(), {});
  EXPECT_NE(d.find("Does it hurt?\nThe sources disagree: one says it is relatively painless [2]."), std::string::npos) << d;
  std::vector<reply_question> qs{{"Is it permanent?", answered("One source says it is permanent [1]. Another says it fades [2].",
                                                                {painless, numbing}, true)}};
  EXPECT_NE(compose_draft(std::nullopt, qs, {}).find("The sources disagree: one source says it is permanent [1]."),
            std::string::npos);
}

TEST(compose_draft, lists_what_staff_must_answer_without_a_paragraph_for_it) {
  const std::string d = compose_draft("Sam", sample(), {"Do you offer financing?"});
  EXPECT_NE(d.find("A member of our team will answer these personally:\n- Do you offer financing?\n"), std::string::npos);
  EXPECT_EQ(d.find("Do you offer financing?\nI'm sorry"), std::string::npos);
  EXPECT_EQ(d.find("I'm sorry"), std::string::npos);
}

TEST(compose_draft, puts_an_urgent_warning_first) {
  auto qs = sample();
  qs.insert(qs.begin(), {"My scalp is oozing pus and I have a fever.",
                         with_status(answer_status::urgent,
                                     "What you describe could need medical attention. Please contact a doctor or the clinic now.\n\n"
                                     "Signs of infection include redness, swelling, pain and pus [1].",
                                     {infection})});
  const std::string d = compose_draft("Sam", qs, {"Do you offer financing?"});
  const std::size_t warning = d.find("IMPORTANT: you wrote \"My scalp is oozing pus and I have a fever.\"");
  ASSERT_NE(warning, std::string::npos) << d;
  EXPECT_LT(warning, d.find("Thank you for your email"));
  EXPECT_LT(warning, d.find("How much does it cost?"));
  EXPECT_NE(d.find("contact a doctor or the clinic now. Signs of infection include redness, swelling, pain and pus [1]."),
            std::string::npos);
  EXPECT_NE(d.find("per session [2]"), std::string::npos);
  EXPECT_NE(d.find("[1] Is SMP Surgical?: \"Signs of infection"), std::string::npos);
}

TEST(compose_draft, says_staff_will_reply_when_nothing_was_found) {
  const std::string d = compose_draft(std::nullopt, {}, {});
  EXPECT_NE(d.find("A member of our team will get back to you personally."), std::string::npos);
  EXPECT_EQ(d.find("Sources:"), std::string::npos);
  EXPECT_EQ(d.find('['), std::string::npos);
}

TEST(compose_draft, patient_text_cannot_pose_as_a_source_number) {
  std::vector<reply_question> qs{{"What does [1] mean?", answered("Clinics charge $500 to $3000 [1].", {price})}};
  const std::string d = compose_draft(std::nullopt, qs, {"See [7] please"});
  EXPECT_NE(d.find("What does (1) mean?"), std::string::npos);
  EXPECT_NE(d.find("- See (7) please"), std::string::npos);
}

TEST(reply_json, matches_the_wire_contract) {
  suggested_reply r;
  r.questions = sample();
  r.unanswered = {"Do you offer financing?"};
  r.name = "Sam";
  r.draft = compose_draft(r.name, r.questions, r.unanswered);
  const auto j = to_json(r);
  EXPECT_EQ(j.at("type"), "reply");
  EXPECT_EQ(j.at("draft"), r.draft);
  ASSERT_EQ(j.at("questions").size(), 3u);
  EXPECT_EQ(j.at("questions")[0].at("question"), "How much does it cost?");
  const auto& a = j.at("questions")[0].at("answer");
  EXPECT_EQ(a.at("type"), "answer");
  EXPECT_EQ(a.at("status"), "answered");
  EXPECT_EQ(a.at("citations")[0].at("n"), 1);
  EXPECT_EQ(a.at("citations")[0].at("quote"), price.quote);
  // Each answer keeps its own numbering, as the answer object promises.
  EXPECT_EQ(j.at("questions")[1].at("answer").at("citations")[0].at("n"), 1);
  EXPECT_EQ(j.at("unanswered"), nlohmann::json::array({"Do you offer financing?"}));
  EXPECT_EQ(j.at("name"), "Sam");
  EXPECT_EQ(j.at("urgent"), false);
  EXPECT_EQ(to_json_line(r).find('\n'), std::string::npos);
}

TEST(reply_json, survives_ill_formed_text) {
  suggested_reply r;
  r.draft = "bad \xC3 byte";
  EXPECT_NO_THROW(to_json_line(r));
}

}  // namespace
}  // namespace cited
