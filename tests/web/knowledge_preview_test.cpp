// A draft's preview (web/knowledge_preview.hpp) with two small engines: the questions whose
// answers change are listed with both answers, the others only counted; each set's figures come
// before and after; a red-flag question that would no longer be urgent is a lost red flag.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>

#include "knowledge_preview.hpp"
#include "small_knowledge.hpp"

namespace cited::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::unique_ptr<answer_engine> engine_over(const std::shared_ptr<knowledge_base>& kb) {
  std::shared_ptr<const knowledge_base> shared = kb;
  return std::make_unique<answer_engine>(shared, fixtures::small_vocabulary(*kb), std::make_unique<fixtures::word_retriever>(shared));
}

struct preview_files : ::testing::Test {
  void SetUp() override {
    dir = fs::temp_directory_path() / ("cited-preview-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "set.jsonl") << R"({"q": "how much does it cost", "expect": "answered", "cite": ["$500"]})" << "\n"
                                     << R"({"q": "how long does microblading last", "expect": "answered", "cite": ["1-3 years"]})" << "\n"
                                     << R"({"q": "what colour is the sky", "expect": "no_answer"})" << "\n";
    std::ofstream(dir / "redflags.jsonl") << R"({"q": "i have pus oozing from my scalp", "expect": "urgent"})" << "\n";
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(preview_files, lists_the_changed_answers_and_the_figures_before_and_after) {
  auto served_kb = fixtures::small_knowledge();
  auto draft_kb = std::make_shared<knowledge_base>(*served_kb);
  // The draft removes the microblading fact: that question's answer changes.
  std::erase_if(draft_kb->facts, [](const fact& f) { return f.id == "microblading-duration"; });
  for (auto& f : draft_kb->facts) std::erase(f.related, "microblading-duration");
  auto served = engine_over(served_kb), drafted = engine_over(draft_kb);
  knowledge_options options;
  options.question_sets = {dir / "set.jsonl"};
  options.red_flag_set = dir / "redflags.jsonl";
  preview_input in;
  in.draft = draft_kb.get();
  in.served = served.get();
  in.drafted = drafted.get();
  in.logged = {"how much does it cost", "does it hurt"};
  const preview_result r = preview_draft(in, options);
  EXPECT_EQ(r.compared, 4u);  // the set's three and the log's new one
  ASSERT_EQ(r.changed_count, 1u) << r.changed;
  EXPECT_EQ(r.changed.at(0).at("question"), "how long does microblading last");
  EXPECT_EQ(r.changed.at(0).at("old").at("status"), "answered");
  EXPECT_NE(r.changed.at(0).at("new"), r.changed.at(0).at("old"));
  // Named as `cited eval` names a set outside tests/eval/: with its folder.
  const std::string set = dir.filename().string() + "/set.jsonl";
  EXPECT_EQ(r.eval_before.at(set).at("answerable").at("right"), 2) << r.eval_before;
  EXPECT_EQ(r.eval_after.at(set).at("answerable").at("right"), 1) << r.eval_after;
  EXPECT_TRUE(r.lost_red_flags.empty());
  options.listed_changes = 0;
  const preview_result counted = preview_draft(in, options);
  EXPECT_EQ(counted.changed_count, 1u);
  EXPECT_TRUE(counted.changed.empty());
}

TEST_F(preview_files, a_red_flag_no_longer_urgent_is_lost_and_fails_the_checks) {
  auto served_kb = fixtures::small_knowledge();
  auto draft_kb = std::make_shared<knowledge_base>(*served_kb);
  draft_kb->words.warning_signs.signs.clear();
  auto served = engine_over(served_kb), drafted = engine_over(draft_kb);
  ASSERT_EQ(served->ask("i have pus oozing from my scalp").status, answer_status::urgent);
  knowledge_options options;
  options.red_flag_set = dir / "redflags.jsonl";
  preview_input in;
  in.draft = draft_kb.get();
  in.served = served.get();
  in.drafted = drafted.get();
  const preview_result r = preview_draft(in, options);
  ASSERT_EQ(r.lost_red_flags.size(), 1u);
  EXPECT_EQ(r.lost_red_flags[0]["question"], "i have pus oozing from my scalp");
  EXPECT_EQ(r.lost_red_flags[0]["old"]["status"], "urgent");
  const json checks = publish_checks({}, json::array(), r.lost_red_flags);
  EXPECT_FALSE(checks["ok"].get<bool>());
  EXPECT_TRUE(publish_checks({}, json::array(), json::array())["ok"].get<bool>());
  EXPECT_FALSE(publish_checks({{"cost", "", "citations[0].quote", "verbatim", "required", "not in the source"}}, json::array(),
                              json::array())["ok"].get<bool>());
  // Advice is listed and refuses nothing.
  const json advised = publish_checks({{"cost", "", "questions", "questions_count", "advice", "add a few more phrasings"}},
                                      json::array(), json::array());
  EXPECT_TRUE(advised["ok"].get<bool>());
  EXPECT_EQ(advised["problems"].size(), 1u);
}

TEST_F(preview_files, an_unreadable_set_is_an_error) {
  auto kb = fixtures::small_knowledge();
  auto engine = engine_over(kb);
  knowledge_options options;
  options.question_sets = {dir / "missing.jsonl"};
  preview_input in;
  in.draft = kb.get();
  in.served = engine.get();
  in.drafted = engine.get();
  EXPECT_THROW(preview_draft(in, options), std::runtime_error);
}

}  // namespace
}  // namespace cited::web
