// The sign reader's mechanism, on a small list written here: a sign needs every slot near the
// others, and the words around it decide whether it is reported now.
#include "sign_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "text_normaliser.hpp"

using namespace cited;

namespace {

warning_sign_list small_list() {
  warning_sign_list l;
  l.window = 5;
  l.sets = {{"progress", {"spreading", "getting bigger"}}};
  l.signs = {{"infection", "test", true, {{{{"pus"}}, 0}}, {}},
             {"spreading_redness", "test", true, {{{{"red", "redness"}, {"@progress"}}, 0}}, {}},
             {"lumps", "test", true, {{{{"lump"}, {"hard"}}, 0}}, {}},
             {"blisters", "test", true, {{{{"blister"}}, 0}}, {}},
             {"fever", "test", false, {{{{"fever", "a temperature"}}, 0}, {{{"temp"}, {"#temperature"}}, 3}}, {}},
             {"bleeding", "test", true, {{{{"bleeding"}, {"will not stop", "still"}}, 0}}, {}},
             {"severe_pain", "test", true, {{{{"9 10"}}, 0}}, {}},
             {"allergy", "test", false, {{{{"allergic", "allergic to the ink"}}, 0}}, {}}};
  l.calm = {{"negations", {"no", "not", "never", "none"}},
            {"not_cues", {"not just", "not sure", "will not stop", "no idea"}},
            {"figurative", {"hay fever", "bleeding me dry", "allergic to"}},
            {"mild", {"slightly", "slight", "a bit"}},
            {"openers", {"can", "what", "is there", "which", "when"}},
            {"fillers", {"hi", "so"}},
            {"report_starts", {"my", "i have", "theres"}},
            {"prepositions", {"in", "on"}},
            {"conditionals", {"if"}},
            {"hypothetical", {"ever", "risk"}},
            {"generic_people", {"someone", "people"}},
            {"modals", {"will", "would"}},
            {"hedges", {"think"}},
            {"past_times", {"last year", "years ago"}},
            {"resolved", {"gone now", "cleared"}},
            {"others", {"friend", "he"}},
            {"past_verbs", {"had", "got"}},
            {"habitual", {"always", "i get"}},
            {"conditions", {"eczema"}},
            {"disclaimers", {"nothing to do with"}},
            {"elsewhere", {"heel", "leg", "hand"}},
            {"clause_words", {"but", "and"}},
            {"present_times", {"now", "still", "theres"}},
            {"sessions", {"session", "smp"}},
            {"someone_elses", {"my son", "my wife"}},
            {"own_words", {"i", "my", "says"}},
            {"on_the_scalp", {"crown", "scalp"}},
            {"figurative_subjects", {"ego"}},
            {"asks_whether", {"wondering if", "not sure if"}}};
  return l;
}

struct sign_fixture : ::testing::Test {
  text_normaliser normaliser;
  std::map<std::string, std::string> respellings{{"wont", "will not"}};

  std::vector<std::string> fold(const std::string& text) const {
    std::vector<std::string> out;
    for (const auto& w : normaliser.words(text)) {
      auto it = respellings.find(w.text);
      std::istringstream parts(it == respellings.end() ? w.text : it->second);
      for (std::string p; parts >> p;) out.push_back(p);
    }
    return out;
  }
  sign_reader reader{small_list(), [this](const std::string& s) { return fold(s); }};

  sign_reading read(const std::string& text) const {
    std::vector<std::string> words;
    std::vector<std::uint8_t> pauses;
    for (const auto& w : normaliser.words(text)) {
      auto it = respellings.find(w.text);
      std::istringstream parts(it == respellings.end() ? w.text : it->second);
      bool first = true;
      for (std::string p; parts >> p; first = false) {
        words.push_back(p);
        pauses.push_back(first ? w.pause : 0);
      }
    }
    return reader.read(words, pauses);
  }
  bool urgent(const std::string& text) const { return read(text).urgent; }
  std::string calm(const std::string& text) const { return read(text).calm; }
};

}  // namespace

TEST_F(sign_fixture, a_sign_needs_every_slot_near_the_others) {
  const auto r = read("my scalp has pus on it");
  EXPECT_TRUE(r.urgent);
  EXPECT_EQ(r.sign, "infection");
  EXPECT_EQ(r.symptoms, std::vector<std::string>{"pus"});
  EXPECT_TRUE(urgent("the redness is spreading"));
  EXPECT_TRUE(urgent("spreading fast, the redness"));            // any order
  EXPECT_TRUE(urgent("the red patch keeps getting bigger"));      // a set's phrase fills a slot
  EXPECT_FALSE(urgent("the redness was there on day one"));        // one slot of two
  EXPECT_FALSE(urgent("redness on the first day was normal, then a week later a rash was spreading"));  // too far apart
  EXPECT_EQ(read("the redness was there on day one").sign, "");   // no sign at all, not a calm one
  EXPECT_FALSE(urgent("how much does it cost"));
}

TEST_F(sign_fixture, a_slot_may_be_a_fever_temperature) {
  EXPECT_TRUE(urgent("temp is 38.9 tonight"));
  EXPECT_TRUE(urgent("my temp says 101.5"));
  EXPECT_FALSE(urgent("temp is 36.8"));
  EXPECT_FALSE(urgent("38.9 on the temp gauge of the car, far away"));
}

TEST_F(sign_fixture, a_negation_just_before_a_sign_keeps_it_calm) {
  EXPECT_EQ(calm("no pus, just dry flakes"), "negated");
  EXPECT_EQ(calm("there is not really any pus"), "negated");
  EXPECT_EQ(calm("the redness is not spreading"), "negated");
  EXPECT_TRUE(urgent("no idea why but there is pus"));       // the negation's clause ended
  EXPECT_TRUE(urgent("its not just red, its spreading"));     // "not just" denies nothing
  EXPECT_TRUE(urgent("no idea why my scalp has pus"));        // nor does "no idea"
  EXPECT_TRUE(urgent("the bleeding wont stop"));             // "will not stop" is persistence
}

TEST_F(sign_fixture, a_general_question_is_no_report) {
  EXPECT_EQ(calm("can smp cause pus?"), "a general question");
  EXPECT_EQ(calm("hi, so what does a fever after smp mean?"), "a general question");  // greetings skipped
  EXPECT_EQ(calm("is there pus with an infection?"), "a general question");
  EXPECT_TRUE(urgent("what do i do my scalp has pus"));         // a report starts inside the question
  EXPECT_TRUE(urgent("what do i do? there is pus everywhere"));  // the question is its own sentence
  EXPECT_TRUE(urgent("is it normal to have pus on day 3?"));    // asked of the writer's own scalp
}

TEST_F(sign_fixture, conditions_hypotheses_and_the_future_are_no_report) {
  EXPECT_EQ(calm("should i postpone if i get a fever"), "a condition");
  EXPECT_TRUE(urgent("not sure if its related but theres pus"));  // the condition's clause ended
  EXPECT_EQ(calm("worried about the risk of pus"), "hypothetical");
  EXPECT_EQ(calm("worried i would get a fever"), "future or hypothetical");
  EXPECT_TRUE(urgent("i think it would be a fever"));            // a hedge, not a hypothesis
  EXPECT_TRUE(urgent("i will send a photo my scalp has pus"));   // a report between the modal and the sign
  EXPECT_EQ(calm("do people get a fever from smp"), "people in general");
}

TEST_F(sign_fixture, something_past_and_resolved_is_no_report) {
  EXPECT_EQ(calm("i had a fever last year, can i still book"), "past");
  EXPECT_EQ(calm("i had a fever but its gone now"), "resolved");
  EXPECT_EQ(calm("there was pus on day 2, cleared by day 4"), "resolved");
  EXPECT_TRUE(urgent("there was pus and it has not cleared"));   // a negated resolution resolves nothing
  EXPECT_TRUE(urgent("there was pus, it has not really fully cleared"));  // two words between
  EXPECT_TRUE(urgent("gone now is the scab, and there is pus"));  // resolution told before the sign
  EXPECT_EQ(calm("i burned it in the sun last year and it had pus"), "past");  // the sentence's time
  EXPECT_TRUE(urgent("i had smp last year and now there is pus"));             // unless its clause says now
  EXPECT_TRUE(urgent("i had smp last year and theres pus"));
  EXPECT_TRUE(urgent("theres pus, will it have cleared by friday?"));  // a resolution asked about is none
}

TEST_F(sign_fixture, someone_elses_past_a_habit_and_a_known_condition_are_no_report) {
  EXPECT_EQ(calm("my friend had pus after his tattoo"), "someone else, in the past");
  EXPECT_TRUE(urgent("my friend has pus coming out of his scalp now"));  // someone else's, but now
  EXPECT_TRUE(urgent("my friend had smp and he got pus now"));
  EXPECT_EQ(calm("i always get a fever in winter"), "habitual");
  EXPECT_EQ(calm("i get hay fever and a temperature from pollen"), "habitual");  // up to the next punctuation
  EXPECT_EQ(calm("my eczema patch has pus in it"), "a known condition");
}

TEST_F(sign_fixture, mild_figurative_elsewhere_and_unrelated_mentions_are_no_report) {
  EXPECT_EQ(calm("a bit red but getting bigger"), "mild");
  EXPECT_TRUE(urgent("a slight fever since last night"));  // a degree of a fever is still a fever
  EXPECT_EQ(read("the price is bleeding me dry, it wont stop").sign, "");  // a figure of speech
  EXPECT_FALSE(urgent("hay fever season"));
  EXPECT_EQ(calm("a blister with pus on my heel"), "elsewhere on the body");
  EXPECT_TRUE(urgent("a fever, and my leg aches"));  // a fever is no sign of the treated skin alone
  EXPECT_EQ(calm("theres pus on my arm, nothing to do with the smp"), "said to be unrelated");
}

TEST_F(sign_fixture, typo_correction_knows_every_word_of_the_signs_and_cues) {
  const auto words = reader.vocabulary();
  for (const std::string w : {"pus", "redness", "spreading", "bigger", "temp", "bleeding", "eczema", "resolved"})
    EXPECT_EQ(std::count(words.begin(), words.end(), w), w == "resolved" ? 0 : 1) << w;
}

TEST_F(sign_fixture, the_list_names_a_thing_once_and_patients_write_it_plural) {
  EXPECT_TRUE(urgent("two hard lumps on the crown"));  // "lump" in the list
  EXPECT_TRUE(urgent("blisters all over"));
  EXPECT_FALSE(urgent("his cat is hard work"));         // "is" is not a plural of "i"
}

TEST_F(sign_fixture, a_denial_runs_on_through_or) {
  EXPECT_EQ(calm("no pus or blister, just tight"), "negated");
  EXPECT_TRUE(urgent("no pus, and a blister"));  // "and" starts a report of its own
}

TEST_F(sign_fixture, a_time_in_a_clause_about_the_session_dates_the_session) {
  EXPECT_TRUE(urgent("i had my session last year, but there has been pus"));
  EXPECT_EQ(calm("i had pus last year, can i still book"), "past");
  EXPECT_EQ(calm("9/10 at my smp last year"), "past");  // the slash splits the sign, not the time from it
}

TEST_F(sign_fixture, someone_else_as_the_subject_is_no_report_unless_they_had_the_session) {
  EXPECT_EQ(calm("my son has come down with a fever, can i move my session"), "someone else");
  EXPECT_TRUE(urgent("my wife says my scalp has pus"));           // turned back to the writer
  EXPECT_TRUE(urgent("my son had smp monday, my son has a fever"));  // theirs was the session
  EXPECT_EQ(calm("my son has a fever, can he have smp"), "someone else");  // a session asked about
}

TEST_F(sign_fixture, a_thing_as_the_subject_is_a_figure_of_speech) {
  EXPECT_EQ(calm("my ego is red and getting bigger"), "a figure of speech");
  EXPECT_TRUE(urgent("my ego is fine but the redness is spreading"));  // another clause
}

TEST_F(sign_fixture, the_scalp_named_beside_the_sign_is_not_elsewhere) {
  EXPECT_EQ(calm("a blister on my heel"), "elsewhere on the body");
  EXPECT_TRUE(urgent("the crown has a blister when i touch it with my hand"));
}

TEST_F(sign_fixture, a_resolution_in_the_next_sentence_counts_when_it_speaks_of_the_sign) {
  EXPECT_EQ(calm("a blister on day 2. my scalp cleared by day 4."), "resolved");
  EXPECT_TRUE(urgent("a blister on the crown still. the rest cleared weeks ago."));
}

TEST_F(sign_fixture, a_denial_told_after_the_sign_answers_it) {
  EXPECT_EQ(calm("fever? no. blister? none"), "negated");
  EXPECT_EQ(calm("pus - none, just flakes"), "negated");
  EXPECT_TRUE(urgent("pus, no idea why"));                  // "no idea" denies nothing
  EXPECT_TRUE(urgent("pus. no way is this normal on day 5"));  // more than an answer
  EXPECT_TRUE(urgent("fever? yes. no appetite"));           // the denial answers another part
}

TEST_F(sign_fixture, a_condition_runs_on_through_and_and_or) {
  EXPECT_EQ(calm("if it gets red and keeps spreading"), "a condition");
  EXPECT_EQ(calm("if i get a cold and a fever"), "a condition");
  EXPECT_EQ(calm("worried it will be sore and blister"), "future or hypothetical");
  EXPECT_TRUE(urgent("if it matters, and theres pus"));     // punctuation ends the condition
  EXPECT_TRUE(urgent("if i can come in and my scalp has pus"));  // a report starts the run
}

TEST_F(sign_fixture, a_question_put_inside_a_sentence_asks_up_to_a_report) {
  EXPECT_EQ(calm("just wondering if a fever after smp is normal"), "a general question");
  EXPECT_TRUE(urgent("just wondering if its normal that my scalp has pus"));  // its "if" is no condition
  EXPECT_TRUE(urgent("not sure if this is normal but theres pus"));
}

TEST_F(sign_fixture, a_sign_phrase_that_holds_a_whole_figure_of_speech_is_the_sign) {
  EXPECT_FALSE(urgent("i am allergic to latex"));
  EXPECT_TRUE(urgent("i am allergic to the ink"));
  EXPECT_FALSE(urgent("hay fever season"));  // "fever" is less than the figure
}

TEST_F(sign_fixture, a_body_part_told_before_the_sign_in_its_stretch_is_where_it_is) {
  EXPECT_EQ(calm("cut my hand and the bleeding will not stop"), "elsewhere on the body");
  EXPECT_TRUE(urgent("theres pus and i touched it with my hand"));  // told after the sign
  EXPECT_TRUE(urgent("cut my hand. now the bleeding will not stop"));  // another stretch
}

TEST_F(sign_fixture, an_opener_inside_a_stretch_asks_nothing) {
  EXPECT_EQ(calm("a blister on day 2 which cleared by day 4"), "resolved");
  EXPECT_TRUE(urgent("theres pus, when has it cleared before"));  // asked where it opens a stretch
}

TEST_F(sign_fixture, an_aside_between_a_sign_s_words_is_no_distance) {
  // Six words apart with the window at five, but four of them are an aside.
  EXPECT_TRUE(urgent("the redness, which i noticed, is spreading"));
  EXPECT_FALSE(urgent("the redness i noticed on the top is spreading"));
}

TEST_F(sign_fixture, a_resolution_told_of_the_rest_of_the_scalp_resolves_nothing) {
  EXPECT_TRUE(urgent("my scalp has a hard lump, the rest has cleared"));
  EXPECT_EQ(calm("my scalp had a hard lump, it has cleared"), "resolved");
}

TEST_F(sign_fixture, the_scalp_named_only_to_be_denied_is_not_where_the_sign_is) {
  EXPECT_EQ(calm("a blister on my heel, not the scalp"), "elsewhere on the body");
  EXPECT_TRUE(urgent("my heel and the scalp have a blister"));
}
