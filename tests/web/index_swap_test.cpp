// The index swapped under a running server, over real sockets: clients asking all the while
// (WebSocket and POST /api/ask) get every answer, conversations keep their context across a
// swap, a new file is noticed without a signal, and a bad one leaves the served index alone.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "corpus_loader.hpp"
#include "index_builder.hpp"
#include "sanitized_build.hpp"
#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A wording the real corpus has no phrasing for; the taught index adds it to the cost fact.
constexpr const char* taught_question = "do you offer payment plans or monthly finance?";

// The real corpus's index, and the same taught one more phrasing: two versions to swap between.
struct two_indexes {
  fs::path plain, taught;
  two_indexes() {
    static std::atomic<int> n{0};
    const std::string tag = std::to_string(n++);
    plain = scratch_dir() / ("plain-" + tag + ".db");
    taught = scratch_dir() / ("taught-" + tag + ".db");
    knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
    build_index(kb, plain);
    for (auto& f : kb.facts)
      if (f.id == "cost-per-session") f.questions.emplace_back(taught_question);
    build_index(kb, taught);
  }
};

// Puts a copy of from at served the way `cited index` does: a new file renamed over it.
void install(const fs::path& from, const fs::path& served) {
  const fs::path tmp = served.string() + ".new";
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing);
  fs::rename(tmp, served);
}

web::server_services serving(const fs::path& served) {
  web::server_services services;
  services.load_index = [served](std::size_t engines) { return app::load_for_serving(served, engines); };
  services.index_file = served;
  return services;
}

std::uint64_t served_generation(unsigned short port) {
  const auto r = http_request(port, http::verb::get, "/healthz");
  return r.status == 200 ? r.json()["index_generation"].get<std::uint64_t>() : 0;
}

TEST(index_swap, every_ask_is_answered_and_conversations_go_on_through_20_swaps) {
  two_indexes versions;
  const fs::path served = scratch_dir() / "served-20.db";
  install(versions.plain, served);
  auto options = test_server::quiet_options();
  options.index_check = std::chrono::milliseconds(0);  // this test swaps by reload_index only
  options.limits.rate_limit = 0;                       // the clients ask as fast as they are answered
  test_server s(options, serving(served));

  const std::vector<std::string> questions = {"how much does smp cost?", "does it hurt?", "how long does it last?",
                                              "hello!", "how many sessions do i need?", taught_question,
                                              "what is microblading?", "can i swim after treatment?"};
  std::atomic<bool> stop{false};
  std::atomic<long> answered{0}, failures{0};
  std::vector<std::string> problems;
  std::mutex problems_mutex;
  auto failed = [&](const std::string& what) {
    failures.fetch_add(1);
    std::lock_guard lock(problems_mutex);
    if (problems.size() < 10) problems.push_back(what);
  };
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&, c] {
      try {
        ws_client ws(s.port());
        for (std::size_t i = static_cast<std::size_t>(c); !stop.load(); ++i) {
          const json a = ws.ask(questions[i % questions.size()], "q" + std::to_string(i));
          if (a["type"] == "answer" && a["id"] == "q" + std::to_string(i)) answered.fetch_add(1);
          else failed(a.dump());
        }
      } catch (const std::exception& e) {
        failed(std::string("websocket client: ") + e.what());
      }
    });
  // And asks over HTTP, a new connection each.
  clients.emplace_back([&] {
    for (std::size_t i = 0; !stop.load(); ++i) {
      try {
        const auto r = http_request(s.port(), http::verb::post, "/api/ask",
                                    json{{"text", questions[i % questions.size()]}}.dump(),
                                    {{"Content-Type", "application/json"}});
        if (r.status == 200 && r.json()["type"] == "answer") answered.fetch_add(1);
        else failed(std::to_string(r.status) + " " + r.body);
      } catch (const std::exception& e) {
        failed(std::string("http client: ") + e.what());
      }
    }
  });

  // Twenty swaps as the issue asks; four under ASan, where each costs ten times as much and the
  // load bench (tests/load/run_swap_bench.sh) does the twenty at full speed anyway.
  const int swaps = under_asan ? 4 : 20;
  ws_client conversation(s.port());
  for (int swap = 1; swap <= swaps; ++swap) {
    conversation.ask("what is microblading?");
    install(swap % 2 ? versions.taught : versions.plain, served);
    EXPECT_EQ(s.server->reload_index("test"), static_cast<std::uint64_t>(swap + 1));
    const json follow = conversation.ask("how long does that last?");
    EXPECT_EQ(follow["status"], "answered") << "after swap " << swap << ": " << follow;
    EXPECT_TRUE(cites(follow, "1-3 years")) << "after swap " << swap << ": " << follow;
    // Whichever thread answers has moved to the new index by then.
    const json taught = conversation.ask(taught_question);
    EXPECT_EQ(cites(taught, "$500 and $3000"), swap % 2 == 1) << "after swap " << swap << ": " << taught;
    conversation.ask("thanks");  // the taught question must not be this conversation's context
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  stop = true;
  for (auto& t : clients) t.join();
  EXPECT_EQ(failures.load(), 0) << (problems.empty() ? "" : problems.front());
  EXPECT_GT(answered.load(), 100);
  EXPECT_EQ(served_generation(s.port()), static_cast<std::uint64_t>(swaps + 1));
}

TEST(index_swap, a_new_file_is_noticed_without_a_signal) {
  two_indexes versions;
  const fs::path served = scratch_dir() / "served-watched.db";
  install(versions.plain, served);
  auto options = test_server::quiet_options();
  options.index_check = std::chrono::milliseconds(50);
  test_server s(options, serving(served));
  ws_client c(s.port());
  EXPECT_FALSE(cites(c.ask(taught_question), "$500 and $3000"));
  install(versions.taught, served);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (served_generation(s.port()) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(served_generation(s.port()), 2u);
  EXPECT_TRUE(cites(c.ask(taught_question), "$500 and $3000"));
  // Unchanged, it is not loaded again.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(served_generation(s.port()), 2u);
}

TEST(index_swap, sighup_reloads_and_a_bad_file_leaves_the_served_index_alone) {
  two_indexes versions;
  const fs::path served = scratch_dir() / "served-hup.db";
  install(versions.plain, served);
  auto options = test_server::quiet_options();
  options.index_check = std::chrono::milliseconds(50);
  test_server s(options, serving(served));
  s.server->hangup();  // what SIGHUP runs
  EXPECT_EQ(served_generation(s.port()), 2u);

  {
    std::ofstream garbage(served.string() + ".new", std::ios::binary);
    garbage << "this is not an index";
  }
  fs::rename(served.string() + ".new", served);
  EXPECT_ANY_THROW(s.server->reload_index("test"));
  // The watcher sees the same bad file and does not try it again and again.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(served_generation(s.port()), 2u);
  ws_client c(s.port());
  const json a = c.ask("how much does smp cost?");
  EXPECT_EQ(a["status"], "answered") << a;
  // A good file after it is taken.
  install(versions.taught, served);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (served_generation(s.port()) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(served_generation(s.port()), 3u);
  EXPECT_TRUE(cites(c.ask(taught_question), "$500 and $3000"));
}

}  // namespace
}  // namespace cited::test
