#pragma once
// Answers a patient's message from the sourced facts, or says plainly that it cannot.
//
// A fact is chosen by how much of the question it covers: each idea in the question weighs by
// how rare its words are (unknown words weigh most), and a fact must cover enough of that
// weight, or the answer is no_answer. That one figure is the abstention threshold, calibrated
// on the question sets in tests/eval.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <random>
#include <string_view>

#include "answer.hpp"
#include "conversation.hpp"
#include "knowledge.hpp"
#include "phrasing_matcher.hpp"
#include "question_analyser.hpp"
#include "retriever.hpp"
#include "text_normaliser.hpp"
#include "vocabulary.hpp"

namespace cited {

struct engine_tuning {
  double min_coverage = 0.70;        // below it: no_answer (calibrated on tests/eval/questions.jsonl)
  double phrased_min_coverage = 0.55;  // ... when the best fact's phrasing comes this close:
  double phrased_min_phrasing = 0.50;  //     (both calibrated on the tuning and dev sets)
  double unknown_weight = 3.0;       // what a word unknown to the index weighs (see analyser)
  double common_weight = 0.35;       // the share an everyday non-lexicon word keeps
  double unknown_common_weight = 0.6;  // the share an everyday word unknown to the index keeps
  double further_unknown_share = 0.5;  // each further unknown word weighs this share of the one before
  double conflict_margin = 0.05;     // how much better a one-sided fact must do to beat a two-sided one
  double clinic_margin = 0.10;       // how much better a general fact must cover the question to beat the clinic's own
  double known_weight_cap = 3.0;     // the most a known word weighs: no more than an unknown one
  double context_bonus = 0.35;       // how much a follow-up's remembered topic counts
  double relevance_bonus = 0.10;     // BM25's say, relative to the best hit's
  double phrasing_bonus = 1.20;      // how much coming close to one of a fact's phrasings counts
  double second_fact_share = 0.5;    // a 2nd fact joins when it covers this share of what's left
  double second_fact_min_coverage = 0.25;  // ... and at least this share of the whole question
  double tie_min_coverage = 0.9;     // two facts of two topics covering this much ...
  double tie_margin = 0.05;          // ... and scoring within this of each other both answer
  double quote_only_credit = 0.5;    // a word found only in a fact's quotes counts this much
  double focus_gate = 1;             // 1: the weightiest idea must be in a chosen fact's point
  double did_you_mean_coverage = 0.45;  // a no_answer this near asks which fact was meant ...
  double did_you_mean_margin = 0.15;    // ... when the runner-up scores within this of the best
  double intent_weight = 1.5;        // what asking for a kind of answer (count, removal, ...) weighs
  double subject_weight = 0.15;      // the share a word naming the treatment itself keeps
  std::size_t candidates = 8;
  std::size_t max_question_bytes = 16'000;  // 4,000 characters of 4 bytes; longer text is cut
};

class answer_engine {
 public:
  // One engine per thread: it owns an ICU break iterator and its retriever's connection.
  answer_engine(std::shared_ptr<const knowledge_base> kb, std::shared_ptr<const vocabulary> vocab,
                std::unique_ptr<retriever> search, const engine_tuning& tuning = {});

  // Answers text in the light of context, and records the turn in it.
  answer ask(std::string_view raw, conversation& context);
  // Answers text on its own.
  answer ask(std::string_view raw);
  // Answers a question in the light of what the patient said around it.
  answer ask_after(std::string_view said, std::string_view raw);

  // How text was read and which facts came close, for people tuning the lexicon.
  nlohmann::json explain(std::string_view raw);

  const knowledge_base& knowledge() const { return *kb_; }
  const text_normaliser& normaliser() const { return normaliser_; }
  // Unique to this engine for the process's life: a cache keyed on an engine (a reply drafter
  // bound to it) must not take a new engine, made where a released one was, for the old one.
  std::uint64_t instance() const { return instance_; }

 private:
  struct scored_hit {
    search_hit hit;
    double coverage = 0;   // share of the question's own weight the fact covers
    double phrasing = 0;   // closeness to the fact's nearest phrasing
    double score = 0;
  };

  bool is_ubiquitous(const term_group& g) const;
  double coverage_needed(const scored_hit& h) const;
  analysed_question read(std::string_view text) const;
  std::vector<scored_hit> rank(const analysed_question& q, const std::vector<term_group>& carried);
  answer compose(const std::vector<const fact*>& facts) const;
  answer urgent(const analysed_question& q);
  answer small_talk_reply(small_talk kind) const;
  answer no_answer(const std::vector<scored_hit>& near_misses) const;
  std::vector<std::string> suggestions_for(const fact& f) const;
  std::string next_answer_id() const;

  std::shared_ptr<const knowledge_base> kb_;
  std::shared_ptr<const vocabulary> vocab_;
  std::unique_ptr<retriever> search_;
  engine_tuning tuning_;
  text_normaliser normaliser_;
  question_analyser analyser_;
  phrasing_matcher phrasings_;
  std::vector<intent_set> fact_intents_;  // by fact index: the intents its phrasings ask
  mutable std::mt19937_64 ids_;  // answer ids only; not part of the engine's logical state
  std::uint64_t instance_ = 0;
};

}  // namespace cited
