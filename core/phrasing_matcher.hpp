#pragma once
// How close a question comes to the ways patients ask for each fact, word order included.
//
// Coverage (answer_engine) asks whether a fact holds the question's ideas; it cannot tell "a
// transplant after SMP" from "SMP after a transplant", and it drops the little words
// ("later", "still", "first") that often decide between two facts on one subject. This
// compares the question's words and word pairs with each of a fact's phrasings: a weighted
// Dice overlap, each word or pair weighing by how few facts' phrasings hold it.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "knowledge.hpp"

namespace cited {

class phrasing_matcher {
 public:
  // words_of reads a phrasing as the engine reads a question (folded, respelled, corrected).
  template <typename WordsOf>
  phrasing_matcher(const knowledge_base& kb, WordsOf&& words_of) {
    std::vector<std::vector<std::vector<int>>> features(kb.facts.size());
    for (std::size_t f = 0; f < kb.facts.size(); ++f)
      for (const auto& p : kb.facts[f].questions) features[f].push_back(intern(words_of(p)));
    finish(std::move(features));
  }

  // A question's features, ready to compare with every fact's phrasings.
  struct question {
    std::vector<std::uint64_t> holds;  // ids of the words and word pairs phrasings hold, as a bit set
    double weight = 0;
  };
  question read(const std::vector<std::string>& words) const;

  // The best overlap between q and one of the fact's phrasings, from 0 to 1.
  double similarity(const question& q, std::size_t fact) const;

 private:
  struct phrasing {
    std::vector<int> features;  // sorted, unique
    double weight = 0;
  };
  static std::vector<std::string> features_of(const std::vector<std::string>& words);
  std::vector<int> intern(const std::vector<std::string>& words);
  void finish(std::vector<std::vector<std::vector<int>>> features);

  std::unordered_map<std::string, int> ids_;
  std::vector<double> weight_;                    // by feature id
  std::vector<std::vector<phrasing>> phrasings_;  // by fact
};

}  // namespace cited
