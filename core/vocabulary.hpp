#pragma once
// The words the index knows, with how many facts use each: the basis for weighting a
// question's words (rare words say more) and for correcting typos against real vocabulary.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cited {

class vocabulary {
 public:
  // Adds word as appearing in document_count documents (repeat adds keep the larger count).
  void add(std::string_view word, int document_count);
  void set_total_documents(int n) { total_documents_ = n; }

  bool contains(std::string_view word) const;
  int document_count(std::string_view word) const;
  int total_documents() const { return total_documents_; }
  std::size_t size() const { return counts_.size(); }

  // Inverse document frequency; a word no document uses gets the largest weight, because a
  // question's unknown words are what the documents cannot speak to.
  double weight(std::string_view word) const;

  // The known word nearest to an unknown one: two swapped letters for words of 4 letters,
  // one edit for 5-7 letters, two for longer ones (same first letter); nearer first, then the
  // more common word.
  // Nothing for short words, numbers, or when no word is near enough.
  std::optional<std::string> correct(std::string_view word) const;

 private:
  std::unordered_map<std::string, int> counts_;
  std::vector<std::vector<std::string>> by_length_;
  int total_documents_ = 0;
};

// Optimal string alignment distance (edits, with adjacent transpositions), or max + 1 when it
// exceeds max. Works on bytes: folded words are mostly ASCII, and a multi-byte letter simply
// costs a little more.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t max);

}  // namespace cited
