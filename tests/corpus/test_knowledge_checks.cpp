// One test per rule of knowledge_checks: each breaks the rule in a sound knowledge base and
// looks for that rule's problem, on the right fact and field, in words staff understand.
#include "knowledge_checks.hpp"

#include <gtest/gtest.h>

#include "corpus_loader.hpp"

using namespace cited;

namespace {

const std::vector<std::string> eight_questions{"price?",          "how much",         "cost?",           "how much is it",
                                               "what do you charge", "price per session", "is it expensive", "how much $$"};

knowledge_base sound_base() {
  knowledge_base kb;
  kb.sources = {{"s1", "Costs",
                 "Most clinics charge between $500 and $3000 per session. The procedure is relatively painless.\n"
                 "Aftercare\n"
                 "Do not wash your scalp for 4 days.",
                 false},
                {"prices", "Our prices", "A session at our clinic costs 450 pounds. We offer payment plans.", true}};
  kb.facts = {{"cost", "cost", eight_questions, "Between $500 and $3000 per session [1].",
               {{"s1", "Most clinics charge between   $500 and $3000\nper session."}}, false, {"our-price"}, false},
              {"our-price", "cost", eight_questions, "A session here costs 450 pounds [1].",
               {{"prices", "A session at our clinic costs 450 pounds."}}, false, {"cost"}, true}};
  kb.words.warning_signs.signs = {{"infection", "test", true, {{{{"pus"}}, 0}}, {}}};
  return kb;
}

fact& cost(knowledge_base& kb) { return kb.facts[0]; }

// The problems of that rule; the test then looks at where they are and what they say.
std::vector<knowledge_problem> of_rule(const std::vector<knowledge_problem>& problems, check_rule rule) {
  std::vector<knowledge_problem> out;
  for (const auto& p : problems)
    if (p.rule == rule) out.push_back(p);
  return out;
}

std::vector<knowledge_problem> of_rule(const knowledge_base& kb, check_rule rule) { return of_rule(check_knowledge(kb), rule); }

bool says(const knowledge_problem& p, const std::string& words) { return p.message.find(words) != std::string::npos; }

}  // namespace

TEST(knowledge_checks, find_nothing_wrong_with_a_sound_knowledge_base) {
  for (const auto& p : check_knowledge(sound_base())) ADD_FAILURE() << describe(p);
}

TEST(knowledge_checks, verbatim_the_quote_must_stand_in_its_source_word_for_word) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "Most clinics charge between $500 and $4000 per session.";
  const auto problems = of_rule(kb, check_rule::verbatim);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].fact, "cost");
  EXPECT_EQ(problems[0].field, "citations[0].quote");
  EXPECT_EQ(problems[0].severity, check_severity::required);
  EXPECT_TRUE(says(problems[0], "This quote is not in the source word for word: the source has \u201CMost clinics charge between $500 and\u201D "
                                "but does not go on with \u201C$4000 per session.\u201D"))
      << problems[0].message;
}

TEST(knowledge_checks, verbatim_names_a_difference_in_capitals_and_a_quote_from_nowhere) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "most clinics charge between $500 and $3000 per session.";
  auto problems = of_rule(kb, check_rule::verbatim);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(says(problems[0], "differs from the source in capital letters")) << problems[0].message;
  cost(kb).citations[0].quote = "Nothing like this is written anywhere.";
  problems = of_rule(kb, check_rule::verbatim);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_TRUE(says(problems[0], "\u201CCosts\u201D has no \u201CNothing like this is written anywhere.\u201D")) << problems[0].message;
}

TEST(knowledge_checks, whole_sentences_a_quote_may_not_start_in_the_middle_of_one) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "clinics charge between $500 and $3000 per session.";
  const auto problems = of_rule(kb, check_rule::whole_sentences);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "citations[0].quote");
  EXPECT_EQ(problems[0].message, "A quote must be whole sentences: it starts in the middle of one, after \u201CMost\u201D");
}

TEST(knowledge_checks, whole_sentences_a_quote_may_not_stop_in_the_middle_of_one) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "Most clinics charge between $500 and $3000";
  const auto problems = of_rule(kb, check_rule::whole_sentences);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].message, "A quote must be whole sentences: it stops in the middle of one, before \u201Cper session.\u201D");
}

TEST(knowledge_checks, whole_sentences_a_quote_may_not_cut_a_word) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "ost clinics charge between $500 and $3000 per session.";
  EXPECT_EQ(of_rule(kb, check_rule::whole_sentences).size(), 1u);
}

TEST(knowledge_checks, whole_sentences_takes_a_heading_or_a_list_item_to_its_line_break) {
  auto kb = sound_base();
  cost(kb).citations = {{"s1", "Aftercare"}, {"s1", "The procedure is relatively painless. Aftercare Do not wash your scalp for 4 days."}};
  cost(kb).answer = "Aftercare [1]; do not wash [2].";
  for (const auto& p : check_knowledge(kb)) ADD_FAILURE() << describe(p);
}

TEST(knowledge_checks, marker_has_citation_every_marker_names_a_citation) {
  auto kb = sound_base();
  cost(kb).answer = "Between $500 and $3000 per session [1], usually [2].";
  const auto problems = of_rule(kb, check_rule::marker_has_citation);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "answer");
  EXPECT_EQ(problems[0].message, "[2] is used in the answer but there is no second citation.");
}

// Found by fuzzing (tests/fuzz/regressions/corpus): a marker past an int threw out of validate().
TEST(knowledge_checks, marker_has_citation_copes_with_a_marker_too_long_for_any_number) {
  auto kb = sound_base();
  cost(kb).answer = "Between $500 and $3000 per session [99999999999999999999999] [0] [1].";
  std::vector<knowledge_problem> problems;
  ASSERT_NO_THROW(problems = of_rule(kb, check_rule::marker_has_citation));
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_TRUE(says(problems[0], "there is no citation with that number")) << problems[0].message;
  EXPECT_TRUE(says(problems[1], "citations are numbered from [1]")) << problems[1].message;
}

TEST(knowledge_checks, citation_referenced_every_citation_is_referred_to) {
  auto kb = sound_base();
  cost(kb).citations.push_back({"s1", "The procedure is relatively painless."});
  const auto problems = of_rule(kb, check_rule::citation_referenced);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "citations[1]");
  EXPECT_TRUE(says(problems[0], "Citation 2 is never referred to in the answer")) << problems[0].message;
}

TEST(knowledge_checks, numbers_quoted_every_number_in_the_answer_stands_in_a_quote) {
  auto kb = sound_base();
  cost(kb).answer = "Between $500 and $3500 per session [1].";
  const auto problems = of_rule(kb, check_rule::numbers_quoted);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "answer");
  EXPECT_EQ(problems[0].message, "The answer mentions 3500 but none of its quotes does.");
}

TEST(knowledge_checks, source_exists_a_citation_names_a_source_there_is) {
  auto kb = sound_base();
  cost(kb).citations[0].source = "s9";
  const auto problems = of_rule(kb, check_rule::source_exists);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "citations[0].source");
  EXPECT_TRUE(says(problems[0], "\u201Cs9\u201D")) << problems[0].message;
}

TEST(knowledge_checks, quote_present_a_citation_quotes_something) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = " \n ";
  const auto problems = of_rule(kb, check_rule::quote_present);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "citations[0].quote");
}

TEST(knowledge_checks, citations_present_every_fact_is_quoted_from_a_source) {
  auto kb = sound_base();
  cost(kb).citations.clear();
  cost(kb).answer = "Cheap.";
  const auto problems = of_rule(kb, check_rule::citations_present);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "citations");
}

TEST(knowledge_checks, answer_present_a_fact_has_an_answer) {
  auto kb = sound_base();
  cost(kb).answer = "  ";
  const auto problems = of_rule(kb, check_rule::answer_present);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "answer");
}

TEST(knowledge_checks, id_format_ids_are_kebab_case) {
  for (const char* bad : {"Cost", "cost_per_session", "cost--session", "-cost", "cost-", "cost per session", ""}) {
    auto kb = sound_base();
    cost(kb).id = bad;
    kb.facts[1].related = {};
    const auto problems = of_rule(kb, check_rule::id_format);
    ASSERT_EQ(problems.size(), 1u) << bad;
    EXPECT_EQ(problems[0].field, "id");
  }
  auto kb = sound_base();
  cost(kb).id = "cost-per-session-2";
  kb.facts[1].related = {"cost-per-session-2"};
  EXPECT_TRUE(of_rule(kb, check_rule::id_format).empty());
}

TEST(knowledge_checks, id_unique_no_two_facts_share_an_id) {
  auto kb = sound_base();
  kb.facts[1].id = "cost";
  const auto problems = of_rule(kb, check_rule::id_unique);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "id");
  EXPECT_TRUE(says(problems[0], "Another fact already has the id \u201Ccost\u201D")) << problems[0].message;
}

TEST(knowledge_checks, id_unique_lets_a_fact_being_edited_keep_its_id) {
  const auto kb = sound_base();
  fact edited = kb.facts[0];
  edited.answer = "Most clinics charge between $500 and $3000 [1].";
  EXPECT_TRUE(check_fact(edited, kb, "cost").empty());
  EXPECT_EQ(of_rule(check_fact(edited, kb), check_rule::id_unique).size(), 1u);
  edited.id = "our-price";
  EXPECT_EQ(of_rule(check_fact(edited, kb, "cost"), check_rule::id_unique).size(), 1u);
}

TEST(knowledge_checks, topic_known_the_topic_is_one_of_the_list) {
  auto kb = sound_base();
  cost(kb).topic = "prices";
  const auto problems = of_rule(kb, check_rule::topic_known);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "topic");
  EXPECT_TRUE(says(problems[0], "choose one of cost, permanence, pain")) << problems[0].message;
}

TEST(knowledge_checks, questions_present_a_fact_has_a_way_of_asking_for_it) {
  auto kb = sound_base();
  cost(kb).questions.clear();
  const auto problems = of_rule(kb, check_rule::questions_present);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].severity, check_severity::required);
}

TEST(knowledge_checks, questions_count_advises_8_to_12_phrasings_without_refusing) {
  auto kb = sound_base();
  cost(kb).questions.resize(3);
  auto problems = of_rule(kb, check_rule::questions_count);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].severity, check_severity::advice);
  EXPECT_TRUE(says(problems[0], "this one has 3")) << problems[0].message;
  EXPECT_TRUE(validate(kb).empty());
  for (int i = 0; i < 5; ++i) cost(kb).questions.push_back("how much is smp " + std::to_string(i));
  EXPECT_TRUE(of_rule(kb, check_rule::questions_count).empty());
  for (int i = 0; i < 5; ++i) cost(kb).questions.push_back("what does it cost " + std::to_string(i));
  EXPECT_EQ(of_rule(kb, check_rule::questions_count).size(), 1u);
}

TEST(knowledge_checks, questions_repeat_advises_against_the_same_phrasing_twice) {
  auto kb = sound_base();
  cost(kb).questions.push_back("How  much");
  const auto problems = of_rule(kb, check_rule::questions_repeat);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "questions[8]");
  EXPECT_EQ(problems[0].severity, check_severity::advice);
}

TEST(knowledge_checks, conflict_sides_a_conflict_shows_two_citations_or_more) {
  auto kb = sound_base();
  cost(kb).conflict = true;
  const auto problems = of_rule(kb, check_rule::conflict_sides);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "conflict");
  cost(kb).citations.push_back({"s1", "The procedure is relatively painless."});
  cost(kb).answer += " Or not [2].";
  EXPECT_TRUE(of_rule(kb, check_rule::conflict_sides).empty());
}

TEST(knowledge_checks, related_exist_related_facts_are_other_facts_there_are) {
  auto kb = sound_base();
  cost(kb).related = {"our-price", "nowhere", "cost"};
  const auto problems = of_rule(kb, check_rule::related_exist);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field, "related[1]");
  EXPECT_TRUE(says(problems[0], "There is no fact \u201Cnowhere\u201D")) << problems[0].message;
  EXPECT_EQ(problems[1].field, "related[2]");
  EXPECT_TRUE(says(problems[1], "cannot be related to itself")) << problems[1].message;
}

TEST(knowledge_checks, related_count_at_most_three) {
  auto kb = sound_base();
  cost(kb).related = {"our-price", "our-price", "our-price", "our-price"};
  const auto problems = of_rule(kb, check_rule::related_count);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field, "related");
}

TEST(knowledge_checks, clinic_source_a_clinic_fact_quotes_the_clinics_own_pages) {
  auto kb = sound_base();
  cost(kb).clinic = true;
  const auto problems = of_rule(kb, check_rule::clinic_source);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].fact, "cost");
  EXPECT_EQ(problems[0].field, "clinic");
}

TEST(knowledge_checks, source_rules_ids_titles_texts_and_repeats) {
  auto kb = sound_base();
  kb.sources.push_back({"../prices", "Two\nlines", " ", true});
  kb.sources.push_back(kb.sources[0]);
  const auto problems = check_knowledge(kb);
  ASSERT_EQ(of_rule(problems, check_rule::source_id).size(), 1u);
  EXPECT_EQ(of_rule(problems, check_rule::source_id)[0].source, "../prices");
  EXPECT_EQ(of_rule(problems, check_rule::source_title).size(), 1u);
  EXPECT_EQ(of_rule(problems, check_rule::source_text).size(), 1u);
  ASSERT_EQ(of_rule(problems, check_rule::source_unique).size(), 1u);
  EXPECT_EQ(of_rule(problems, check_rule::source_unique)[0].source, "s1");
  EXPECT_EQ(of_rule(check_source({"prices", "Our prices", "Text.", true}, sound_base()), check_rule::source_unique).size(), 1u);
  EXPECT_TRUE(check_source({"new-page", "A page", "Text.", true}, sound_base()).empty());
}

TEST(knowledge_checks, corpus_empty_a_knowledge_base_needs_sources_and_facts) {
  EXPECT_EQ(of_rule(knowledge_base{}, check_rule::corpus_empty).size(), 2u);
}

TEST(knowledge_checks, lexicon_warning_signs_intents_and_starter_facts_hold_together) {
  auto kb = sound_base();
  kb.words.warning_signs.signs[0].patterns[0].slots.push_back({"@worse"});
  kb.words.warning_signs.signs[0].facts = {"no-such-fact"};
  kb.words.intents["no-such-intent"] = {"what"};
  kb.words.starter_facts = {"missing"};
  const auto problems = validate(kb);
  auto mentions = [&](const std::string& a, const std::string& b) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) {
      return p.find(a) != std::string::npos && p.find(b) != std::string::npos;
    });
  };
  EXPECT_TRUE(mentions("lexicon: warning_signs", "set \"worse\" that is not defined"));
  EXPECT_TRUE(mentions("lexicon: warning sign infection", "fact \"no-such-fact\" that does not exist"));
  EXPECT_TRUE(mentions("lexicon: intent \"no-such-intent\"", "none of the question intents"));
  EXPECT_TRUE(mentions("lexicon: starter fact \"missing\"", "does not exist"));
  kb.words.warning_signs.signs.clear();
  const auto without_signs = of_rule(kb, check_rule::lexicon);
  EXPECT_TRUE(std::any_of(without_signs.begin(), without_signs.end(), [](const knowledge_problem& p) { return says(p, "no signs"); }));
}

TEST(knowledge_checks, check_fact_checks_a_draft_against_the_knowledge_base) {
  const auto kb = sound_base();
  fact draft{"payment-plans", "cost", {"can i pay monthly"}, "We offer payment plans [1], from 50 pounds [2].",
             {{"prices", "We offer payment plans."}}, false, {"our-price"}, true};
  const auto problems = check_fact(draft, kb);
  EXPECT_EQ(of_rule(problems, check_rule::marker_has_citation).size(), 1u);
  EXPECT_EQ(of_rule(problems, check_rule::numbers_quoted).size(), 1u);
  EXPECT_EQ(of_rule(problems, check_rule::questions_count).size(), 1u);
  EXPECT_TRUE(any_required(problems));
  draft.answer = "We offer payment plans [1].";
  const auto fixed = check_fact(draft, kb);
  EXPECT_FALSE(any_required(fixed));
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_EQ(fixed[0].rule, check_rule::questions_count);
}

TEST(knowledge_checks, describe_and_to_json_name_the_fact_field_and_rule) {
  auto kb = sound_base();
  cost(kb).answer = "Between $500 and $3000 per session.";
  const auto problems = of_rule(kb, check_rule::citation_referenced);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(describe(problems[0]),
            "fact cost, citations[0]: Citation 1 is never referred to in the answer: put [1] after what it supports.");
  const auto j = to_json(problems[0]);
  EXPECT_EQ(j.at("fact"), "cost");
  EXPECT_EQ(j.at("field"), "citations[0]");
  EXPECT_EQ(j.at("rule"), "citation_referenced");
  EXPECT_EQ(j.at("severity"), "required");
  EXPECT_FALSE(j.contains("source"));
}

// Found by a random stress run: a quote cut inside a character made the problem's JSON unwritable.
TEST(knowledge_checks, to_json_writes_problems_about_text_that_is_not_utf8) {
  auto kb = sound_base();
  cost(kb).citations[0].quote = "Most clinics \xE2\x80";
  const auto problems = of_rule(kb, check_rule::verbatim);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NO_THROW((void)to_json(problems[0]).dump());
}

TEST(knowledge_checks, the_bundled_corpus_breaks_no_rule_not_even_advice) {
  for (const auto& p : check_knowledge(load_corpus(CITED_SOURCE_DIR "/corpus"))) ADD_FAILURE() << describe(p);
}
