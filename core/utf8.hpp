#pragma once
#include <string>
#include <string_view>

namespace cited {

// True when s is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

// s with every ill-formed sequence replaced by U+FFFD, so it can always be echoed as JSON.
std::string sanitize_utf8(std::string_view s);

// The longest prefix of s that is at most max_bytes long and does not split a character.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// Number of code points in valid UTF-8.
std::size_t utf8_length(std::string_view s);

}  // namespace cited
