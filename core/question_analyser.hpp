#pragma once
// Reads a patient's message the way the documents are written: it finds phrases and synonyms
// from the lexicon ("how much" -> cost, "hurt" -> pain), drops stop words, corrects typos
// against the index's own vocabulary, and notes warning signs, small talk and follow-up markers.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "knowledge.hpp"
#include "question_intent.hpp"
#include "sign_reader.hpp"
#include "text_normaliser.hpp"
#include "vocabulary.hpp"

namespace cited {

// One idea in the question: the patient's word and every document word that means it here.
struct term_group {
  std::string origin;               // the patient's word or phrase, folded
  std::vector<std::string> terms;   // words or space-separated phrases to search for
  double weight = 0;                // how much the idea says: rare and unknown words weigh most
  bool known = false;               // false when no term is in the index's vocabulary
  bool subject = false;             // names the treatment itself ("smp", "the procedure")
  // An intent of the question (count, comparison, ...) rather than words: no terms, and a
  // fact covers it when the fact answers that kind of question.
  std::optional<intent> asks = std::nullopt;
};

enum class small_talk { none, greeting, thanks, goodbye, identity };

struct analysed_question {
  std::vector<std::string> words;   // every folded word, typos corrected
  // The words as phrasings are compared: each name of the treatment one and the same word, so
  // "scalp micropigmentation after a transplant" meets the phrasing "smp after hair transplant".
  std::vector<std::string> phrased;
  std::vector<term_group> groups;   // the question's content
  bool red_flag = false;            // reports a warning sign now (core/sign_reader)
  std::vector<std::string> symptoms;  // the words naming it
  std::string sign;                 // the warning sign named, reported or not
  std::string calm;                 // why naming it was no report ("a general question", "negated", ...)
  small_talk talk = small_talk::none;
  bool only_small_talk = false;     // nothing but greetings, thanks, ...
  bool follow_up = false;           // leans on what came before ("and", "it", "that")
  bool joined = false;              // joins two parts ("and", "also"): may ask two things
  bool personal = false;            // asks the clinic's own opinion or experience: for its staff
  intent_set intents = 0;           // the kinds of answer it asks for
};

class question_analyser {
 public:
  // Both must outlive the analyser; the lexicon's entries are folded with normaliser.
  struct weights {
    // What a word the index has never seen weighs. Such words are what the documents cannot
    // speak to, but many are chat filler, so they weigh a fixed amount rather than the most.
    double unknown = 3.0;
    // The share of its weight an everyday word keeps when it is no concept of the lexicon.
    double common = 0.35;
    // The share an everyday word the index has never seen keeps.
    double unknown_common = 1.0;
    // The most a known word weighs: in a small corpus a word found in one fact ("compared")
    // would otherwise outweigh the question's real subject.
    double known_cap = 1e9;
    // The share of its weight a word naming the treatment itself keeps, when the question
    // names something else too.
    double subject = 0.15;
  };
  question_analyser(const lexicon& lex, const vocabulary& vocab, const text_normaliser& normaliser,
                    const weights& weighting);

  analysed_question analyse(const std::vector<word>& input) const;
  // The intents these folded words ask (for reading a fact's phrasings the same way).
  intent_set intents_of(const std::vector<std::string>& words) const { return intents_.read(words); }

  static constexpr std::size_t max_groups = 24;
  static constexpr std::size_t max_terms_per_group = 8;

 private:
  using phrase = std::vector<std::string>;
  struct phrase_list {
    // First word -> phrases starting with it, longest first.
    std::unordered_map<std::string, std::vector<phrase>> by_first;
    void add(phrase p);
    // Length of the longest phrase matching at words[i], or 0.
    std::size_t match(const std::vector<std::string>& words, std::size_t i) const;
    bool found_in(const std::vector<std::string>& words) const;
  };

  bool everyday_adverb(const std::string& w) const;
  term_group make_group(std::string origin, std::vector<std::string> terms) const;
  std::string spell(const std::string& w) const;
  std::optional<term_group> inflected_synonym(const std::string& w) const;
  std::optional<std::vector<std::string>> expanded_contraction(const std::string& w) const;
  term_group content_group(const std::string& w) const;

  const vocabulary& vocab_;
  weights weights_;
  std::unordered_set<std::string> common_words_;
  std::unordered_map<std::string, std::vector<std::string>> respellings_;
  const text_normaliser& normaliser_;
  std::unordered_map<std::string, std::vector<std::string>> synonyms_;
  phrase_list synonym_keys_;
  std::unordered_map<std::string, term_group> synonym_groups_;  // by key
  std::unordered_set<std::string> stop_words_;
  sign_reader signs_;
  phrase_list greetings_, thanks_, goodbyes_, identity_, follow_up_, joiners_, subject_, personal_;
  intent_reader intents_;
  vocabulary spelling_;  // the index's words plus the lexicon's own, for typo correction
  std::vector<std::string> subject_words_;  // the treatment's one-word names ("smp", "micropigmentation")
  std::unordered_map<std::string, std::string> singular_names_;  // "smp treatments" -> "smp treatment"
  // Mended spellings already worked out; a cache, so mutable. An analyser serves one thread.
  mutable std::unordered_map<std::string, std::string> corrections_;
};

}  // namespace cited
