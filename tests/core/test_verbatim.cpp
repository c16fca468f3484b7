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
