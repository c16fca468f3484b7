#pragma once
// A small knowledge base, and a retriever over it that simply looks for each term's words in
// a fact's text: enough to test the engine's decisions without SQLite.
#include <algorithm>
#include <memory>
#include <sstream>

#include "knowledge.hpp"
#include "retriever.hpp"
#include "text_normaliser.hpp"
#include "vocabulary.hpp"

namespace cited::fixtures {

inline std::shared_ptr<knowledge_base> small_knowledge() {
  auto kb = std::make_shared<knowledge_base>();
  kb->sources = {{"s1", "Costs and pain", "Most clinics charge between $500 and $3000 per session. SMP results can last for several years. The procedure is relatively painless. Local anesthesia is applied to refuse discomfort."},
                 {"s2", "Microblading", "Microblading results typically last for about 1-3 years before needing a touch-up. Signs of infection include redness, swelling, pain, and pus."}};
  kb->facts = {
      {"cost", "cost", {"how much does it cost", "price per session"}, "Most clinics charge between $500 and $3000 per session [1].",
       {{"s1", "Most clinics charge between $500 and $3000 per session."}}, false, {"pain", "microblading-duration"}},
      {"pain", "pain", {"does it hurt", "is it painful"}, "One source says it is relatively painless [1]; another that local anesthesia is applied [2].",
       {{"s1", "The procedure is relatively painless."}, {"s1", "Local anesthesia is applied to refuse discomfort."}}, true, {"cost"}},
      {"smp-duration", "permanence", {"how long does smp last"}, "SMP results can last for several years [1].",
       {{"s1", "SMP results can last for several years."}}, false, {}},
      {"microblading-duration", "comparison", {"how long does microblading last"}, "Microblading lasts about 1-3 years [1].",
       {{"s2", "Microblading results typically last for about 1-3 years before needing a touch-up."}}, false, {}},
      {"infection-signs", "risks", {"signs of infection"}, "Signs of infection include redness, swelling, pain and pus [1].",
       {{"s2", "Signs of infection include redness, swelling, pain, and pus."}}, false, {}},
  };
  lexicon& l = kb->words;
  l.synonyms = {{"hurt", {"pain", "painful", "painless"}}, {"price", {"cost", "charge"}}, {"how much", {"cost", "charge"}},
                {"how long", {"last", "years"}}};
  l.respellings = {{"u", "you"}};
  l.stop_words = {"does", "it", "is", "the", "a", "what", "how", "you", "i", "my", "and", "do", "have", "that"};
  l.common_words = {"good"};
  l.warning_signs.window = 6;
  l.warning_signs.sets = {{"progress", {"spreading", "getting bigger"}}};
  l.warning_signs.signs = {{"infection", "test", true, {{{{"pus", "oozing"}}, 0}}, {"no-such-fact", "infection-signs"}},
                           {"fever", "test", false, {{{{"fever", "a temperature"}}, 0}}, {}},
                           {"spreading_redness", "test", true, {{{{"redness", "red"}, {"@progress"}}, 0}}, {}}};
  l.warning_signs.calm = {{"openers", {"what", "can", "is there"}}, {"negations", {"no", "not"}},
                          {"figurative", {"spreading the cost"}}, {"past_times", {"last year"}}};
  l.greetings = {"hi", "hello"};
  l.thanks = {"thanks", "thank you"};
  l.goodbyes = {"bye"};
  l.identity_questions = {"who are you"};
  l.follow_up_markers = {"and", "that", "it"};
  l.joiners = {"and", "also"};
  l.starter_facts = {"cost"};
  l.replies = {"no answer text", "urgent text: contact a doctor or the clinic now", "hello text", "thanks text", "bye text", "identity text", "did you mean text"};
  return kb;
}

inline std::string fact_text(const text_normaliser& n, const fact& f) {
  std::string text;
  for (const auto& q : f.questions) text += q + " ";
  text += f.answer + " ";
  for (const auto& c : f.citations) text += c.quote + " ";
  std::string padded(1, ' ');
  padded.append(n.fold(text)).push_back(' ');
  return padded;
}

inline std::shared_ptr<vocabulary> small_vocabulary(const knowledge_base& kb) {
  text_normaliser n;
  auto v = std::make_shared<vocabulary>();
  std::map<std::string, int> df;
  for (const auto& f : kb.facts) {
    std::istringstream words(fact_text(n, f));
    std::set<std::string> seen;
    for (std::string w; words >> w;)
      if (seen.insert(w).second) ++df[w];
  }
  for (const auto& [w, count] : df) v->add(w, count);
  v->set_total_documents(static_cast<int>(kb.facts.size()));
  return v;
}

class word_retriever final : public retriever {
 public:
  explicit word_retriever(std::shared_ptr<const knowledge_base> kb) : kb_(std::move(kb)) {}
  std::vector<search_hit> search(const std::vector<term_group>& groups, std::size_t limit) override {
    ++calls;
    std::vector<search_hit> hits;
    for (std::size_t f = 0; f < kb_->facts.size(); ++f) {
      const std::string text = fact_text(normaliser_, kb_->facts[f]);
      search_hit h{f, 0, 0, 0};
      for (std::size_t g = 0; g < groups.size() && g < 64; ++g)
        for (const auto& t : groups[g].terms)
          if (text.find(" " + t + " ") != std::string::npos) {
            h.matched |= std::uint64_t{1} << g;
            h.matched_in_point |= std::uint64_t{1} << g;
            h.relevance += groups[g].weight;
            break;
          }
      if (h.matched) hits.push_back(h);
    }
    std::sort(hits.begin(), hits.end(), [](auto& a, auto& b) { return a.relevance > b.relevance; });
    if (hits.size() > limit) hits.resize(limit);
    return hits;
  }
  int calls = 0;

 private:
  std::shared_ptr<const knowledge_base> kb_;
  text_normaliser normaliser_;
};

}  // namespace cited::fixtures
