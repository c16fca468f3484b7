#pragma once
// Groups the questions the assistant could not answer, so that staff see "do you do payment
// plans", "finance options?" and "can I pay monthly" as one group with a count.
//
// A question becomes a set of weighted concepts:
//   1. its words as the engine reads them (core's text_normaliser; chat spellings respelled);
//   2. a word or phrase named in the clinic-topics table (question_concepts.cpp: payment,
//      booking, parking, opening hours, ...) becomes that concept (weight 2), else a word of the
//      engine's lexicon becomes its synonym group (weight 2), else a word that is no stop word
//      becomes its Snowball (libstemmer) stem (weight 1);
//   3. a stem found in more than 40% of the questions of a batch says nothing about which of
//      them belong together ("smp", "treatment") and is dropped.
// Questions are then grouped greedily: the questions with the most concepts go first; each joins
// the group whose centroid it is most similar to (cosine of the weighted concept vectors), when
// that is at least join_similarity, or starts a group. Groups whose centroids are at least
// merge_similarity alike are merged. Biggest groups first.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "knowledge.hpp"
#include "text_normaliser.hpp"

struct sb_stemmer;

namespace cited::records {

struct question_group {
  std::string label;                 // the group's leading concepts, e.g. "payment"
  std::vector<std::size_t> members;  // indices into the questions given, most typical first
};

class question_grouper {
 public:
  struct settings {
    double join_similarity = 0.5;
    double merge_similarity = 0.6;
    double common_share = 0.4;   // stems in more than this share of a batch are dropped
  };
  // lex: the engine's lexicon (respellings, synonyms, stop words). Throws records_error when the
  // stemmer cannot be made.
  explicit question_grouper(const lexicon& lex);
  question_grouper(const lexicon& lex, const settings& s);
  ~question_grouper();
  question_grouper(const question_grouper&) = delete;
  question_grouper& operator=(const question_grouper&) = delete;

  // The concepts of one question with their weights, for tests and for explaining a group.
  std::vector<std::pair<std::string, double>> concepts_of(std::string_view question) const;

  // The groups of questions, biggest first. Not thread-safe (one grouper per thread).
  std::vector<question_group> group(const std::vector<std::string>& questions) const;

 private:
  std::string stem(std::string_view word) const;

  settings settings_;
  text_normaliser normaliser_;
  sb_stemmer* stemmer_ = nullptr;
  std::unordered_map<std::string, std::string> respellings_;
  std::unordered_set<std::string> stop_words_;
  // The clinic-topics table and the lexicon's synonyms, by stemmed phrase ("pay monthly").
  std::unordered_map<std::string, std::string> topic_of_phrase_;
  std::unordered_map<std::string, std::string> synonym_of_phrase_;
  std::size_t longest_phrase_ = 1;
};

// The clinic-topics table: concept name -> words and phrases patients use for it.
struct concept_entry {
  std::string_view name;
  std::vector<std::string_view> phrases;
};
const std::vector<concept_entry>& clinic_topics();

}  // namespace cited::records
