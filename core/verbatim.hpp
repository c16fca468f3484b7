#pragma once
// Checks that keep every claim checkable: a quote must stand in its source, and an answer may
// state only numbers its quotes state.
#include <string>
#include <string_view>
#include <vector>

namespace cited {

// s with every run of whitespace (NBSP included) made one space and the ends trimmed: a quote
// may differ from its source in whitespace only.
std::string collapse_whitespace(std::string_view s);

// True when quote, whitespace aside, stands word for word in source.
bool is_verbatim(std::string_view quote, std::string_view source);

// answer with its [n] citation markers made spaces: what the answer says, for searching it
// ("[5]" is no five).
std::string without_citation_markers(std::string_view answer);

// Where a quote stands in its source, whitespace aside, and whether it is whole sentences there:
// it begins where the source begins, after a line break or after a sentence's end (. ! ? …,
// closing quotes and brackets aside), and ends at a sentence's end, a line break or the end. A
// heading or a list item, which ends without a full stop, is whole at its line break.
struct quote_place {
  bool found = false;
  bool starts_whole = false;      // it begins where a sentence begins
  bool ends_whole = false;        // it ends where a sentence ends
  std::string before;             // the source's words just before it (up to a few), whitespace collapsed
  std::string after;              // ... and just after it
};
// The quote's first place in the source that is whole sentences, or failing that its first place.
quote_place place_quote(std::string_view quote, std::string_view source);

// The whole sentences of source around the passage [begin, end) someone selected in it: the
// passage widened back to its sentence's start and on to its sentence's end, by place_quote's
// rules, so a quote made from a selection is verbatim and whole by construction.
std::string_view sentences_around(std::string_view source, std::size_t begin, std::size_t end);

// The numbers written in digits in s, commas dropped ("$3,000" -> "3000"), [n] markers skipped.
std::vector<std::string> numbers_in(std::string_view s);

// The numbers in text that none of quotes states.
std::vector<std::string> unsourced_numbers(std::string_view text, const std::vector<std::string>& quotes);

}  // namespace cited
