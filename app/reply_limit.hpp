#pragma once
// The work limit of POST /api/reply: an email is read as far as its first max_sentences
// sentences, or its first max_chars characters, and no further, so that one long email (or
// 60 KB of gibberish) cannot hold an I/O thread's core for long: the drafter asks the engine
// about every sentence, and the engine's work grows with the words in it. Where reading
// stopped is reported in the reply, for staff.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "reply_drafter.hpp"

namespace cited::app {

struct email_cut {
  std::string_view read;                     // what will be read: email up to the end of a sentence
  std::optional<std::string> not_read_past;  // the last words read, when the email was cut
};

struct reply_limits {
  std::size_t max_sentences = 200;
  std::size_t max_chars = 16'000;  // UTF-16 units, which for an email's text are its characters
};

// Cuts email after its first max_sentences sentences, counted by ICU's sentence rules on the
// text as pasted (each line break ends one, and quoted history counts: it is cut first, being
// last), and before max_chars: at the last sentence end before it, or, when the first sentence
// alone is longer, at the last space before it. 0 turns a limit off. One ICU pass over at most
// what is kept.
email_cut cut_email(std::string_view email, const reply_limits& limits);

// The suggested-reply object for what cut_email keeps. When the email was cut, it also holds
// "not_read_past_here" (the last words read) and says so in "unanswered", where staff look.
nlohmann::json draft_within_limit(reply_drafter& drafter, std::string_view email, const reply_limits& limits);

}  // namespace cited::app
