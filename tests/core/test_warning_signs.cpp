// The warning-sign list: its JSON form, the checks on it, and the bundled list read through the
// question analyser, typo correction included. The wordings here are written for these tests,
// not taken from the question sets in tests/eval.
#include "warning_signs.hpp"

#include <gtest/gtest.h>

#include "corpus_loader.hpp"
#include "question_analyser.hpp"

using namespace cited;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(what) != std::string::npos; });
}

}  // namespace

TEST(warning_signs, survive_a_round_trip_through_json) {
  const auto j = nlohmann::json::parse(R"({
    "source": "a list", "window": 7, "sets": {"worse": ["worse", "getting worse"]},
    "signs": [{"sign": "pain", "source": "s", "local": true, "facts": ["risks-infection-signs"],
               "patterns": [["agony|excruciating"], {"slots": ["pain|sore", "@worse"], "within": 4}, ["temp", "#temperature"]]}],
    "calm": {"negations": ["no", "not"], "openers": ["can"]}})");
  const warning_sign_list list = warning_signs_from_json(j);
  ASSERT_EQ(list.signs.size(), 1u);
  const auto& patterns = list.signs[0].patterns;
  ASSERT_EQ(patterns.size(), 3u);
  EXPECT_EQ(patterns[0].slots, (std::vector<std::vector<std::string>>{{"agony", "excruciating"}}));
  EXPECT_EQ(patterns[1].slots[1], std::vector<std::string>{"@worse"});
  EXPECT_EQ(patterns[1].within, 4u);
  EXPECT_EQ(patterns[2].within, 0u);
  EXPECT_TRUE(list.signs[0].local);
  EXPECT_EQ(list.signs[0].facts, std::vector<std::string>{"risks-infection-signs"});
  EXPECT_EQ(list.window, 7u);
  EXPECT_TRUE(check(list).empty());
  EXPECT_EQ(to_json(warning_signs_from_json(to_json(list))), to_json(list));
}

TEST(warning_signs, a_list_the_reader_could_not_use_is_refused_naming_the_fault) {
  warning_sign_list list;
  EXPECT_TRUE(mentions(check(list), "no signs"));
  list.signs = {{"pain", "", true, {{{{"sore"}, {"@worse"}}, 0}, {{{""}}, 0}, {{{"#cold"}}, 0}, {{}, 0}}, {}}, {"", "", false, {}, {}}};
  list.calm = {{"negation", {"no"}}};
  list.window = 0;
  const auto problems = check(list);
  EXPECT_TRUE(mentions(problems, "set \"worse\" that is not defined"));
  EXPECT_TRUE(mentions(problems, "empty alternative"));
  EXPECT_TRUE(mentions(problems, "unknown value \"#cold\""));
  EXPECT_TRUE(mentions(problems, "pattern #4 must have 1 to"));
  EXPECT_TRUE(mentions(problems, "has no name"));
  EXPECT_TRUE(mentions(problems, "has no patterns"));
  EXPECT_TRUE(mentions(problems, "unknown kind \"negation\""));
  EXPECT_TRUE(mentions(problems, "window must be"));
}

namespace {

struct bundled_signs : ::testing::Test {
  static const knowledge_base& kb() {
    static const knowledge_base k = load_corpus(fs::path(CITED_SOURCE_DIR) / "corpus");
    return k;
  }
  vocabulary vocab;  // no index: typos are mended towards the lexicon's own words
  text_normaliser normaliser;
  question_analyser analyser{kb().words, vocab, normaliser, {}};

  analysed_question read(const std::string& text) const { return analyser.analyse(normaliser.words(text)); }
  void expect_urgent(const std::string& sign, std::initializer_list<const char*> messages) const {
    for (const char* m : messages) {
      const auto q = read(m);
      EXPECT_TRUE(q.red_flag) << m << " (read as " << q.sign << ": " << q.calm << ")";
      EXPECT_EQ(q.sign, sign) << m;
    }
  }
  void expect_calm(std::initializer_list<const char*> messages) const {
    for (const char* m : messages) EXPECT_FALSE(read(m).red_flag) << m << " (read as " << read(m).sign << ")";
  }
};

}  // namespace

TEST_F(bundled_signs, name_their_source) {
  EXPECT_NE(kb().words.warning_signs.source.find("aad.org"), std::string::npos);
  for (const auto& s : kb().words.warning_signs.signs) EXPECT_FALSE(s.source.empty()) << s.name;
  EXPECT_TRUE(check(kb().words.warning_signs).empty());
}

TEST_F(bundled_signs, infection) {
  expect_urgent("infection", {"theres pus in a couple of the dots this morning", "the crown is weeping and the stuff is yellowish",
                              "it stinks back there and the crust is green", "day 5 and i think its infected"});
  expect_calm({"how would i know if its infected?", "no pus or smell, just flaky", "can you get an infection from smp?"});
}

TEST_F(bundled_signs, spreading_redness) {
  expect_urgent("spreading_redness", {"the pink area has crept down to my eyebrows", "the redness is getting bigger every hour",
                                      "a red streak is running from my temple"});
  expect_calm({"is redness after smp normal?", "it was slightly red but its faded now", "spreading the cost, is redness normal?"});
}

TEST_F(bundled_signs, fever_and_feeling_unwell) {
  expect_urgent("fever_unwell", {"i have a fever since the treatment", "shivery and hot and cold since yesterday",
                                 "thermometer reads 38.7 tonight"});
  expect_calm({"i had a fever last winter, is that ok", "should i cancel if i have a temperature?", "is my hay fever tablet ok"});
}

TEST_F(bundled_signs, allergic_rash) {
  expect_urgent("allergic_rash", {"hives came up on my arms after the session", "my whole body itches since the smp",
                                  "raised itchy blotches on my neck"});
  expect_calm({"whats in the ink? i always get hives from some creams", "mild itch on day 3, no rash"});
}

TEST_F(bundled_signs, anaphylaxis) {
  expect_urgent("anaphylaxis", {"my lips have swollen up", "my throat feels like its closing", "im wheezing since i got home"});
  expect_calm({"will my eyes swell after?", "i have asthma, is that ok?"});
}

TEST_F(bundled_signs, bleeding) {
  expect_urgent("bleeding", {"its still bleeding 3 hours later", "the bleeding wont stop even with pressure",
                             "blood keeps trickling down my neck"});
  expect_calm({"is there much bleeding during the session?", "do i need to stop blood thinners first"});
}

TEST_F(bundled_signs, severe_pain) {
  expect_urgent("severe_pain", {"the pain is unbearable", "its getting more painful every day", "ibuprofen isnt touching the pain"});
  expect_calm({"does it hurt a lot?", "a little sore but fine"});
}

TEST_F(bundled_signs, swelling_that_grows) {
  expect_urgent("swelling_growing", {"my forehead is more swollen every day", "the swelling keeps getting bigger"});
  expect_calm({"how long does swelling last?", "the swelling has gone down now"});
}

TEST_F(bundled_signs, lumps_and_nodules) {
  expect_urgent("lumps_nodules", {"hard lumps have appeared under the dots", "theres a firm bump on my hairline"});
  expect_calm({"can smp cover lumps from a transplant?"});
}

TEST_F(bundled_signs, blisters) {
  expect_urgent("blisters", {"i have blisters on my scalp", "fluid filled bubbles appeared overnight"});
  expect_calm({"i got a blister from new shoes on my heel", "can blisters form after smp?"});
}

TEST_F(bundled_signs, skin_colour_change) {
  expect_urgent("skin_colour_change", {"part of the crown has turned black", "the skin there looks mottled"});
  expect_calm({"will the dots turn blue?"});
}

TEST_F(bundled_signs, neurological_and_vision_symptoms) {
  expect_urgent("neuro_vision", {"my vision is blurry since this morning", "i fainted after getting home",
                                 "my face feels numb down one side"});
  expect_calm({"will the numbing cream make me dizzy?"});
}

TEST_F(bundled_signs, wounds_that_do_not_heal) {
  expect_urgent("not_healing", {"it still hasnt healed after 5 weeks", "theres an open sore on my crown"});
  expect_calm({"how long does it take to heal?"});
}

TEST_F(bundled_signs, swollen_glands) {
  expect_urgent("swollen_glands", {"the glands in my neck are swollen", "tender lump under my jaw since the session"});
  expect_calm({"can smp affect lymph nodes?"});
}

TEST_F(bundled_signs, misspelt_sign_words_are_mended_first) {
  expect_urgent("swelling_growing", {"my forhead is swolen and getting biger"});
  expect_urgent("blisters", {"got blistres all over"});
}
