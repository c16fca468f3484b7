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

// The numbers written in digits in s, commas dropped ("$3,000" -> "3000"), [n] markers skipped.
std::vector<std::string> numbers_in(std::string_view s);

// The numbers in text that none of quotes states.
std::vector<std::string> unsourced_numbers(std::string_view text, const std::vector<std::string>& quotes);

}  // namespace cited
