#pragma once
// Takes out of a patient's text what would identify them, before it reaches a log.
#include <string>
#include <string_view>

namespace cited::web {

// text with every email address replaced by "[email]" and every phone number by "[phone]".
// It errs towards redacting: any run of seven or more digits joined only by spaces, dots,
// dashes, slashes or parentheses (a leading "+" allowed) counts as a phone number, so a long
// date goes too; prices, durations and counts ("$3000", "1-3 years", "10,000") stay.
std::string redact_personal_data(std::string_view text);

}  // namespace cited::web
