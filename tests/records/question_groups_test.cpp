// Grouping unanswered questions: the concepts a question is read as, and the grouping scored on
// tests/records/unanswered_questions.jsonl (90 questions patients ask a clinic that the sources
// cannot answer, in 15 themes): purity (the share of questions in a group whose most common
// theme is their own) and how whole each theme stays.
#include "question_groups.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "corpus_loader.hpp"

namespace cited::records {
namespace {

const knowledge_base& corpus() {
  static const knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
  return kb;
}

bool has_concept(const question_grouper& g, std::string_view question, std::string_view name) {
  for (const auto& [c, w] : g.concepts_of(question))
    if (c == name) return true;
  return false;
}

TEST(question_groups, patients_words_for_paying_in_parts_are_one_concept) {
  question_grouper g(corpus().words);
  for (const char* q : {"do you do payment plans", "finance options?", "can I pay monthly", "Financing available??"})
    EXPECT_TRUE(has_concept(g, q, "payment")) << q;
  EXPECT_FALSE(has_concept(g, "is there parking", "payment"));
  // Stop words and chat spellings say nothing; stems do.
  EXPECT_TRUE(g.concepts_of("do u do it?").empty());
}

TEST(question_groups, the_three_ways_of_asking_about_payment_plans_make_one_group) {
  question_grouper g(corpus().words);
  const std::vector<std::string> questions = {"do you do payment plans", "is there parking", "finance options?",
                                              "where can I park", "can I pay monthly", "are you open on sundays"};
  const auto groups = g.group(questions);
  ASSERT_FALSE(groups.empty());
  EXPECT_EQ(groups[0].label, "payment");
  EXPECT_EQ(std::set<std::size_t>(groups[0].members.begin(), groups[0].members.end()), (std::set<std::size_t>{0, 2, 4}));
  EXPECT_EQ(groups.size(), 3u);
}

TEST(question_groups, scored_on_ninety_unanswered_questions_in_fifteen_themes) {
  std::ifstream in(CITED_SOURCE_DIR "/tests/records/unanswered_questions.jsonl");
  ASSERT_TRUE(in);
  std::vector<std::string> questions, themes;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto j = nlohmann::json::parse(line);
    questions.push_back(j["question"]);
    themes.push_back(j["theme"]);
  }
  ASSERT_GE(questions.size(), 60u);
  ASSERT_GE(std::set<std::string>(themes.begin(), themes.end()).size(), 12u);

  question_grouper g(corpus().words);
  const auto groups = g.group(questions);
  // Purity: each group counts the questions of its most common theme.
  std::size_t pure = 0;
  // For each theme, the biggest share of it that one group holds.
  std::map<std::string, std::map<std::size_t, std::size_t>> theme_in_group;
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    std::map<std::string, std::size_t> count;
    for (const auto i : groups[gi].members) {
      ++count[themes[i]];
      ++theme_in_group[themes[i]][gi];
    }
    std::size_t top = 0;
    for (const auto& [t, n] : count) top = std::max(top, n);
    pure += top;
  }
  std::size_t whole = 0;
  for (const auto& [t, by_group] : theme_in_group) {
    std::size_t top = 0;
    for (const auto& [gi, n] : by_group) top = std::max(top, n);
    whole += top;
  }
  const double purity = static_cast<double>(pure) / static_cast<double>(questions.size());
  const double completeness = static_cast<double>(whole) / static_cast<double>(questions.size());
  std::string report;
  for (const auto& grp : groups) {
    report += std::to_string(grp.members.size()) + " " + grp.label + ":";
    for (const auto i : grp.members) report += " [" + themes[i] + "] " + questions[i] + ";";
    report += "\n";
  }
  std::cout << "[question_groups] " << questions.size() << " questions, " << groups.size() << " groups; purity "
            << 100 * purity << "%, completeness " << 100 * completeness << "%\n"
            << report;
  RecordProperty("purity", std::to_string(purity));
  RecordProperty("completeness", std::to_string(completeness));
  RecordProperty("groups", static_cast<int>(groups.size()));
  EXPECT_GE(purity, 0.85);
  EXPECT_GE(completeness, 0.75);
  EXPECT_LE(groups.size(), 30u) << "one group per question would be pure and useless";
}

}  // namespace
}  // namespace cited::records
