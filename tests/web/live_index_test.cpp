// The served index as generations (web/live_index.hpp), with a small knowledge base and no
// SQLite: a slot moves to the newest generation when it next asks for its engine, skips the
// ones it missed, keeps its engine when a load fails, and the old knowledge goes once every slot
// has moved (released on live_index's thread); a changed file is reloaded, an unchanged or
// known-bad one is not.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "live_index.hpp"
#include "small_knowledge.hpp"

namespace cited::web {
namespace {

namespace fs = std::filesystem;

// Makes engines over a fresh small knowledge base per load; each load's first fact is renamed
// after the load's number, so a test can tell generations apart.
struct counting_loader {
  std::atomic<int> loads{0};
  std::atomic<bool> fail{false};
  fs::path file;
  index_loader loader() {
    return [this](std::size_t engines) {
      if (fail) throw std::runtime_error("cannot load");
      const int n = ++loads;
      auto kb = fixtures::small_knowledge();
      kb->facts.front().topic = "load-" + std::to_string(n);
      std::shared_ptr<const knowledge_base> shared = kb;
      auto words = fixtures::small_vocabulary(*kb);
      index_load out;
      out.identity = file.empty() ? std::string() : file_identity(file);
      out.knowledge = shared;
      for (std::size_t i = 0; i < engines; ++i)
        out.engines.push_back(std::make_unique<answer_engine>(shared, words, std::make_unique<fixtures::word_retriever>(shared)));
      return out;
    };
  }
};

std::string topic_of(answer_engine& e) { return e.knowledge().facts.front().topic; }

TEST(live_index, a_slot_moves_to_the_newest_generation_when_it_next_asks) {
  counting_loader l;
  live_index live(l.loader(), 2);
  live_index::slot first(live, 0), second(live, 1);
  EXPECT_EQ(live.generation(), 1u);
  EXPECT_EQ(topic_of(first.engine()), "load-1");
  EXPECT_EQ(live.reload("test"), 2u);
  EXPECT_EQ(live.reload("test"), 3u);
  EXPECT_EQ(topic_of(first.engine()), "load-3");  // generation 2 skipped
  EXPECT_EQ(first.generation(), 3u);
  EXPECT_EQ(topic_of(second.engine()), "load-3");
  EXPECT_EQ(live.knowledge()->facts.front().topic, "load-3");
  EXPECT_THROW(live_index::slot(live, 2), std::out_of_range);
}

TEST(live_index, the_old_knowledge_goes_once_every_slot_has_moved) {
  counting_loader l;
  live_index live(l.loader(), 2);
  live_index::slot first(live, 0), second(live, 1);
  std::weak_ptr<const knowledge_base> old = live.knowledge();
  first.engine();
  second.engine();
  live.reload("test");
  first.engine();
  EXPECT_FALSE(old.expired());  // the second slot still answers from it
  second.engine();
  // Released on live_index's own thread, not the one that let go of it.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!old.expired() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(old.expired());
}

TEST(live_index, a_failed_load_keeps_what_is_served) {
  counting_loader l;
  live_index live(l.loader(), 1);
  live_index::slot s(live, 0);
  answer_engine& before = s.engine();
  l.fail = true;
  EXPECT_THROW(live.reload("test"), std::runtime_error);
  EXPECT_EQ(live.generation(), 1u);
  EXPECT_EQ(&s.engine(), &before);
  EXPECT_EQ(s.engine().ask("how much does it cost").status, answer_status::answered);
}

TEST(live_index, a_changed_file_is_reloaded_and_an_unchanged_or_bad_one_is_not) {
  const fs::path file = fs::temp_directory_path() / ("cited-live-index-" + std::to_string(::getpid()) + ".db");
  auto write = [&](const std::string& text) {
    const fs::path tmp = file.string() + ".new";
    std::ofstream(tmp) << text;
    fs::rename(tmp, file);
  };
  write("one");
  counting_loader l;
  l.file = file;
  live_index live(l.loader(), 1, file);
  EXPECT_FALSE(live.reload_if_changed());
  write("two");
  EXPECT_TRUE(live.reload_if_changed());
  EXPECT_EQ(live.generation(), 2u);
  EXPECT_FALSE(live.reload_if_changed());
  l.fail = true;
  write("three");
  EXPECT_FALSE(live.reload_if_changed());
  const int loads = l.loads;
  EXPECT_FALSE(live.reload_if_changed());  // the same bad file is not tried again
  EXPECT_EQ(l.loads, loads);
  l.fail = false;
  write("four");
  EXPECT_TRUE(live.reload_if_changed());
  EXPECT_EQ(live.generation(), 3u);
  fs::remove(file);
}

TEST(live_index, threads_keep_answering_while_it_reloads) {
  counting_loader l;
  live_index live(l.loader(), 3);
  std::atomic<bool> stop{false};
  std::atomic<long> answered{0}, wrong{0};
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      live_index::slot s(live, i);
      while (!stop) {
        const answer a = s.engine().ask("how much does it cost");
        (a.status == answer_status::answered ? answered : wrong).fetch_add(1);
      }
    });
  for (int i = 0; i < 30; ++i) live.reload("test");
  stop = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GT(answered.load(), 0);
  EXPECT_EQ(live.generation(), 31u);
}

}  // namespace
}  // namespace cited::web
