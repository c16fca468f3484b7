// How long one answer takes in-process, warm, including its JSON: the target is under 100 µs.
// Questions rotate through both question sets, so no answer is a repeat of the one before.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "answer_engine.hpp"
#include "answer_json.hpp"
#include "corpus_loader.hpp"
#include "evaluation.hpp"
#include "index_builder.hpp"
#include "index_reader.hpp"
#include "sign_reader.hpp"
#include "text_normaliser.hpp"

namespace fs = std::filesystem;
using namespace cited;

namespace {

struct fixture {
  fs::path db = fs::temp_directory_path() / ("cited-bench-" + std::to_string(::getpid()) + ".db");
  std::vector<std::string> questions;
  std::unique_ptr<answer_engine> engine;

  fixture() {
    build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), db);
    auto loaded = load_index(db);
    engine = std::make_unique<answer_engine>(loaded.knowledge, loaded.words, open_retriever(db));
    for (const char* set : {"questions.jsonl", "dev.jsonl", "heldout.jsonl"}) {
      std::ifstream in(fs::path(CITED_SOURCE_DIR) / "tests" / "eval" / set);
      for (std::string line; std::getline(in, line);)
        if (!line.empty()) questions.push_back(parse_eval_case(line).question);
    }
  }
  ~fixture() { fs::remove(db); }
};

fixture& shared() {
  static fixture f;
  return f;
}

void answer_with_json(benchmark::State& state) {
  auto& f = shared();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string line = to_json_line(f.engine->ask(f.questions[i++ % f.questions.size()]));
    bytes += line.size();
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["questions"] = static_cast<double>(f.questions.size());
  state.counters["json_bytes"] = benchmark::Counter(static_cast<double>(bytes), benchmark::Counter::kAvgIterations);
}
BENCHMARK(answer_with_json)->Unit(benchmark::kMicrosecond);

// What the server does: every connection's questions are asked in one conversation, so most
// carry the previous question's ideas along.
void answer_in_a_running_conversation(benchmark::State& state) {
  auto& f = shared();
  conversation c;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string line = to_json_line(f.engine->ask(f.questions[i++ % f.questions.size()], c));
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(answer_in_a_running_conversation)->Unit(benchmark::kMicrosecond);

void follow_up_in_context(benchmark::State& state) {
  auto& f = shared();
  for (auto _ : state) {
    conversation c;
    benchmark::DoNotOptimize(f.engine->ask("what is microblading?", c));
    benchmark::DoNotOptimize(f.engine->ask("and how long does that last?", c));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 2);
}
BENCHMARK(follow_up_in_context)->Unit(benchmark::kMicrosecond);

void long_message(benchmark::State& state) {
  auto& f = shared();
  std::string text;
  while (text.size() < 4000) text += "hi, I was wondering how much it costs and whether it hurts, thanks! ";
  for (auto _ : state) benchmark::DoNotOptimize(f.engine->ask(text));
}
BENCHMARK(long_message)->Unit(benchmark::kMicrosecond);

// The warning-sign check alone (core/sign_reader), as the analyser runs it on every message:
// first on questions that name no sign (one hash look-up per word, then done), then on the
// red-flag set's messages, where every sign found has its context read.
struct sign_fixture {
  struct message {
    std::vector<std::string> words;
    std::vector<std::uint8_t> pauses;
  };
  text_normaliser normaliser;
  std::map<std::string, std::vector<std::string>> respellings;
  std::unique_ptr<sign_reader> reader;
  std::vector<message> without_sign, symptoms;

  std::vector<std::string> fold(const std::string& text) const {
    std::vector<std::string> out;
    for (const auto& w : normaliser.words(text)) {
      auto it = respellings.find(w.text);
      if (it == respellings.end()) out.push_back(w.text);
      else out.insert(out.end(), it->second.begin(), it->second.end());
    }
    return out;
  }
  message read(const std::string& text) const {
    message m;
    for (const auto& w : normaliser.words(text)) {
      m.pauses.push_back(w.pause);
      auto it = respellings.find(w.text);
      if (it == respellings.end()) m.words.push_back(w.text);
      else m.words.insert(m.words.end(), it->second.begin(), it->second.end());
      m.pauses.resize(m.words.size(), 0);
    }
    return m;
  }
  sign_fixture() {
    const knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
    for (const auto& [from, to] : kb.words.respellings) {
      std::vector<std::string> parts;
      for (const auto& w : normaliser.words(to)) parts.push_back(w.text);
      respellings[normaliser.fold(from)] = parts;
    }
    reader = std::make_unique<sign_reader>(kb.words.warning_signs, [this](const std::string& s) { return fold(s); });
    for (const auto& q : shared().questions) {
      message m = read(q);
      if (reader->read(m.words, m.pauses).sign.empty()) without_sign.push_back(std::move(m));
    }
    std::ifstream in(fs::path(CITED_SOURCE_DIR) / "tests" / "eval" / "redflags.jsonl");
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) symptoms.push_back(read(parse_eval_case(line).question));
  }
};

sign_fixture& signs() {
  static sign_fixture f;
  return f;
}

void warning_signs_in_questions_without_one(benchmark::State& state) {
  auto& f = signs();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& m = f.without_sign[i++ % f.without_sign.size()];
    benchmark::DoNotOptimize(f.reader->read(m.words, m.pauses));
  }
  state.counters["questions"] = static_cast<double>(f.without_sign.size());
}
BENCHMARK(warning_signs_in_questions_without_one)->Unit(benchmark::kMicrosecond);

void warning_signs_in_symptom_messages(benchmark::State& state) {
  auto& f = signs();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& m = f.symptoms[i++ % f.symptoms.size()];
    benchmark::DoNotOptimize(f.reader->read(m.words, m.pauses));
  }
  state.counters["messages"] = static_cast<double>(f.symptoms.size());
}
BENCHMARK(warning_signs_in_symptom_messages)->Unit(benchmark::kMicrosecond);

void loading_the_index(benchmark::State& state) {
  auto& f = shared();
  for (auto _ : state) benchmark::DoNotOptimize(load_index(f.db));
}
BENCHMARK(loading_the_index)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
