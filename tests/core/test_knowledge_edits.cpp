// A draft's edits applied to a knowledge base, the corpus's version, what changed between two
// corpora, and an answer as a patient sees it.
#include <gtest/gtest.h>

#include "knowledge_edits.hpp"
#include "small_knowledge.hpp"

namespace cited {
namespace {

using nlohmann::json;

knowledge_edit edit(const json& j) { return edit_from_json(j); }

TEST(knowledge_edits, each_kind_applies_in_order) {
  knowledge_base kb = *fixtures::small_knowledge();
  fact added = kb.facts.front();
  added.id = "cost-plans";
  added.questions = {"do you offer payment plans"};
  fact changed = *kb.find_fact("pain");
  changed.answer = "It is relatively painless [1]; local anesthesia is applied [2].";
  const auto conflicts = apply_edits(
      kb, {edit({{"kind", "fact_added"}, {"fact", fact_to_json(added)}}),
           edit({{"kind", "fact_changed"}, {"fact", fact_to_json(changed)}}),
           edit({{"kind", "phrasing_added"}, {"fact_id", "cost"}, {"phrasing", "what does a session cost"}}),
           edit({{"kind", "fact_removed"}, {"fact_id", "microblading-duration"}}),
           edit({{"kind", "source_added"}, {"source", {{"id", "clinic_1"}, {"title", "Prices"}, {"text", "A session is 400 pounds."}}}})});
  EXPECT_TRUE(conflicts.empty());
  ASSERT_NE(kb.find_fact("cost-plans"), nullptr);
  EXPECT_EQ(kb.find_fact("pain")->answer, changed.answer);
  EXPECT_EQ(kb.find_fact("cost")->questions.back(), "what does a session cost");
  EXPECT_EQ(kb.find_fact("microblading-duration"), nullptr);
  // A removed fact is no longer offered as a follow-up.
  const auto& related = kb.find_fact("cost")->related;
  EXPECT_EQ(std::find(related.begin(), related.end(), "microblading-duration"), related.end());
  ASSERT_NE(kb.find_source("clinic_1"), nullptr);
}

TEST(knowledge_edits, an_edit_that_no_longer_fits_is_reported_and_left_out) {
  knowledge_base kb = *fixtures::small_knowledge();
  fact again = kb.facts.front();
  const auto conflicts = apply_edits(
      kb, {edit({{"kind", "fact_removed"}, {"fact_id", "pain"}}),
           edit({{"kind", "phrasing_added"}, {"fact_id", "pain"}, {"phrasing", "will it sting"}}),
           edit({{"kind", "fact_added"}, {"fact", fact_to_json(again)}}),
           edit({{"kind", "source_added"}, {"source", {{"id", "s1"}, {"title", "Other"}, {"text", "Other text."}}}})});
  ASSERT_EQ(conflicts.size(), 3u);
  EXPECT_EQ(conflicts[0].edit, 1u);
  EXPECT_EQ(conflicts[0].fact, "pain");
  EXPECT_EQ(conflicts[1].edit, 2u);
  EXPECT_EQ(conflicts[2].edit, 3u);
  EXPECT_EQ(kb.facts.size(), fixtures::small_knowledge()->facts.size() - 1);
}

TEST(knowledge_edits, malformed_edits_say_what_is_wrong) {
  EXPECT_THROW(edit({{"kind", "fact_renamed"}}), std::invalid_argument);
  EXPECT_THROW(edit({{"kind", "fact_changed"}}), std::invalid_argument);
  EXPECT_THROW(edit({{"kind", "phrasing_added"}, {"fact_id", "cost"}, {"phrasing", "  "}}), std::invalid_argument);
  EXPECT_THROW(edit({{"kind", "fact_added"}, {"fact", {{"id", "x"}, {"topic", "t"}, {"answer", "a"}, {"conflict", "yes"}}}}),
               std::invalid_argument);
  try {
    edit({{"kind", "fact_removed"}});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fact_id"), std::string::npos);
  }
}

TEST(knowledge_edits, an_edit_and_a_corpus_survive_their_json) {
  const knowledge_base kb = *fixtures::small_knowledge();
  const knowledge_edit e = edit({{"kind", "fact_changed"}, {"fact", fact_to_json(kb.facts[1])}});
  EXPECT_EQ(to_json(edit_from_json(to_json(e))), to_json(e));
  const knowledge_base back = corpus_from_json(corpus_to_json(kb), kb);
  EXPECT_EQ(knowledge_version(back), knowledge_version(kb));
  EXPECT_EQ(corpus_to_json(back), corpus_to_json(kb));
}

TEST(knowledge_edits, any_change_to_a_fact_or_source_is_another_version) {
  const knowledge_base kb = *fixtures::small_knowledge();
  const std::string v = knowledge_version(kb);
  EXPECT_EQ(v.size(), 18u);
  EXPECT_EQ(v.rfind("v-", 0), 0u);
  knowledge_base phrased = kb;
  phrased.facts[0].questions.emplace_back("one more");
  knowledge_base retitled = kb;
  retitled.sources[0].title += "!";
  knowledge_base clinic = kb;
  clinic.facts[0].clinic = true;
  EXPECT_NE(knowledge_version(phrased), v);
  EXPECT_NE(knowledge_version(retitled), v);
  EXPECT_NE(knowledge_version(clinic), v);
  EXPECT_EQ(knowledge_version(knowledge_base(kb)), v);
}

TEST(knowledge_edits, changes_between_two_corpora_name_each_fact_and_source) {
  const knowledge_base from = *fixtures::small_knowledge();
  knowledge_base to = from;
  to.facts[0].answer += " More.";
  to.facts.erase(to.facts.begin() + 1);
  fact extra = to.facts[0];
  extra.id = "extra";
  to.facts.push_back(extra);
  to.sources.push_back({"clinic_1", "Prices", "A session is 400 pounds.", true});
  const auto changes = changes_between(from, to);
  const json j = to_json(changes);
  ASSERT_EQ(changes.size(), 4u) << j;
  EXPECT_EQ(changes[0].kind, "fact_changed");
  EXPECT_EQ(changes[0].id, "cost");
  EXPECT_EQ(changes[0].label, "how much does it cost");
  EXPECT_EQ(changes[1].kind, "fact_added");
  EXPECT_EQ(changes[2].kind, "fact_removed");
  EXPECT_EQ(changes[2].id, "pain");
  EXPECT_EQ(changes[3].kind, "source_added");
  EXPECT_TRUE(changes_between(from, from).empty());
}

TEST(knowledge_edits, a_visible_answer_leaves_out_the_random_id) {
  answer a;
  a.status = answer_status::answered;
  a.text = "Most clinics charge between $500 and $3000 per session [1].";
  a.citations = {{1, "s1", "Costs and pain", "Most clinics charge between $500 and $3000 per session."}};
  a.facts = {"cost"};
  a.answer_id = "a-1";
  answer b = a;
  b.answer_id = "a-2";
  EXPECT_EQ(visible_answer(a), visible_answer(b));
  b.citations[0].quote = "Another quote.";
  EXPECT_NE(visible_answer(a), visible_answer(b));
}

}  // namespace
}  // namespace cited
