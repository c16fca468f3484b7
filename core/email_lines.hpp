#pragma once
// An email line by line: which lines are the patient's own (quoted history, forwarded and pasted
// header blocks, signatures, disclaimers and the greeting removed), and how they read as
// paragraphs once hard-wrapped lines are joined. own_lines, public, is declared in
// email_reader.hpp. Internal to core.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cited::email_detail {

// What a header block pasted above the message says.
struct top_headers {
  std::optional<std::string> from_name;  // the greeting name in "From: Sam Jones <sam@...>"
  std::string subject;
};

// Removes a header block pasted before the message ("From: Sam Jones <sam@...>",
// "Subject: ...") from lines, and returns what it said.
top_headers strip_top_headers(std::vector<std::string>& lines);

// Removes the greeting opening own: a greeting line ("Hi there,", "Dear Sir/Madam") goes whole;
// otherwise the first line loses a greeting it opens with ("Hi there, I was wondering ..." ->
// "I was wondering ...").
void drop_greeting(std::vector<std::string>& own);

// Marks a list item in the unwrapped text, so the reader can tell "- cost per session" under
// "My questions:" from prose.
inline constexpr std::string_view list_mark = "\xE2\x80\xA2 ";  // "• "

// Joins hard-wrapped lines back into paragraphs. A line break stays where the line is complete:
// after end punctuation, before a list item, or where a short line is followed by a capital.
// List items begin with list_mark; paragraphs are separated by a blank line.
std::string unwrap(const std::vector<std::string>& lines);

}  // namespace cited::email_detail
