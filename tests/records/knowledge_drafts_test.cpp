// The staff's knowledge drafts and publishes in the records store: edits kept in order, a
// closed draft takes no more, publishes listed newest first with their corpora kept apart, the
// corpus of a version found from the publishes, fact usage from the log and its feedback, and a
// store of version 2 upgraded with its rows.
#include "knowledge_drafts.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "conversation_log.hpp"
#include "store.hpp"

namespace cited::records {
namespace {

namespace fs = std::filesystem;

struct knowledge_drafts_test : ::testing::Test {
  void SetUp() override {
    static std::atomic<int> n{0};
    dir = fs::temp_directory_path() / ("cited-drafts-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
    db = open_for_writing(dir / "records.db");
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
  database db;
};

TEST_F(knowledge_drafts_test, a_draft_keeps_its_edits_in_order_until_it_is_closed) {
  const std::string id = create_draft(db, "ana@clinic.example", "v-1", 1000);
  EXPECT_EQ(id.rfind("d-", 0), 0u);
  const auto first = add_draft_edit(db, id, "ana@clinic.example", 1001, R"({"kind":"fact_removed","fact_id":"a"})");
  const auto second = add_draft_edit(db, id, "ben@clinic.example", 1002, R"({"kind":"fact_removed","fact_id":"b"})");
  ASSERT_TRUE(first && second);
  auto d = find_draft(db, id);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->base_version, "v-1");
  EXPECT_EQ(d->status, "open");
  EXPECT_EQ(d->updated_at, 1002);
  ASSERT_EQ(d->edits.size(), 2u);
  EXPECT_EQ(d->edits[1].by, "ben@clinic.example");
  EXPECT_TRUE(remove_draft_edit(db, id, *first, 1003));
  EXPECT_FALSE(remove_draft_edit(db, id, *first, 1004));
  EXPECT_EQ(find_draft(db, id)->edits.size(), 1u);
  EXPECT_TRUE(close_draft(db, id, "published", 1005));
  EXPECT_FALSE(close_draft(db, id, "discarded", 1006));
  EXPECT_FALSE(add_draft_edit(db, id, "ana@clinic.example", 1007, "{}"));
  EXPECT_EQ(list_drafts(db, "open", 10).size(), 0u);
  EXPECT_EQ(list_drafts(db, "", 10).size(), 1u);
  EXPECT_FALSE(find_draft(db, "d-none"));
}

TEST_F(knowledge_drafts_test, publishes_are_listed_newest_first_and_know_their_corpora) {
  publish_record p;
  p.at = 10;
  p.by = "ana@clinic.example";
  p.draft_id = "d-1";
  p.from_version = "v-a";
  p.to_version = "v-b";
  p.before_json = R"({"facts":[],"sources":[],"which":"a"})";
  p.after_json = R"({"facts":[],"sources":[],"which":"b"})";
  const long long first = record_publish(db, p);
  publish_record r = p;
  r.at = 20;
  r.draft_id = std::nullopt;
  r.restored_from = first;
  r.from_version = "v-b";
  r.to_version = "v-a";
  std::swap(r.before_json, r.after_json);
  const long long second = record_publish(db, r);
  const auto listed = list_publishes(db, 10);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, second);
  EXPECT_EQ(listed[0].restored_from, first);
  EXPECT_FALSE(listed[0].draft_id);
  EXPECT_TRUE(listed[0].before_json.empty());  // listing leaves the corpora out
  const auto found = find_publish(db, first);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->after_json, p.after_json);
  EXPECT_NE(corpus_of_version(db, "v-b")->find("\"b\""), std::string::npos);
  EXPECT_NE(corpus_of_version(db, "v-a")->find("\"a\""), std::string::npos);
  EXPECT_FALSE(corpus_of_version(db, "v-c"));
}

TEST_F(knowledge_drafts_test, usage_counts_what_was_served_and_thumbed) {
  turn_inserter insert(db);
  insert.insert({1000, "c-1", "ws", "how much", "a-1", "answered", R"(["cost"])"});
  insert.insert({2000, "c-1", "ws", "how much", "a-2", "answered", R"(["cost","pain"])"});
  insert.insert({3000, "c-2", "ws", "payment plans?", "a-3", "no_answer", "[]"});
  db.exec("INSERT INTO feedback(received_at, answer_id, helpful) VALUES ('1970-01-01T00:00:02.500Z', 'a-2', 0)");
  const auto usage = usage_by_fact(db, 0, 10'000);
  EXPECT_EQ(usage.at("cost").served, 2);
  EXPECT_EQ(usage.at("cost").down, 1);
  EXPECT_EQ(usage.at("cost").up, 0);
  EXPECT_EQ(usage.at("pain").served, 1);
  const auto questions = logged_questions(db, 0, 10'000, 10);
  ASSERT_EQ(questions.size(), 2u);
  EXPECT_EQ(questions[0], "payment plans?");
  EXPECT_EQ(logged_questions(db, 2500, 10'000, 10).size(), 1u);
}

TEST_F(knowledge_drafts_test, a_store_of_version_2_is_upgraded_with_its_rows) {
  const fs::path file = dir / "old.db";
  {
    database old = open_for_writing(file);
    old.exec("DROP TABLE knowledge_edits; DROP TABLE knowledge_drafts; DROP TABLE knowledge_publishes; PRAGMA user_version=2;");
    turn_inserter(old).insert({1000, "c-1", "ws", "kept", "a-1", "answered"});
  }
  database upgraded = open_for_writing(file);
  EXPECT_EQ(logged_questions(upgraded, 0, 10'000, 10).size(), 1u);
  EXPECT_FALSE(create_draft(upgraded, "ana@clinic.example", "v-1", 1).empty());
  database reader = open_for_reading(file);
  EXPECT_EQ(list_drafts(reader, "open", 10).size(), 1u);
}

}  // namespace
}  // namespace cited::records
