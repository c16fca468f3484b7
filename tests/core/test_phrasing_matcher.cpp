#include "phrasing_matcher.hpp"

#include <gtest/gtest.h>

#include <sstream>

using namespace cited;

namespace {

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

knowledge_base two_facts_on_one_subject() {
  knowledge_base kb;
  kb.facts.resize(3);
  kb.facts[0].questions = {"can i get a transplant after smp", "smp now transplant later"};
  kb.facts[1].questions = {"can i get smp after a transplant", "smp after my transplant"};
  kb.facts[2].questions = {"does it hurt", "is it painful"};
  return kb;
}

}  // namespace

TEST(phrasing_matcher, a_phrasing_asked_word_for_word_is_a_perfect_match) {
  const phrasing_matcher m(two_facts_on_one_subject(), words);
  EXPECT_DOUBLE_EQ(m.similarity(m.read(words("does it hurt")), 2), 1.0);
  EXPECT_DOUBLE_EQ(m.similarity(m.read(words("does it hurt")), 0), 0.0);
}

TEST(phrasing_matcher, word_order_tells_apart_facts_with_the_same_words) {
  const phrasing_matcher m(two_facts_on_one_subject(), words);
  const auto later = m.read(words("could i get a transplant after my smp"));
  EXPECT_GT(m.similarity(later, 0), m.similarity(later, 1));
  const auto first = m.read(words("i want smp after a transplant"));
  EXPECT_GT(m.similarity(first, 1), m.similarity(first, 0));
}

TEST(phrasing_matcher, words_no_phrasing_holds_neither_help_nor_hurt) {
  const phrasing_matcher m(two_facts_on_one_subject(), words);
  EXPECT_DOUBLE_EQ(m.similarity(m.read(words("does it hurt zebra banana")), 2), 1.0);
  EXPECT_DOUBLE_EQ(m.similarity(m.read(words("zebra banana")), 2), 0.0);
  EXPECT_DOUBLE_EQ(m.similarity(m.read({}), 2), 0.0);
  EXPECT_DOUBLE_EQ(m.similarity(m.read(words("does it hurt")), 99), 0.0);  // no such fact
}
