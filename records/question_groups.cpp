#include "question_groups.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "sqlite.hpp"

namespace cited::records {
namespace {

constexpr double topic_weight = 2.0;
constexpr double synonym_weight = 2.0;
constexpr double stem_weight = 1.0;

using concept_vector = std::map<std::string, double>;

double dot(const concept_vector& a, const concept_vector& b) {
  double s = 0;
  for (const auto& [k, v] : a)
    if (auto it = b.find(k); it != b.end()) s += v * it->second;
  return s;
}

double norm(const concept_vector& a) { return std::sqrt(dot(a, a)); }

double cosine(const concept_vector& a, const concept_vector& b) {
  const double n = norm(a) * norm(b);
  return n > 0 ? dot(a, b) / n : 0;
}

std::vector<std::string> split_words(const std::string& phrase) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < phrase.size()) {
    const auto end = phrase.find(' ', start);
    if (end != start) out.push_back(phrase.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

question_grouper::question_grouper(const lexicon& lex) : question_grouper(lex, settings{}) {}

question_grouper::question_grouper(const lexicon& lex, const settings& s) : settings_(s) {
  stemmer_ = sb_stemmer_new("english", "UTF_8");
  if (!stemmer_) throw records_error("the Snowball English stemmer is not available");
  for (const auto& [from, to] : lex.respellings) respellings_[normaliser_.fold(from)] = normaliser_.fold(to);
  for (const auto& w : lex.stop_words) stop_words_.insert(normaliser_.fold(w));
  // A phrase is kept as its words' stems joined by spaces, as questions are read.
  auto stemmed_phrase = [this](std::string_view phrase) {
    std::string out;
    for (const auto& w : normaliser_.words(phrase)) {
      if (!out.empty()) out += ' ';
      out += stem(w.text);
    }
    return out;
  };
  for (const auto& entry : clinic_topics())
    for (const auto phrase : entry.phrases) {
      const std::string key = stemmed_phrase(phrase);
      if (key.empty()) continue;
      topic_of_phrase_.emplace(key, std::string(entry.name));
      longest_phrase_ = std::max(longest_phrase_, split_words(key).size());
    }
  // The lexicon's synonyms: a patient's word and its document words mean one idea; the idea is
  // named by the first document word, so "price" and "fee" both become "cost".
  for (const auto& [word, terms] : lex.synonyms) {
    if (terms.empty()) continue;
    const std::string key = stemmed_phrase(word);
    if (key.empty()) continue;
    synonym_of_phrase_.emplace(key, "~" + stemmed_phrase(terms.front()));
    longest_phrase_ = std::max(longest_phrase_, split_words(key).size());
  }
}

question_grouper::~question_grouper() { sb_stemmer_delete(stemmer_); }

std::string question_grouper::stem(std::string_view word) const {
  const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (!out) return std::string(word);  // out of memory: the word itself will do
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer_)));
}

std::vector<std::pair<std::string, double>> question_grouper::concepts_of(std::string_view question) const {
  // Words, respelled ("u" -> "you"), each with its stem.
  std::vector<std::string> words, stems;
  for (const auto& w : normaliser_.words(question)) {
    const auto respelled = respellings_.find(w.text);
    const std::string text = respelled == respellings_.end() ? w.text : respelled->second;
    for (auto& part : split_words(text)) {
      stems.push_back(stem(part));
      words.push_back(std::move(part));
    }
  }
  std::map<std::string, double> found;
  auto add = [&found](const std::string& name, double weight) {
    auto& w = found[name];
    w = std::max(w, weight);
  };
  for (std::size_t i = 0; i < stems.size();) {
    // The longest phrase starting here that the topics table or the lexicon knows.
    std::size_t taken = 0;
    for (std::size_t n = std::min(longest_phrase_, stems.size() - i); n >= 1 && !taken; --n) {
      std::string key = stems[i];
      for (std::size_t k = 1; k < n; ++k) key += ' ' + stems[i + k];
      if (auto t = topic_of_phrase_.find(key); t != topic_of_phrase_.end()) {
        add(t->second, topic_weight);
        taken = n;
      } else if (auto s = synonym_of_phrase_.find(key); s != synonym_of_phrase_.end() && !stop_words_.count(words[i])) {
        add(s->second, synonym_weight);
        taken = n;
      }
    }
    if (taken) {
      i += taken;
      continue;
    }
    if (!stop_words_.count(words[i]) && words[i].size() > 1) add(stems[i], stem_weight);
    ++i;
  }
  return {found.begin(), found.end()};
}

std::vector<question_group> question_grouper::group(const std::vector<std::string>& questions) const {
  const std::size_t n = questions.size();
  std::vector<concept_vector> vectors(n);
  std::map<std::string, std::size_t> frequency;
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& [name, weight] : concepts_of(questions[i])) vectors[i][name] = weight;
    for (const auto& [name, weight] : vectors[i]) ++frequency[name];
  }
  // Plain stems in most of the batch join everything to everything: drop them. Named topics and
  // synonym groups stay, however common: they are what a big group has in common.
  if (n >= 5)
    for (auto& v : vectors)
      for (auto it = v.begin(); it != v.end();) {
        const bool named = it->second > stem_weight;
        if (!named && static_cast<double>(frequency[it->first]) > settings_.common_share * static_cast<double>(n))
          it = v.erase(it);
        else
          ++it;
      }

  // The questions that say most go first, so that a group starts from a clear example.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto named_weight = [&vectors](std::size_t i) {
    double w = 0;
    for (const auto& [name, weight] : vectors[i])
      if (weight > stem_weight) w += weight;
    return w;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return named_weight(a) > named_weight(b); });

  struct building {
    concept_vector sum;
    std::vector<std::size_t> members;
  };
  std::vector<building> groups;
  std::optional<std::size_t> empty_group;
  for (const std::size_t i : order) {
    double best = 0;
    std::size_t best_group = groups.size();
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const double s = cosine(vectors[i], groups[g].sum);
      if (s > best) {
        best = s;
        best_group = g;
      }
    }
    if (vectors[i].empty()) {
      // Nothing left to go by ("hello??"): such questions share one group of their own.
      if (!empty_group) {
        groups.push_back({});
        empty_group = groups.size() - 1;
      }
      groups[*empty_group].members.push_back(i);
      continue;
    }
    if (best_group == groups.size() || best < settings_.join_similarity) {
      groups.push_back({});
      best_group = groups.size() - 1;
    }
    auto& g = groups[best_group];
    g.members.push_back(i);
    for (const auto& [name, weight] : vectors[i]) g.sum[name] += weight;
  }
  // Groups that grew towards one another become one.
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t a = 0; a < groups.size() && !merged; ++a)
      for (std::size_t b = a + 1; b < groups.size() && !merged; ++b) {
        if (groups[a].sum.empty() || cosine(groups[a].sum, groups[b].sum) < settings_.merge_similarity) continue;
        for (const auto& [name, weight] : groups[b].sum) groups[a].sum[name] += weight;
        groups[a].members.insert(groups[a].members.end(), groups[b].members.begin(), groups[b].members.end());
        groups.erase(groups.begin() + static_cast<std::ptrdiff_t>(b));
        merged = true;
      }
  }

  std::vector<question_group> out;
  for (auto& g : groups) {
    // Most typical first: the member closest to the group's centroid.
    std::stable_sort(g.members.begin(), g.members.end(),
                     [&](std::size_t a, std::size_t b) { return cosine(vectors[a], g.sum) > cosine(vectors[b], g.sum); });
    // Named by its heaviest concepts (a synonym group by its document word).
    std::vector<std::pair<std::string, double>> ranked(g.sum.begin(), g.sum.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string label;
    for (std::size_t k = 0; k < ranked.size() && k < 2; ++k) {
      if (k && ranked[k].second < ranked[0].second / 2) break;
      std::string name = ranked[k].first;
      if (!name.empty() && name[0] == '~') name.erase(0, 1);
      if (!label.empty()) label += ", ";
      label += name;
    }
    out.push_back({label.empty() ? "other" : label, std::move(g.members)});
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.members.size() > b.members.size(); });
  return out;
}

}  // namespace cited::records
