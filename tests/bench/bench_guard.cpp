// What issue 14's guards cost: redacting a patient's text (on every answer's log line), and
// POST /api/reply's work limit on a 60 KB email of fresh gibberish (the whole email read, as
// before, against what the server reads now). Run: build/tests/bench/bench_guard
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "answer_engine.hpp"
#include "corpus_loader.hpp"
#include "evaluation.hpp"
#include "index_builder.hpp"
#include "index_reader.hpp"
#include "redact.hpp"
#include "reply_drafter.hpp"
#include "reply_limit.hpp"

namespace fs = std::filesystem;
using namespace cited;

namespace {

struct fixture {
  fs::path db = fs::temp_directory_path() / ("cited-bench-guard-" + std::to_string(::getpid()) + ".db");
  std::vector<std::string> questions;
  std::unique_ptr<answer_engine> engine;
  std::string gibberish;

  fixture() {
    build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), db);
    auto loaded = load_index(db);
    engine = std::make_unique<answer_engine>(loaded.knowledge, loaded.words, open_retriever(db));
    for (const char* set : {"questions.jsonl", "dev.jsonl", "heldout.jsonl"}) {
      std::ifstream in(fs::path(CITED_SOURCE_DIR) / "tests" / "eval" / set);
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) questions.push_back(parse_eval_case(line).question);
    }
    // Words no dictionary has, in sentences of 5 to 15, some asked as questions.
    std::mt19937 random(14);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(random); };
    std::vector<std::string> words;
    for (int i = 0; i < 5000; ++i) {
      std::string w;
      for (int k = pick(2, 9); k > 0; --k) w += static_cast<char>('a' + pick(0, 25));
      words.push_back(std::move(w));
    }
    while (gibberish.size() < 60'000) {
      for (int k = pick(5, 15); k > 0; --k) gibberish += words[static_cast<std::size_t>(pick(0, 4999))] + (k > 1 ? " " : "");
      gibberish += pick(0, 3) == 0 ? "? " : ". ";
    }
  }
  ~fixture() { fs::remove(db); }
};

fixture& shared() {
  static fixture f;
  return f;
}

void redact_a_question(benchmark::State& state) {
  auto& f = shared();
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string out = web::redact_personal_data(f.questions[i++ % f.questions.size()]);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["questions"] = static_cast<double>(f.questions.size());
}
BENCHMARK(redact_a_question)->Unit(benchmark::kMicrosecond);

void redact_a_question_with_a_phone_number(benchmark::State& state) {
  const std::string text = "hi, can someone call me back on 07700 900123 about the cost of smp?";
  for (auto _ : state) {
    const std::string out = web::redact_personal_data(text);
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(redact_a_question_with_a_phone_number)->Unit(benchmark::kMicrosecond);

void reply_to_60_kb_of_gibberish_read_whole(benchmark::State& state) {
  auto& f = shared();
  reply_drafter drafter(*f.engine);
  for (auto _ : state) {
    const auto reply = drafter.draft(f.gibberish);
    benchmark::DoNotOptimize(reply.draft.data());
  }
}
BENCHMARK(reply_to_60_kb_of_gibberish_read_whole)->Unit(benchmark::kMillisecond);

void reply_to_60_kb_of_gibberish_within_the_limit(benchmark::State& state) {
  auto& f = shared();
  reply_drafter drafter(*f.engine);
  for (auto _ : state) {
    const auto reply = app::draft_within_limit(drafter, f.gibberish, app::reply_limits{});
    benchmark::DoNotOptimize(reply);
  }
}
BENCHMARK(reply_to_60_kb_of_gibberish_within_the_limit)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
