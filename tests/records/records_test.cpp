// The records store: staff accounts (Argon2id), sessions (only a hash kept; idle expiry; gone
// with their person), hand-offs, the writer (a job's completion comes after its commit; turns
// batched; old rows purged, newer ones kept).
#include "writer.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <future>

#include "feedback_store.hpp"
#include "handoffs.hpp"
#include "staff_accounts.hpp"
#include "staff_sessions.hpp"
#include "store.hpp"

namespace cited::records {
namespace {

namespace fs = std::filesystem;
constexpr long long day_ms = 24LL * 60 * 60 * 1000;

struct records_test : ::testing::Test {
  void SetUp() override {
    static std::atomic<int> n{0};
    dir = fs::temp_directory_path() / ("cited-records-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

long long count_rows(const fs::path& file, const char* table) {
  database db = open_for_reading(file);
  statement q(db, std::string("SELECT count(*) FROM ") + table);
  return q.step() ? q.integer(0) : -1;
}

TEST_F(records_test, passwords_are_argon2id_hashes_that_verify_only_the_right_password) {
  const std::string hash = hash_password("correct horse battery");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(hash.find("correct"), std::string::npos);
  EXPECT_TRUE(verify_password(hash, "correct horse battery"));
  EXPECT_FALSE(verify_password(hash, "correct horse batterY"));
  EXPECT_NE(hash, hash_password("correct horse battery")) << "each hash has its own salt";
  EXPECT_FALSE(verify_password(decoy_password_hash(), "correct horse battery"));
}

TEST_F(records_test, passwords_and_emails_are_checked) {
  EXPECT_TRUE(password_problem("short"));
  EXPECT_FALSE(password_problem("ten chars!"));
  EXPECT_TRUE(password_problem(std::string(2000, 'x')));
  EXPECT_EQ(normalise_staff_email(" Sam@Clinic.Example").value_or("?"), "?");
  EXPECT_EQ(normalise_staff_email("Sam@Clinic.Example").value_or("?"), "sam@clinic.example");
  EXPECT_FALSE(normalise_staff_email("sam"));
  EXPECT_FALSE(normalise_staff_email("sam@clinic"));
  EXPECT_FALSE(normalise_staff_email("a@b@c.d"));
}

TEST_F(records_test, session_tokens_are_random_and_only_their_hash_is_stored) {
  const auto a = make_session_token(), b = make_session_token();
  EXPECT_EQ(a.token.size(), 43u);  // 256 bits, base64url
  EXPECT_NE(a.token, b.token);
  EXPECT_EQ(hash_session_token(a.token), a.hash);
  EXPECT_FALSE(hash_session_token("not a token"));
  EXPECT_TRUE(csrf_matches(a.token, csrf_token_for(a.token)));
  EXPECT_FALSE(csrf_matches(a.token, csrf_token_for(b.token)));
  EXPECT_FALSE(csrf_matches(a.token, ""));

  const auto file = dir / "records.db";
  database db = open_for_writing(file);
  add_staff(db, "sam@clinic.example", hash_password("correct horse battery"), now_ms());
  const auto who = find_staff(db, "sam@clinic.example");
  ASSERT_TRUE(who);
  create_session(db, a.hash, who->id, now_ms());
  // The token itself is nowhere in the file.
  statement blobs(db, "SELECT count(*) FROM staff_sessions WHERE instr(token_hash, ?1) > 0 OR instr(hex(token_hash), ?1) > 0");
  blobs.bind(1, a.token);
  ASSERT_TRUE(blobs.step());
  EXPECT_EQ(blobs.integer(0), 0);
  EXPECT_TRUE(find_session(db, a.hash, 0));
  EXPECT_FALSE(find_session(db, b.hash, 0));
}

TEST_F(records_test, a_session_ends_after_idling_on_sign_out_and_with_its_person) {
  const auto file = dir / "records.db";
  database db = open_for_writing(file);
  add_staff(db, "sam@clinic.example", hash_password("correct horse battery"), now_ms());
  add_staff(db, "kim@clinic.example", hash_password("another good one"), now_ms());
  EXPECT_THROW(add_staff(db, "sam@clinic.example", hash_password("again and again"), now_ms()), records_error);
  const long long sam = find_staff(db, "sam@clinic.example")->id, kim = find_staff(db, "kim@clinic.example")->id;
  const auto idle = make_session_token(), out = make_session_token(), removed = make_session_token(), other = make_session_token();
  const long long t = now_ms();
  create_session(db, idle.hash, sam, t - 13 * 3600 * 1000LL);
  create_session(db, out.hash, sam, t);
  create_session(db, removed.hash, kim, t);
  create_session(db, other.hash, sam, t);
  const long long cutoff = t - 12 * 3600 * 1000LL;
  EXPECT_FALSE(find_session(db, idle.hash, cutoff)) << "idle for 13 hours";
  touch_session(db, idle.hash, t);
  EXPECT_TRUE(find_session(db, idle.hash, cutoff)) << "seen again";
  end_session(db, out.hash);
  EXPECT_FALSE(find_session(db, out.hash, cutoff));
  EXPECT_TRUE(remove_staff(db, "kim@clinic.example"));
  EXPECT_FALSE(find_session(db, removed.hash, cutoff)) << "removed with its person";
  EXPECT_FALSE(remove_staff(db, "kim@clinic.example"));
  ASSERT_TRUE(set_staff_password(db, "sam@clinic.example", hash_password("a new password"), t));
  EXPECT_FALSE(find_session(db, other.hash, cutoff)) << "a new password ends the old sessions";
  EXPECT_EQ(list_staff(db).size(), 1u);
}

TEST_F(records_test, handoffs_are_stored_listed_and_marked_with_who_and_when) {
  database db = open_for_writing(dir / "records.db");
  new_handoff h;
  h.name = "Sam";
  h.contact = "sam@example.com";
  h.contact_kind = "email";
  h.question = "do you do payment plans?";
  h.via = "ws";
  h.dedupe_key = "k1";
  const std::string first = insert_handoff(db, h, 1000);
  EXPECT_EQ(insert_handoff(db, h, 2000), first) << "the same message sent twice is one hand-off";
  h.dedupe_key = "k2";
  h.question = "parking?";
  const std::string second = insert_handoff(db, h, 3000);
  EXPECT_NE(first, second);
  EXPECT_EQ(first.rfind("h-", 0), 0u);
  auto all = list_handoffs(db, std::nullopt, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].handoff_id, second) << "newest first";
  EXPECT_TRUE(set_handoff_status(db, first, handoff_status::replied, "kim@clinic.example", 5000));
  EXPECT_FALSE(set_handoff_status(db, "h-none", handoff_status::closed, "kim@clinic.example", 5000));
  const auto stored = find_handoff(db, first);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, handoff_status::replied);
  EXPECT_EQ(stored->status_by.value_or(""), "kim@clinic.example");
  EXPECT_EQ(stored->status_at.value_or(0), 5000);
  EXPECT_EQ(list_handoffs(db, handoff_status::fresh, 10).size(), 1u);
}

TEST_F(records_test, a_job_completes_only_after_its_commit_and_a_failing_job_leaves_the_others) {
  const auto file = dir / "records.db";
  writer w(file, writer_settings{});
  std::promise<std::optional<std::string>> good, bad;
  w.submit([](database& db) { db.exec("INSERT INTO feedback(answer_id, helpful) VALUES ('a-1', 1)"); },
           [&](std::optional<std::string> failure) {
             // Committed: another connection sees the row already.
             good.set_value(failure ? failure : (count_rows(file, "feedback") == 1 ? std::nullopt
                                                                                     : std::optional<std::string>("not visible")));
           });
  w.submit([](database& db) { db.exec("INSERT INTO no_such_table VALUES (1)"); },
           [&](std::optional<std::string> failure) { bad.set_value(failure); });
  EXPECT_EQ(good.get_future().get(), std::nullopt);
  EXPECT_TRUE(bad.get_future().get().has_value());
  EXPECT_FALSE(w.run([](database& db) { insert_feedback(db, {"a-2", false, ""}); }));
  EXPECT_EQ(count_rows(file, "feedback"), 2);
}

TEST_F(records_test, turns_are_batched_and_stop_writes_what_is_queued) {
  const auto file = dir / "records.db";
  {
    writer_settings s;
    s.batch_wait = std::chrono::seconds(30);  // only stop() will write them
    writer w(file, s);
    for (int i = 0; i < 100; ++i) {
      turn_row t;
      t.at = now_ms();
      t.conversation = "c-1";
      t.via = "ws";
      t.question = "q" + std::to_string(i);
      t.status = "answered";
      EXPECT_TRUE(w.log_turn(std::move(t)));
    }
    w.stop();
    EXPECT_EQ(w.turns_logged(), 100u);
  }
  EXPECT_EQ(count_rows(file, "turns"), 100);
}

TEST_F(records_test, a_full_queue_drops_turns_and_counts_them_and_no_log_keeps_none) {
  writer_settings s;
  s.max_queued_turns = 10;
  s.batch_wait = std::chrono::seconds(30);
  writer w(dir / "records.db", s);
  int accepted = 0;
  for (int i = 0; i < 25; ++i) accepted += w.log_turn(turn_row{now_ms(), "c", "ws", "q", "a", "answered"}) ? 1 : 0;
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(w.turns_dropped(), 15u);
  writer_settings off;
  off.retain_days = 0;
  writer none(dir / "none.db", off);
  EXPECT_FALSE(none.logging());
  EXPECT_FALSE(none.log_turn(turn_row{now_ms(), "c", "ws", "q", "a", "answered"}));
  EXPECT_EQ(none.turns_dropped(), 0u);
}

TEST_F(records_test, the_purge_deletes_what_is_older_than_the_retention_and_keeps_the_rest) {
  const auto file = dir / "records.db";
  writer_settings s;
  s.retain_days = 90;
  writer w(file, s);
  const long long t = now_ms();
  for (long long age_days : {200, 91, 89, 1, 0}) {
    turn_row row{t - age_days * day_ms, "c-" + std::to_string(age_days), "ws", "q", "a-" + std::to_string(age_days), "answered"};
    w.log_turn(std::move(row));
  }
  ASSERT_FALSE(w.run([t](database& db) {
    // Feedback and hand-offs of the same ages; a hand-off nobody dealt with stays.
    for (long long age_days : {200, 89}) {
      statement f(db, "INSERT INTO feedback(received_at, answer_id, helpful) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', ?1 / 1000.0, 'unixepoch'), ?2, 1)");
      f.bind(1, t - age_days * day_ms).bind(2, "a-" + std::to_string(age_days));
      f.run();
      new_handoff h;
      h.contact = "p@example.com";
      h.contact_kind = "email";
      h.question = "closed " + std::to_string(age_days);
      h.via = "ws";
      const auto id = insert_handoff(db, h, t - age_days * day_ms);
      set_handoff_status(db, id, handoff_status::closed, "kim@clinic.example", t - age_days * day_ms);
      h.question = "open " + std::to_string(age_days);
      insert_handoff(db, h, t - age_days * day_ms);
    }
  }));
  const long long deleted = w.purge();
  EXPECT_EQ(deleted, 2 + 1 + 1);  // two turns, a feedback row, a closed hand-off
  database db = open_for_reading(file);
  statement turns(db, "SELECT group_concat(conversation, ' ') FROM (SELECT conversation FROM turns ORDER BY at)");
  ASSERT_TRUE(turns.step());
  EXPECT_EQ(turns.text(0), "c-89 c-1 c-0");
  statement handoffs(db, "SELECT group_concat(question, ', ') FROM (SELECT question FROM handoffs ORDER BY id)");
  ASSERT_TRUE(handoffs.step());
  EXPECT_EQ(handoffs.text(0), "open 200, closed 89, open 89");
  EXPECT_EQ(count_rows(file, "feedback"), 1);
}

}  // namespace
}  // namespace cited::records
