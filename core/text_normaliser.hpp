#pragma once
// Turns text into the words the index and the question analyser both use, so a question and a
// document meet on the same terms: ICU word boundaries, NFKC case folding, diacritics removed,
// apostrophes dropped ("doesn’t" -> "doesnt"), and numbers in one form whatever their spelling
// ("$3,000" -> "money 3000", "3k" -> "3000", "2mm" -> "2 mm").
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class BreakIterator;
class Normalizer2;
U_NAMESPACE_END

namespace cited {

struct word {
  std::string text;    // folded form
  std::size_t begin;   // byte range in the input it came from
  std::size_t end;
  // The punctuation between this word and the one before: 0 none (or a hyphen inside
  // "yellow-green"), 1 one that parts a clause (",", ";", ":", brackets, a dash between
  // spaces, "/"), 2 one that ends a sentence (".", "?", "!", a line break).
  std::uint8_t pause = 0;
};

// The token standing for any currency symbol, so "$$" and "price in €" reach cost facts.
inline constexpr std::string_view money_word = "money";

class text_normaliser {
 public:
  text_normaliser();
  ~text_normaliser();
  text_normaliser(const text_normaliser&) = delete;
  text_normaliser& operator=(const text_normaliser&) = delete;

  // The words of utf8 in order. Ill-formed UTF-8 is read as U+FFFD and yields no word.
  // Not thread-safe: it reuses one ICU break iterator; use one normaliser per thread.
  std::vector<word> words(std::string_view utf8) const;

  // The folded words of utf8 joined by single spaces.
  std::string fold(std::string_view utf8) const;

 private:
  void append_folded(std::string_view segment, std::size_t begin, std::size_t end,
                     std::vector<word>& out) const;

  std::unique_ptr<icu::BreakIterator> breaker_;
  const icu::Normalizer2* decompose_;
  const icu::Normalizer2* fold_case_;
};

}  // namespace cited
