#include "vocabulary.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>

namespace cited {

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  // Three rolling rows: the transposition step looks two rows back. Words are short, so the
  // rows live on the stack; a typo check runs against hundreds of words per question.
  constexpr std::size_t longest = 63;
  if (m > longest) return max + 1;
  std::array<std::size_t, longest + 1> rows[3];
  auto* two_back = &rows[0];
  auto* prev = &rows[1];
  auto* cur = &rows[2];
  for (std::size_t j = 0; j <= m; ++j) (*prev)[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    (*cur)[0] = i;
    std::size_t row_min = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({(*prev)[j] + 1, (*cur)[j - 1] + 1, (*prev)[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, (*two_back)[j - 2] + 1);
      (*cur)[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > max) return max + 1;
    std::swap(two_back, prev);
    std::swap(prev, cur);
  }
  return std::min((*prev)[m], max + 1);
}

namespace {

bool is_transposition(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  std::size_t first = 0;
  while (first < a.size() && a[first] == b[first]) ++first;
  return first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
         a.substr(first + 2) == b.substr(first + 2);
}

}  // namespace

void vocabulary::add(std::string_view word, int document_count) {
  auto [it, inserted] = counts_.try_emplace(std::string(word), document_count);
  if (!inserted) {
    it->second = std::max(it->second, document_count);
    return;
  }
  if (by_length_.size() <= word.size()) by_length_.resize(word.size() + 1);
  by_length_[word.size()].emplace_back(word);
}

bool vocabulary::contains(std::string_view word) const { return counts_.contains(std::string(word)); }

int vocabulary::document_count(std::string_view word) const {
  auto it = counts_.find(std::string(word));
  return it == counts_.end() ? 0 : it->second;
}

double vocabulary::weight(std::string_view word) const {
  const double n = std::max(total_documents_, 1);
  const double df = document_count(word);
  // df = 0.5 for unknown words puts them just above the rarest real word.
  return std::log(1.0 + n / std::max(df, 0.5));
}

std::optional<std::string> vocabulary::correct(std::string_view word) const {
  if (word.size() < 4 || std::isdigit(static_cast<unsigned char>(word[0]))) return std::nullopt;
  const std::size_t max = word.size() >= 8 ? 2 : 1;
  const std::string* best = nullptr;
  std::size_t best_distance = max + 1;
  int best_count = -1;
  const std::size_t lo = word.size() > max ? word.size() - max : 0;
  for (std::size_t len = lo; len <= word.size() + max && len < by_length_.size(); ++len) {
    for (const auto& candidate : by_length_[len]) {
      const std::size_t d = edit_distance(word, candidate, max);
      if (d > max || d == 0) continue;
      if (d == 2 && candidate[0] != word[0]) continue;
      // In a four-letter word one changed letter is as likely a different word ("book",
      // "look") as a typo; only swapped letters ("pian") are safe to mend.
      if (word.size() == 4 && !is_transposition(word, candidate)) continue;
      const int count = counts_.at(candidate);
      if (d < best_distance || (d == best_distance && count > best_count)) {
        best = &candidate;
        best_distance = d;
        best_count = count;
      }
    }
  }
  if (!best) return std::nullopt;
  return *best;
}

}  // namespace cited
