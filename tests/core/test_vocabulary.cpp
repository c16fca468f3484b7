#include "vocabulary.hpp"

#include <gtest/gtest.h>

using namespace cited;

TEST(edit_distance, counts_transpositions_as_one_edit) {
  EXPECT_EQ(edit_distance("pain", "pian", 2), 1u);
  EXPECT_EQ(edit_distance("cost", "cots", 2), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting", 5), 3u);
  EXPECT_EQ(edit_distance("abc", "abc", 0), 0u);
  EXPECT_GT(edit_distance("short", "muchlongerword", 2), 2u);
}

TEST(vocabulary, weighs_rare_words_over_common_ones) {
  vocabulary v;
  v.add("scalp", 50);
  v.add("keloids", 1);
  v.set_total_documents(80);
  EXPECT_GT(v.weight("keloids"), v.weight("scalp"));
  EXPECT_GT(v.weight("unseen"), v.weight("keloids"));
}

TEST(vocabulary, corrects_typos_towards_known_words) {
  vocabulary v;
  for (const char* w : {"micropigmentation", "permanent", "pain", "plan", "anesthesia", "look"}) v.add(w, 3);
  v.set_total_documents(10);
  EXPECT_EQ(v.correct("micropigmantation"), "micropigmentation");
  EXPECT_EQ(v.correct("permanant"), "permanent");
  EXPECT_EQ(v.correct("anesthsia"), "anesthesia");
  EXPECT_EQ(v.correct("pian"), "pain");  // swapped letters
}

TEST(vocabulary, leaves_short_unknown_and_unlike_words_alone) {
  vocabulary v;
  v.add("look", 3);
  v.add("pizza", 1);
  v.set_total_documents(10);
  EXPECT_FALSE(v.correct("book"));     // a different word, not a typo
  EXPECT_FALSE(v.correct("the"));      // too short to guess
  EXPECT_FALSE(v.correct("2000"));     // numbers are never mended
  EXPECT_FALSE(v.correct("sunday"));
  EXPECT_FALSE(v.correct("pizza"));    // already known: nothing to mend
}
