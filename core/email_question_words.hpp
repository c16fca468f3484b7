#pragma once
// The words and phrases that tell a question in an email from a remark: question words and the
// verbs that open questions, requests that frame one ("I'd like to know"), fillers and
// pleasantries that ask nothing, and what only the clinic's staff can answer. Each table is
// built once, on first use. Internal to core.
#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "email_text.hpp"

namespace cited::email_detail {

// Words that may open a clause without changing what it asks ("So, does it hurt?").
const word_set& fillers();
// Question words: "what", "how", "who" and their contractions ("what's", "hows").
const word_set& wh_words();
// True when w, a question word, is contracted with its verb ("what's", "hows"): it asks whatever
// follows.
bool wh_contraction(const std::string& w);
// The verbs that open a question ("does", "can", "isn't").
const word_set& aux_words();
// What follows such a verb when it opens a question ("does it", "can I", "is SMP").
const word_set& subject_words();
// What may follow a question word in a question asked without "?" ("how long", "what is").
const word_set& wh_followers();
// Words that carry nothing of what a question asks about; a question left with none of the
// others ("How are you?", "Can you help?") is not one the clinic needs to answer.
const word_set& empty_words();
// s's words that carry meaning (neither empty words nor fillers), in order.
std::vector<std::string> content_words(std::string_view s);

// Phrases as word sequences, looked up by first word, longest first.
class phrase_table {
 public:
  // Each phrase as tokens() reads it; one with an apostrophe also without it ("id like to know").
  explicit phrase_table(std::initializer_list<std::string_view> phrases);
  // Number of words of the longest phrase starting at toks[i], or 0.
  std::size_t match(const std::vector<token>& toks, std::size_t i, std::size_t end) const {
    if (i >= end) return 0;
    auto it = by_first_.find(toks[i].w);
    if (it == by_first_.end()) return 0;
    for (const auto& p : it->second) {
      if (i + p.size() > end) continue;
      bool all = true;
      for (std::size_t k = 1; k < p.size() && all; ++k) all = toks[i + k].w == p[k];
      if (all) return p.size();
    }
    return 0;
  }
  // True when a phrase starts at some toks[i], begin <= i < end, and ends by end.
  bool found(const std::vector<token>& toks, std::size_t begin, std::size_t end) const {
    for (std::size_t i = begin; i < end; ++i)
      if (match(toks, i, end)) return true;
    return false;
  }

 private:
  void add(std::string_view p);
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> by_first_;
};

// Openings that change nothing of what follows ("First of all, how long does it last?").
const phrase_table& filler_phrases();
// Requests that frame a question: "I'd like to know the price" asks "the price".
const phrase_table& frames();
// Words between a frame and what it asks ("tell me about the cost", "let me know whether ...").
const word_set& frame_connectors();
// Questions about the clinic itself, or requests that it act: only the staff can answer them.
const phrase_table& staff_phrases();
// Pleasantries that look like questions but ask nothing ("Hope you had a good weekend?").
const phrase_table& pleasantries();
// Words that make "X and Y" one question about both ("the difference between SMP and a
// transplant"), not two.
const word_set& comparison_words();

}  // namespace cited::email_detail
