#include "phrasing_matcher.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace cited {

std::vector<std::string> phrasing_matcher::features_of(const std::vector<std::string>& words) {
  std::vector<std::string> out(words.begin(), words.end());
  for (std::size_t i = 0; i + 1 < words.size(); ++i) out.push_back(words[i] + ' ' + words[i + 1]);
  return out;
}

std::vector<int> phrasing_matcher::intern(const std::vector<std::string>& words) {
  std::vector<int> out;
  for (auto& f : features_of(words)) out.push_back(ids_.emplace(std::move(f), static_cast<int>(ids_.size())).first->second);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void phrasing_matcher::finish(std::vector<std::vector<std::vector<int>>> features) {
  // A feature's weight: how few facts' phrasings hold it (an idf over facts, not phrasings,
  // so that a fact with many phrasings of one word does not make that word common).
  std::vector<int> facts_holding(ids_.size(), 0);
  for (const auto& fact : features) {
    std::unordered_set<int> seen;
    for (const auto& p : fact) seen.insert(p.begin(), p.end());
    for (int id : seen) ++facts_holding[static_cast<std::size_t>(id)];
  }
  const double n = static_cast<double>(std::max<std::size_t>(features.size(), 1));
  weight_.resize(ids_.size());
  for (std::size_t id = 0; id < ids_.size(); ++id) weight_[id] = std::log(1 + n / std::max(facts_holding[id], 1));
  phrasings_.resize(features.size());
  for (std::size_t f = 0; f < features.size(); ++f) {
    for (auto& p : features[f]) {
      phrasing out{std::move(p), 0};
      for (int id : out.features) out.weight += weight_[static_cast<std::size_t>(id)];
      phrasings_[f].push_back(std::move(out));
    }
  }
}

phrasing_matcher::question phrasing_matcher::read(const std::vector<std::string>& words) const {
  question q;
  // Words no phrasing holds tell no fact from another: they are left out rather than counted
  // against every fact alike.
  // Each feature counts once, however often the question repeats it.
  std::vector<int> features;
  for (const auto& f : features_of(words))
    if (auto it = ids_.find(f); it != ids_.end()) features.push_back(it->second);
  std::sort(features.begin(), features.end());
  features.erase(std::unique(features.begin(), features.end()), features.end());
  q.holds.assign((ids_.size() + 63) / 64, 0);
  for (int id : features) {
    q.weight += weight_[static_cast<std::size_t>(id)];
    q.holds[static_cast<std::size_t>(id) / 64] |= std::uint64_t{1} << (id % 64);
  }
  return q;
}

double phrasing_matcher::similarity(const question& q, std::size_t fact) const {
  if (fact >= phrasings_.size() || q.weight <= 0) return 0;
  double best = 0;
  for (const auto& p : phrasings_[fact]) {
    double shared = 0;
    for (int id : p.features)
      if (q.holds[static_cast<std::size_t>(id) / 64] >> (id % 64) & 1) shared += weight_[static_cast<std::size_t>(id)];
    best = std::max(best, 2 * shared / (q.weight + p.weight));
  }
  return best;
}

}  // namespace cited
