#include "feedback_store.hpp"

#include "store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace cited::records {
namespace {

namespace fs = std::filesystem;

struct feedback_store_test : ::testing::Test {
  void SetUp() override {
    dir = fs::temp_directory_path() / ("cited-feedback-test-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(feedback_store_test, stores_rows_that_a_new_connection_reads_back) {
  const auto file = dir / "feedback.db";
  {
    feedback_store store(file);
    store.save({"a-1", true, ""});
    store.save({"a-2", false, "too vague"});
    EXPECT_EQ(store.count(), 2);
  }
  feedback_store reopened(file);
  const auto rows = reopened.recent(10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].what.answer_id, "a-2");
  EXPECT_EQ(rows[0].what.comment, "too vague");
  EXPECT_FALSE(rows[0].what.helpful);
  EXPECT_EQ(rows[1].what.answer_id, "a-1");
  EXPECT_TRUE(rows[1].what.helpful);
  EXPECT_EQ(rows[1].received_at.size(), 24u);  // 2026-01-02T03:04:05.678Z
}

TEST_F(feedback_store_test, a_row_is_readable_by_another_connection_as_soon_as_save_returns) {
  const auto file = dir / "feedback.db";
  feedback_store writer(file);
  writer.save({"a-1", true, "ok"});
  feedback_store reader(file);
  EXPECT_EQ(reader.count(), 1);
}

TEST_F(feedback_store_test, uses_wal_mode) {
  const auto file = dir / "feedback.db";
  feedback_store store(file);
  store.save({"a-1", true, ""});
  EXPECT_TRUE(fs::exists(dir / "feedback.db-wal"));
}

TEST_F(feedback_store_test, refuses_a_file_that_is_not_a_records_store) {
  const auto file = dir / "other.db";
  {
    database db(file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec("CREATE TABLE facts(x)");
  }
  EXPECT_THROW(feedback_store{file}, records_error);
}

TEST_F(feedback_store_test, save_throws_when_the_row_cannot_be_written) {
  const auto file = dir / "feedback.db";
  feedback_store store(file, std::chrono::milliseconds(50));
  database other(file.string(), SQLITE_OPEN_READWRITE);
  other.exec("BEGIN EXCLUSIVE");  // holds the write lock past the busy timeout
  sqlite3_busy_timeout(other.get(), 0);
  EXPECT_THROW(store.save({"a-1", true, ""}), std::runtime_error);
  other.exec("ROLLBACK");
  store.save({"a-1", true, ""});
  EXPECT_EQ(store.count(), 1);
}

TEST_F(feedback_store_test, a_feedback_store_of_version_1_is_upgraded_with_its_rows) {
  const auto file = dir / "feedback.db";
  {
    // The feedback store as index/ made it before the records store existed.
    database db(file.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec(
        "CREATE TABLE feedback (id INTEGER PRIMARY KEY, received_at TEXT NOT NULL DEFAULT "
        "(strftime('%Y-%m-%dT%H:%M:%fZ','now')), answer_id TEXT NOT NULL, helpful INTEGER NOT NULL CHECK (helpful IN "
        "(0, 1)), comment TEXT NOT NULL DEFAULT '');"
        "INSERT INTO feedback(answer_id, helpful) VALUES ('a-old', 1);"
        "PRAGMA user_version=1;");
  }
  feedback_store store(file);
  EXPECT_EQ(store.count(), 1);
  store.save({"a-new", false, ""});
  database check = open_for_reading(file);
  statement tables(check, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name IN ('staff','handoffs','turns')");
  ASSERT_TRUE(tables.step());
  EXPECT_EQ(tables.integer(0), 3);
}

TEST_F(feedback_store_test, cannot_open_in_a_missing_folder) {
  EXPECT_THROW(feedback_store{dir / "no" / "such" / "feedback.db"}, records_error);
}

}  // namespace
}  // namespace cited::records
