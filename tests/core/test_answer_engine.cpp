#include "answer_engine.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "answer_json.hpp"
#include "small_knowledge.hpp"
#include "utf8.hpp"

using namespace cited;

namespace {

struct engine_fixture : ::testing::Test {
  std::shared_ptr<knowledge_base> kb = fixtures::small_knowledge();
  std::shared_ptr<vocabulary> vocab = fixtures::small_vocabulary(*kb);
  answer_engine engine{kb, vocab, std::make_unique<fixtures::word_retriever>(kb)};
};

}  // namespace

TEST_F(engine_fixture, answers_from_a_fact_with_numbered_citations) {
  const answer a = engine.ask("how much is it?");
  EXPECT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, std::vector<std::string>{"cost"});
  EXPECT_EQ(a.text, "Most clinics charge between $500 and $3000 per session [1].");
  ASSERT_EQ(a.citations.size(), 1u);
  EXPECT_EQ(a.citations[0].n, 1);
  EXPECT_EQ(a.citations[0].source, "s1");
  EXPECT_EQ(a.citations[0].title, "Costs and pain");
  EXPECT_EQ(a.topic, "cost");
  EXPECT_FALSE(a.conflict);
  EXPECT_EQ(a.answer_id.substr(0, 2), "a-");
}

TEST_F(engine_fixture, a_disagreement_shows_every_side) {
  const answer a = engine.ask("does it hurt");
  EXPECT_EQ(a.status, answer_status::answered);
  EXPECT_TRUE(a.conflict);
  EXPECT_EQ(a.citations.size(), 2u);
}

TEST_F(engine_fixture, suggests_related_questions_the_corpus_answers) {
  const answer a = engine.ask("price?");
  ASSERT_EQ(a.suggestions.size(), 2u);
  EXPECT_EQ(a.suggestions[0], "does it hurt");
  EXPECT_EQ(a.suggestions[1], "how long does microblading last");
  EXPECT_EQ(std::count(a.suggestions.begin(), a.suggestions.end(), "how much does it cost"), 0);
}

TEST_F(engine_fixture, abstains_when_the_sources_have_nothing) {
  for (const char* q : {"what time do you open on sunday", "best pizza nearby", "asdfgh", "?", ""}) {
    const answer a = engine.ask(q);
    EXPECT_EQ(a.status, answer_status::no_answer) << q;
    EXPECT_TRUE(a.citations.empty()) << q;
    EXPECT_EQ(a.text, "no answer text");
  }
}

TEST_F(engine_fixture, a_question_mostly_about_something_else_is_not_answered) {
  EXPECT_EQ(engine.ask("does the pizza delivery guy charge for parking").status, answer_status::no_answer);
}

TEST_F(engine_fixture, a_question_close_to_a_fact_s_phrasing_needs_less_coverage) {
  // "pizza" is unknown and weighs as much as the rest: coverage is about half. The question
  // is otherwise one of the fact's own phrasings, so the phrasing gate may let it through.
  const std::string q = "how long does microblading last pizza";
  engine_tuning strict;
  strict.phrased_min_phrasing = 2.0;  // never close enough
  answer_engine without{kb, vocab, std::make_unique<fixtures::word_retriever>(kb), strict};
  EXPECT_EQ(without.ask(q).status, answer_status::no_answer);
  engine_tuning lenient = strict;
  lenient.phrased_min_phrasing = 0.3;
  lenient.phrased_min_coverage = 0.3;
  answer_engine with{kb, vocab, std::make_unique<fixtures::word_retriever>(kb), lenient};
  const answer a = with.ask(q);
  EXPECT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, std::vector<std::string>{"microblading-duration"});
  // Far from every phrasing, the ordinary threshold still holds.
  EXPECT_EQ(with.ask("microblading pizza parking delivery").status, answer_status::no_answer);
}

TEST_F(engine_fixture, red_flag_reports_are_urgent_and_cite_what_speaks_to_them) {
  const answer a = engine.ask("my scalp has pus");
  EXPECT_EQ(a.status, answer_status::urgent);
  EXPECT_EQ(a.text.rfind("urgent text", 0), 0u);  // the warning comes first
  ASSERT_FALSE(a.citations.empty());
  EXPECT_EQ(a.facts, std::vector<std::string>{"infection-signs"});
}

TEST_F(engine_fixture, an_urgent_answer_cites_only_what_speaks_to_risks) {
  const answer a = engine.ask("i have pus, what does it cost to fix");
  EXPECT_EQ(a.status, answer_status::urgent);
  EXPECT_EQ(a.facts, std::vector<std::string>{"infection-signs"});
}

TEST_F(engine_fixture, an_urgent_answer_cites_only_the_facts_its_sign_names) {
  // The fever names no fact; that the infection fact also speaks of redness is no reason to cite it.
  const answer a = engine.ask("i have had a fever since last night and some redness");
  EXPECT_EQ(a.status, answer_status::urgent);
  EXPECT_TRUE(a.citations.empty());
  EXPECT_EQ(a.text, "urgent text: contact a doctor or the clinic now");
}

TEST_F(engine_fixture, a_general_question_about_a_symptom_is_not_an_emergency) {
  EXPECT_NE(engine.ask("what is pus").status, answer_status::urgent);
}

TEST_F(engine_fixture, small_talk_gets_a_reply_without_citations) {
  const answer hi = engine.ask("hello!");
  EXPECT_EQ(hi.status, answer_status::smalltalk);
  EXPECT_EQ(hi.text, "hello text");
  EXPECT_EQ(hi.suggestions, std::vector<std::string>{"how much does it cost"});
  EXPECT_EQ(engine.ask("thanks").text, "thanks text");
  EXPECT_EQ(engine.ask("who are you").text, "identity text");
}

TEST_F(engine_fixture, a_follow_up_is_read_in_the_conversation_s_context) {
  // On its own, "how long does that last" fits SMP's duration as well as microblading's.
  EXPECT_EQ(engine.ask("and how long does that last").facts.front(), "smp-duration");
  conversation c;
  EXPECT_EQ(engine.ask("microblading?", c).facts, std::vector<std::string>{"microblading-duration"});
  const answer a = engine.ask("and how long does that last", c);
  EXPECT_EQ(a.facts, std::vector<std::string>{"microblading-duration"});
  c.clear();
  EXPECT_TRUE(c.empty());
}

TEST_F(engine_fixture, what_the_patient_said_around_a_question_steers_it) {
  // "If I get microblading, how long does that last?": the clause says which duration is meant.
  EXPECT_EQ(engine.ask_after("if i get microblading", "how long does that last").facts,
            std::vector<std::string>{"microblading-duration"});
  // It only steers: what the question itself leaves uncovered is still unanswered.
  EXPECT_EQ(engine.ask_after("if i get microblading", "pizza delivery").status, answer_status::no_answer);
}

TEST_F(engine_fixture, context_never_overrides_a_clear_new_question) {
  conversation c;
  engine.ask("microblading?", c);
  EXPECT_EQ(engine.ask("and does it hurt?", c).facts, std::vector<std::string>{"pain"});
}

TEST_F(engine_fixture, two_facts_of_two_topics_that_answer_alike_both_answer) {
  // Pain is in the pain fact and in the signs of infection: both cover "does it hurt" fully.
  engine_tuning alike;
  alike.tie_margin = 10;
  answer_engine generous(kb, vocab, std::make_unique<fixtures::word_retriever>(kb), alike);
  const answer both = generous.ask("does it hurt");
  ASSERT_EQ(both.facts.size(), 2u);
  EXPECT_NE(kb->find_fact(both.facts[0])->topic, kb->find_fact(both.facts[1])->topic);
  // A fact that leaves part of the question uncovered does not join, however it scores.
  EXPECT_EQ(generous.ask("how long does microblading last").facts, std::vector<std::string>{"microblading-duration"});
  alike.tie_margin = -1;
  answer_engine strict(kb, vocab, std::make_unique<fixtures::word_retriever>(kb), alike);
  EXPECT_EQ(strict.ask("does it hurt").facts, std::vector<std::string>{"pain"});
}

TEST_F(engine_fixture, two_questions_in_one_message_get_two_facts_numbered_on) {
  const answer a = engine.ask("does it hurt and how much is the price");
  ASSERT_EQ(a.facts.size(), 2u);
  ASSERT_EQ(a.citations.size(), 3u);
  EXPECT_EQ(a.citations[2].n, 3);
  EXPECT_NE(a.text.find("[3]"), std::string::npos);
}

TEST_F(engine_fixture, every_marker_has_a_citation) {
  static const std::regex marker(R"(\[(\d+)\])");
  for (const char* q : {"how much", "does it hurt", "my scalp has pus", "microblading", "does it hurt and the price"}) {
    const answer a = engine.ask(q);
    for (std::sregex_iterator it(a.text.begin(), a.text.end(), marker), end; it != end; ++it) {
      const int n = std::stoi((*it)[1].str());
      EXPECT_TRUE(std::any_of(a.citations.begin(), a.citations.end(), [&](auto& c) { return c.n == n; })) << q;
    }
  }
}

TEST_F(engine_fixture, odd_input_always_gets_a_valid_answer_object) {
  const std::string huge(100 * 1024, 'x');
  for (const std::string& q : {std::string("\xFF\xFE price \xC3"), huge, std::string("\"*NEAR(:^-AND OR NOT(("),
                              std::string("   \t\n"), std::string(5000, '?')}) {
    const answer a = engine.ask(q);
    const std::string line = to_json_line(a);
    EXPECT_TRUE(is_valid_utf8(line));
    EXPECT_EQ(nlohmann::json::parse(line)["type"], "answer");
  }
}

TEST_F(engine_fixture, answer_ids_differ) {
  EXPECT_NE(engine.ask("price").answer_id, engine.ask("price").answer_id);
}

TEST(answer_json, matches_the_wire_contract) {
  answer a;
  a.id = "c1";
  a.answer_id = "a-1";
  a.status = answer_status::answered;
  a.text = "t [1]";
  a.citations = {{1, "s", "T", "q"}};
  a.topic = "cost";
  a.suggestions = {"s?"};
  const auto j = to_json(a);
  EXPECT_EQ(j["type"], "answer");
  EXPECT_EQ(j["id"], "c1");
  EXPECT_EQ(j["answer_id"], "a-1");
  EXPECT_EQ(j["status"], "answered");
  EXPECT_EQ(j["citations"][0]["n"], 1);
  EXPECT_EQ(j["citations"][0]["source"], "s");
  EXPECT_EQ(j["citations"][0]["title"], "T");
  EXPECT_EQ(j["citations"][0]["quote"], "q");
  EXPECT_EQ(j["topic"], "cost");
  EXPECT_EQ(j["conflict"], false);
  EXPECT_EQ(j["suggestions"][0], "s?");
  a.id.reset();
  a.topic.reset();
  EXPECT_FALSE(to_json(a).contains("id"));
  EXPECT_TRUE(to_json(a)["topic"].is_null());
}

TEST_F(engine_fixture, a_near_miss_between_two_facts_asks_which_one_was_meant) {
  // "last" is in two facts alike and the unknown words leave both short of the threshold.
  const std::string q = "how long does it last zebra quokka";
  engine_tuning asking;
  asking.did_you_mean_coverage = 0.0;
  asking.did_you_mean_margin = 10.0;
  answer_engine hesitant{kb, vocab, std::make_unique<fixtures::word_retriever>(kb), asking};
  const answer a = hesitant.ask(q);
  EXPECT_EQ(a.status, answer_status::no_answer);  // still no answer: nothing unsourced is said
  EXPECT_EQ(a.text, "did you mean text");
  EXPECT_GE(a.suggestions.size(), 2u);
  EXPECT_TRUE(a.citations.empty());
  engine_tuning never = asking;
  never.did_you_mean_coverage = 2.0;
  answer_engine plain{kb, vocab, std::make_unique<fixtures::word_retriever>(kb), never};
  EXPECT_EQ(plain.ask(q).text, "no answer text");
}

namespace {

// The small knowledge base with the clinic's own pages and facts beside the articles'.
struct clinic_fixture : ::testing::Test {
  std::shared_ptr<knowledge_base> kb = [] {
    auto k = fixtures::small_knowledge();
    k->sources.push_back({"c1", "Our clinic", "A session at our clinic costs 450 pounds. We apply a numbing cream before every session. "
                                              "Our SMP results last for several years.", true});
    k->facts.push_back({"our-price", "cost", {"how much does it cost at your clinic", "your price per session"},
                        "A session at our clinic costs 450 pounds [1].", {{"c1", "A session at our clinic costs 450 pounds."}}, false, {}, true});
    k->facts.push_back({"our-numbing", "pain", {"does it hurt at your clinic", "is it painful with you"},
                        "We apply a numbing cream before every session [1].", {{"c1", "We apply a numbing cream before every session."}},
                        false, {}, true});
    k->facts.push_back({"our-duration", "permanence", {"how long does smp last with you"}, "Our SMP results last for several years [1].",
                        {{"c1", "Our SMP results last for several years."}}, false, {}, true});
    return k;
  }();
  std::shared_ptr<vocabulary> vocab = fixtures::small_vocabulary(*kb);
  answer_engine engine{kb, vocab, std::make_unique<fixtures::word_retriever>(kb)};
};

}  // namespace

TEST_F(clinic_fixture, the_clinics_fact_leads_and_an_article_that_states_other_figures_follows) {
  const answer a = engine.ask("how much is it?");
  ASSERT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, (std::vector<std::string>{"our-price", "cost"}));
  EXPECT_EQ(a.text, "A session at our clinic costs 450 pounds [1]. Most clinics charge between $500 and $3000 per session [2].");
  ASSERT_EQ(a.citations.size(), 2u);
  EXPECT_EQ(a.citations[0].source, "c1");
  EXPECT_EQ(a.citations[1].source, "s1");
  EXPECT_TRUE(a.conflict);
  EXPECT_EQ(a.topic, "cost");
}

TEST_F(clinic_fixture, an_article_whose_sources_disagree_still_shows_its_sides_after_the_clinics) {
  const answer a = engine.ask("does it hurt");
  ASSERT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, (std::vector<std::string>{"our-numbing", "pain"}));
  EXPECT_EQ(a.citations.size(), 3u);
  EXPECT_TRUE(a.conflict);
}

TEST_F(clinic_fixture, an_article_that_agrees_with_the_clinic_is_not_repeated) {
  const answer a = engine.ask("how long does smp last");
  ASSERT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, std::vector<std::string>{"our-duration"});
  EXPECT_FALSE(a.conflict);
}

TEST_F(clinic_fixture, questions_no_clinic_fact_answers_are_answered_from_the_articles) {
  const answer a = engine.ask("how long does microblading last");
  ASSERT_EQ(a.status, answer_status::answered);
  EXPECT_EQ(a.facts, std::vector<std::string>{"microblading-duration"});
}

TEST(engine_personal, the_clinic_s_own_opinion_or_experience_goes_to_its_staff) {
  auto ask = [](const std::vector<std::string>& personal, const std::string& q) {
    auto kb = fixtures::small_knowledge();
    kb->words.personal_questions = personal;
    // Filler here, so that only the personal phrase tells the two questions apart.
    kb->words.stop_words.insert(kb->words.stop_words.end(), {"as", "seen", "personally"});
    auto vocab = fixtures::small_vocabulary(*kb);
    answer_engine engine{kb, vocab, std::make_unique<fixtures::word_retriever>(kb)};
    return engine.ask(q);
  };
  // Every word is the cost fact's, yet the question asks what the clinic has seen.
  const std::string q = "how much does it cost, as you have seen it?";
  EXPECT_EQ(ask({}, q).status, answer_status::answered);
  const answer seen = ask({"you have seen", "you personally"}, q);
  EXPECT_EQ(seen.status, answer_status::no_answer);
  EXPECT_TRUE(seen.citations.empty());
  EXPECT_EQ(ask({"you have seen", "you personally"}, "how much does it cost you personally").status, answer_status::no_answer);
  EXPECT_EQ(ask({}, "how much does it cost you personally").status, answer_status::answered);
}
