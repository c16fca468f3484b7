#pragma once
// Finding the name to greet a patient by ("Sam", "Mr Patel"): in the sign-off or a bare name
// closing the email, in the text ("my name is Sam", "I'm Sam, 34, from Leeds"), or in a
// signature or a pasted "From:" line, which email_lines reads with the tools here. sign_off,
// public, is declared in email_reader.hpp. Internal to core.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cited::email_detail {

// True when s reads as a name: one to three capitalised words ("Sam", "Sam Jones", "Dr. Patel",
// "Zoë"), or, when allow_lowercase, one lowercase word ("thanks, sam"). Words that are no name
// ("Regards", "Monday", "Scalp") are refused, a title only before a name.
bool name_like(std::string_view s, bool allow_lowercase);

// How to greet the person a name belongs to: "Sam" for "Sam Jones", "Dr. Patel" for "Dr. Anil Patel".
std::string greeting_name(std::string_view s);

// s without what decorates a name in a signature: a leading "- " or "~", a trailing " x" or
// " :)", end punctuation.
std::string strip_name_decoration(std::string_view s);

// Takes the close off own, the patient's own lines, and returns the name found there. A sign-off
// among the last six lines that are not blank, with only short lines or contact details under
// it ("Thanks,\nSam\n07700 900123", "thank\nyou\nAhmed"), goes with all below it; failing
// that, a bare name on the last line ("... let me know.\n\nSam"). Trailing blank lines go too.
// nullopt when no name is given (a sign-off without one still goes).
std::optional<std::string> take_closing_name(std::vector<std::string>& own);

// The name in a sentence: "my name is Sam" anywhere; "I'm Sam", "This is Sam from ...", "Sam
// here" only when near_start (the email's first sentences, where people introduce themselves).
std::optional<std::string> name_in_sentence(std::string_view s, bool near_start);

}  // namespace cited::email_detail
