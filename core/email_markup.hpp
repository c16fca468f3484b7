#pragma once
// From the bytes pasted to plain text. check_email refuses what is no readable email;
// tidy_characters gives each character one spelling; looks_like_html, html_to_text and
// decode_entities turn pasted web mail into text. All but tidy_characters are public and
// declared in email_reader.hpp; this header adds the step only the reader uses. Internal to core.
#include <string>
#include <string_view>

namespace cited::email_detail {

// Typographic quotes made plain, line breaks made "\n", invisible and control characters
// dropped (each other control character becomes a space), so the patterns the reader looks for
// see one spelling. s is valid UTF-8 (check_email has passed it).
std::string tidy_characters(std::string_view s);

}  // namespace cited::email_detail
