#include "verbatim.hpp"

#include <gtest/gtest.h>

using namespace cited;

TEST(verbatim, quotes_may_differ_from_the_source_in_whitespace_only) {
  const std::string source = "First sentence.\n\nGenerally speaking,   most clinics\ncharge between $500 and $3000.";
  EXPECT_TRUE(is_verbatim("Generally speaking, most clinics charge between $500 and $3000.", source));
  EXPECT_TRUE(is_verbatim("  Generally\tspeaking, ", source));
  EXPECT_FALSE(is_verbatim("generally speaking, most clinics", source));  // case matters
  EXPECT_FALSE(is_verbatim("most clinics charge between $500 and $4000.", source));
  EXPECT_FALSE(is_verbatim("   ", source));
}

TEST(verbatim, finds_numbers_the_quotes_do_not_state) {
  const std::vector<std::string> quotes{"most clinics charge between $500 and $3000 per session."};
  EXPECT_TRUE(unsourced_numbers("Between $500 and $3,000 per session [1].", quotes).empty());
  EXPECT_EQ(unsourced_numbers("About $700 [1].", quotes), std::vector<std::string>{"700"});
  EXPECT_TRUE(unsourced_numbers("See [2] and [12].", quotes).empty());  // markers are not claims
}

TEST(verbatim, an_answer_without_its_markers_keeps_its_own_numbers) {
  const std::string searched = without_citation_markers("Three sessions [1], 2-3 years apart [2][12].");
  EXPECT_EQ(searched.find('['), std::string::npos);
  EXPECT_EQ(numbers_in(searched), (std::vector<std::string>{"2", "3"}));
}

TEST(place_quote, is_whole_sentences_from_a_sentence_start_to_a_sentence_end) {
  const std::string source = "Most clinics charge $500. SMP lasts (for years.) \"It hurts,\" he said. approx. three";
  EXPECT_TRUE(place_quote("Most clinics charge $500.", source).starts_whole);
  EXPECT_TRUE(place_quote("Most clinics charge $500.", source).ends_whole);
  EXPECT_TRUE(place_quote("SMP lasts (for years.)", source).ends_whole);
  const quote_place middle = place_quote("clinics charge $500.", source);
  EXPECT_TRUE(middle.found);
  EXPECT_FALSE(middle.starts_whole);
  EXPECT_EQ(middle.before, "Most");
  const quote_place cut = place_quote("SMP lasts", source);
  EXPECT_TRUE(cut.starts_whole);
  EXPECT_FALSE(cut.ends_whole);
  EXPECT_EQ(cut.after, "(for years.) \"It hurts,\" he");
  EXPECT_FALSE(place_quote("three", source).starts_whole);  // a lower-case word after "approx." is no sentence's start
  EXPECT_FALSE(place_quote("ost clinics charge $500.", source).starts_whole);
  EXPECT_FALSE(place_quote("Most clinics charge $50", source).ends_whole);
  EXPECT_FALSE(place_quote("Most clinics charge $600.", source).found);
}

TEST(place_quote, takes_a_heading_or_a_list_item_to_its_line_break) {
  const std::string source = "Aftercare\n\n- keep it dry\n- no gym for a week\nSee us";
  EXPECT_TRUE(place_quote("Aftercare", source).ends_whole);
  const quote_place item = place_quote("- keep it dry", source);
  EXPECT_TRUE(item.starts_whole);
  EXPECT_TRUE(item.ends_whole);
  EXPECT_TRUE(place_quote("See us", source).ends_whole);  // the end of the text
}

TEST(place_quote, prefers_a_place_where_the_quote_is_whole) {
  const std::string source = "It is said that it heals. It heals.";
  const quote_place place = place_quote("It heals.", source);
  EXPECT_TRUE(place.starts_whole);
  EXPECT_TRUE(place.ends_whole);
}

TEST(sentences_around, widens_a_selection_to_the_whole_sentences_it_touches) {
  const std::string source = "Intro line\n\nMost clinics charge $500. SMP lasts (for years.) It is safe.\nAftercare";
  auto around = [&](const std::string& selected) {
    const auto at = source.find(selected);
    return std::string(sentences_around(source, at, at + selected.size()));
  };
  EXPECT_EQ(around("clinics charge"), "Most clinics charge $500.");
  EXPECT_EQ(around("$500. SMP"), "Most clinics charge $500. SMP lasts (for years.)");
  EXPECT_EQ(around("is sa"), "It is safe.");
  EXPECT_EQ(around("ftercar"), "Aftercare");
  EXPECT_EQ(around("Intro"), "Intro line");
  EXPECT_EQ(std::string(sentences_around(source, 5, 500)), source.substr(0));
  for (const char* selected : {"clinics charge", "$500. SMP", "is sa", "ftercar"}) {
    const quote_place place = place_quote(around(selected), source);
    EXPECT_TRUE(place.starts_whole && place.ends_whole) << selected;
  }
}

TEST(sentences_around, an_empty_selection_at_either_end_is_empty) {
  EXPECT_EQ(sentences_around("One. Two.", 0, 0), "");
  EXPECT_EQ(sentences_around("One. Two.", 9, 9), "");
  EXPECT_EQ(sentences_around("", 0, 4), "");
}
