#include "question_analyser.hpp"

#include <gtest/gtest.h>

#include "small_knowledge.hpp"

using namespace cited;

namespace {

struct analyser_fixture : ::testing::Test {
  std::shared_ptr<knowledge_base> kb = fixtures::small_knowledge();
  std::shared_ptr<vocabulary> vocab = fixtures::small_vocabulary(*kb);
  text_normaliser normaliser;
  question_analyser analyser{kb->words, *vocab, normaliser, {}};

  analysed_question read(const std::string& text) { return analyser.analyse(normaliser.words(text)); }
  static std::vector<std::string> origins(const analysed_question& q) {
    std::vector<std::string> out;
    for (const auto& g : q.groups) out.push_back(g.origin);
    return out;
  }
};

}  // namespace

TEST_F(analyser_fixture, maps_patient_words_to_document_words) {
  const auto q = read("Does it hurt??");
  ASSERT_EQ(q.groups.size(), 1u);
  EXPECT_EQ(q.groups[0].origin, "hurt");
  EXPECT_EQ(q.groups[0].terms, (std::vector<std::string>{"hurt", "pain", "painful", "painless"}));
  EXPECT_TRUE(q.groups[0].known);
}

TEST_F(analyser_fixture, matches_phrases_before_dropping_stop_words) {
  const auto q = read("how much is it");
  ASSERT_EQ(origins(q), std::vector<std::string>{"how much"});
  // "how much" is made of stop words, so only its synonyms are searched for.
  EXPECT_EQ(q.groups[0].terms, (std::vector<std::string>{"cost", "charge"}));
}

TEST_F(analyser_fixture, corrects_typos_against_the_index_vocabulary) {
  const auto q = read("microblading lsat");
  EXPECT_EQ(origins(q), (std::vector<std::string>{"microblading", "last"}));
}

TEST_F(analyser_fixture, unknown_words_stay_and_weigh_a_fixed_amount) {
  const auto q = read("pizza delivery");
  ASSERT_EQ(q.groups.size(), 2u);
  EXPECT_FALSE(q.groups[0].known);
  EXPECT_DOUBLE_EQ(q.groups[0].weight, question_analyser::weights{}.unknown);
}

TEST_F(analyser_fixture, everyday_words_weigh_less_than_the_domain_s) {
  vocab->add("good", 1);
  question_analyser a{kb->words, *vocab, normaliser, {}};
  const auto q = a.analyse(normaliser.words("good microblading"));
  ASSERT_EQ(q.groups.size(), 2u);
  EXPECT_LT(q.groups[0].weight, q.groups[1].weight);
}

TEST_F(analyser_fixture, an_adverb_of_an_everyday_word_is_chat_unless_the_documents_use_it) {
  kb->words.common_words = {"main", "mainly", "happy", "happily", "simple", "simply", "basic", "basically", "family"};
  vocab->add("simply", 1);
  question_analyser a{kb->words, *vocab, normaliser, {}};
  const auto q = a.analyse(normaliser.words("mainly happily basically simply family microblading"));
  // "simply" is the documents' word, and "family" is no adverb: both stay.
  EXPECT_EQ(origins(q), (std::vector<std::string>{"simply", "family", "microblading"}));
}

TEST_F(analyser_fixture, respells_chat_words) {
  const auto q = read("do u know");
  EXPECT_EQ(q.words, (std::vector<std::string>{"do", "you", "know"}));
}

TEST_F(analyser_fixture, the_same_idea_twice_counts_once) {
  EXPECT_EQ(read("price price price").groups.size(), 1u);
  const auto q = read("how much is the price");  // two phrasings of cost
  ASSERT_EQ(q.groups.size(), 1u);
  EXPECT_EQ(q.groups[0].origin, "how much");
}

TEST_F(analyser_fixture, notices_warning_signs_reported_now) {
  const auto mine = read("my scalp has pus");
  EXPECT_TRUE(mine.red_flag);
  EXPECT_EQ(mine.sign, "infection");
  EXPECT_EQ(mine.symptoms, std::vector<std::string>{"pus"});
  const auto general = read("what is pus");
  EXPECT_FALSE(general.red_flag);  // named, but asked about in general
  EXPECT_EQ(general.sign, "infection");
  EXPECT_EQ(general.calm, "a general question");
  EXPECT_TRUE(read("redness spreading and fever").red_flag);   // all slots, any order
  EXPECT_FALSE(read("spreading the cost").red_flag);            // one slot of a two-slot sign
}

TEST_F(analyser_fixture, a_red_flag_s_words_must_be_near_one_another) {
  EXPECT_TRUE(read("the redness around it is spreading").red_flag);
  EXPECT_FALSE(read("spreading the cost over three sessions would help, and a bit of redness is normal").red_flag);
}

TEST_F(analyser_fixture, small_talk_alone_is_small_talk_but_not_beside_a_question) {
  EXPECT_TRUE(read("hi").only_small_talk);
  EXPECT_EQ(read("thank you!").talk, small_talk::thanks);
  const auto q = read("hi, does it hurt?");
  EXPECT_FALSE(q.only_small_talk);
  EXPECT_EQ(origins(q), std::vector<std::string>{"hurt"});
}

TEST_F(analyser_fixture, follow_ups_are_marked) {
  EXPECT_TRUE(read("and the price?").follow_up);
  EXPECT_FALSE(read("price per session").follow_up);
}

TEST_F(analyser_fixture, groups_are_capped) {
  std::string many;
  for (int i = 0; i < 200; ++i) many += "word" + std::to_string(i) + " ";
  EXPECT_LE(read(many).groups.size(), question_analyser::max_groups);
}

namespace {

struct intent_fixture : ::testing::Test {
  std::shared_ptr<knowledge_base> kb = [] {
    auto k = fixtures::small_knowledge();
    k->words.subject = {"smp", "the procedure"};
    k->words.intents = {{"count", {"how many"}}, {"removal", {"remove", "undo"}}, {"suitability", {"who can", "suitable"}},
                        {"exclusion", {"can not have", "should not"}}, {"cause", {"why", "what makes", "depends on"}}};
    k->words.stop_words.push_back("can");
    k->words.stop_words.push_back("not");
    k->words.stop_words.push_back("would");
    return k;
  }();
  std::shared_ptr<vocabulary> vocab = fixtures::small_vocabulary(*kb);
  text_normaliser normaliser;
  question_analyser analyser{kb->words, *vocab, normaliser, {}};

  analysed_question read(const std::string& text) { return analyser.analyse(normaliser.words(text)); }
};

}  // namespace

TEST_F(intent_fixture, reads_the_kind_of_answer_asked_from_words_stop_words_drop) {
  EXPECT_EQ(read("How many sessions?").intents, bit(intent::count));
  EXPECT_EQ(read("can you undo it").intents, bit(intent::removal));
  EXPECT_EQ(read("who can have it").intents, bit(intent::suitability));
  // "Who can't" asks who it does not suit, not who it suits.
  EXPECT_EQ(read("who can not have it").intents, bit(intent::exclusion));
  EXPECT_EQ(read("does it hurt").intents, intent_set{0});
  // Why, or what it depends on: a question about causes, which a fact answers when its
  // phrasings ask it ("what makes it fade faster"), whatever the topic.
  EXPECT_EQ(read("why is it so expensive").intents, bit(intent::cause));
  EXPECT_EQ(read("what makes it fade").intents, bit(intent::cause));
  EXPECT_EQ(read("the price depends on what").intents, bit(intent::cause));
  EXPECT_THROW(intent_reader({{"weather", {{"rain"}}}}), std::invalid_argument);
}

TEST_F(intent_fixture, a_denying_cue_cancels_its_intent_where_it_overlaps) {
  kb->words.intents["duration"] = {"how long does it take", "!take to fade"};
  question_analyser a{kb->words, *vocab, normaliser, {}};
  EXPECT_EQ(a.analyse(normaliser.words("how long does it take")).intents, bit(intent::duration));
  // The time until something happens, not how long the procedure takes.
  EXPECT_EQ(a.analyse(normaliser.words("how long does it take to fade")).intents, intent_set{0});
}

TEST_F(intent_fixture, a_cue_s_words_the_index_does_not_know_are_the_question_s_form) {
  kb->words.intents["exclusion"].push_back("contra indications");
  question_analyser a{kb->words, *vocab, normaliser, {}};
  // "Contra-indications" asks who should not have it; its words are no topic the documents lack.
  const auto q = a.analyse(normaliser.words("contra-indications microblading"));
  EXPECT_EQ(q.intents, bit(intent::exclusion));
  ASSERT_EQ(q.groups.size(), 1u) << q.groups[0].origin;
  EXPECT_EQ(q.groups[0].origin, "microblading");
  // A cue's word the documents do use stays a topic as well.
  vocab->add("remove", 1);
  question_analyser knows{kb->words, *vocab, normaliser, {}};
  const auto removal = knows.analyse(normaliser.words("can you remove it"));
  EXPECT_EQ(removal.intents, bit(intent::removal));
  ASSERT_EQ(removal.groups.size(), 1u);
  EXPECT_EQ(removal.groups[0].origin, "remove");
}

TEST_F(intent_fixture, the_treatment_s_name_may_end_in_the_plural) {
  kb->words.subject.push_back("smp treatment");
  question_analyser a{kb->words, *vocab, normaliser, {}};
  const auto q = a.analyse(normaliser.words("smp treatments microblading"));
  ASSERT_EQ(q.groups.size(), 2u) << q.groups[0].origin << "|" << q.groups[1].origin;
  EXPECT_TRUE(q.groups[0].subject);
  EXPECT_EQ(q.groups[0].origin, "smp treatment");
}

TEST_F(intent_fixture, every_name_of_the_treatment_is_one_word_to_the_phrasings) {
  kb->words.subject = {"scalp micropigmentation", "smp", "the procedure"};
  question_analyser a{kb->words, *vocab, normaliser, {}};
  EXPECT_EQ(a.analyse(normaliser.words("scalp micropigmentation after a transplant")).phrased,
            (std::vector<std::string>{"smp", "after", "a", "transplant"}));
  EXPECT_EQ(a.analyse(normaliser.words("does the procedure hurt")).phrased, (std::vector<std::string>{"doe", "smp", "hurt"}));
  // and a word's inflections are one word: "fading" meets a phrasing's "fades".
  EXPECT_EQ(a.analyse(normaliser.words("fading")).phrased, a.analyse(normaliser.words("fades")).phrased);
  EXPECT_EQ(a.analyse(normaliser.words("faded")).phrased, a.analyse(normaliser.words("fade")).phrased);
  EXPECT_NE(a.analyse(normaliser.words("fade")).phrased, a.analyse(normaliser.words("fat")).phrased);
}

TEST_F(intent_fixture, the_treatments_own_name_weighs_little_beside_another_idea) {
  const auto both = read("does the procedure hurt");
  ASSERT_EQ(both.groups.size(), 2u);
  EXPECT_TRUE(both.groups[0].subject);
  EXPECT_LT(both.groups[0].weight * 3, both.groups[1].weight);
  // Asked about on its own, the treatment is the whole question and keeps its weight.
  const auto alone = read("smp?");
  ASSERT_EQ(alone.groups.size(), 1u);
  EXPECT_TRUE(alone.groups[0].subject);
  EXPECT_GT(alone.groups[0].weight, both.groups[0].weight);
}

TEST_F(intent_fixture, a_contraction_without_its_apostrophe_is_function_words) {
  const auto q = read("wouldnt it hurt");
  EXPECT_EQ(q.words, (std::vector<std::string>{"would", "not", "it", "hurt"}));
  ASSERT_EQ(q.groups.size(), 1u);
  EXPECT_EQ(q.groups[0].origin, "hurt");
}

TEST_F(analyser_fixture, the_treatment_s_name_misspelt_or_inflected_is_the_name) {
  kb->words.subject = {"smp", "scalp micropigmentation", "micropigmentation"};
  // A misspelling in the index's own words (a phrasing written with a typo) still gives way.
  vocab->add("micropigmentaion", 1);
  question_analyser a{kb->words, *vocab, normaliser, {}};
  EXPECT_EQ(a.analyse(normaliser.words("does micropigmentaion hurt")).words, (std::vector<std::string>{"does", "micropigmentation", "hurt"}));
  EXPECT_EQ(a.analyse(normaliser.words("my SMP'd scar")).words, (std::vector<std::string>{"my", "smp", "scar"}));
  EXPECT_EQ(a.analyse(normaliser.words("other SMPs")).words, (std::vector<std::string>{"other", "smp"}));
  // Only near the name: a different word that starts like it is left alone.
  EXPECT_EQ(a.analyse(normaliser.words("smpler")).words, (std::vector<std::string>{"smpler"}));
}

TEST_F(analyser_fixture, a_number_weighs_as_an_everyday_word) {
  vocab->add("3", 1);
  question_analyser a{kb->words, *vocab, normaliser, {}};
  const auto q = a.analyse(normaliser.words("microblading 3"));
  ASSERT_EQ(origins(q), (std::vector<std::string>{"microblading", "3"}));
  EXPECT_NEAR(q.groups[1].weight, vocab->weight("3") * question_analyser::weights{}.common, 1e-9);
  EXPECT_LT(q.groups[1].weight, q.groups[0].weight);
}

TEST_F(analyser_fixture, a_pronoun_and_its_verb_without_the_apostrophe_are_two_words) {
  kb->words.stop_words.insert(kb->words.stop_words.end(), {"we", "they", "have", "are", "will"});
  kb->words.common_words.push_back("well");
  question_analyser a{kb->words, *vocab, normaliser, {}};
  EXPECT_EQ(a.analyse(normaliser.words("youve seen it")).words, (std::vector<std::string>{"you", "have", "seen", "it"}));
  EXPECT_EQ(a.analyse(normaliser.words("theyll")).words, (std::vector<std::string>{"they", "will"}));
  // An everyday word that looks like one is the word: "well" is no "we will".
  EXPECT_EQ(a.analyse(normaliser.words("well")).words, (std::vector<std::string>{"well"}));
}

TEST_F(analyser_fixture, a_warning_sign_s_word_wins_a_tie_in_typo_correction) {
  // "bleading" is one edit from the index's "blading" and from the sign's "bleeding": a missed
  // warning sign costs more than a calm message read as one.
  kb->words.warning_signs.signs.push_back({"bleeding", "test", true, {{{{"bleeding"}}, 0}, {{{"blistering"}}, 0}}, {}});
  vocab->add("blading", 5);
  const question_analyser with_signs{kb->words, *vocab, normaliser, {}};
  const auto q = with_signs.analyse(normaliser.words("my crown keeps bleading"));
  EXPECT_EQ(q.words.back(), "bleeding");
  EXPECT_TRUE(q.red_flag);
  // A known word with an ending added is another word, not a typo of it.
  EXPECT_EQ(with_signs.analyse(normaliser.words("blisteringly quick")).words.front(), "blisteringly");
}
