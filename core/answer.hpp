#pragma once
// The answer object of the wire contract, as the domain builds it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cited {

enum class answer_status { answered, no_answer, urgent, smalltalk };
std::string_view to_string(answer_status s);

struct numbered_citation {
  int n = 0;
  std::string source;
  std::string title;
  std::string quote;
};

struct answer {
  std::optional<std::string> id;     // echoes the client's id
  std::string answer_id;             // names this answer for feedback
  answer_status status = answer_status::no_answer;
  std::string text;
  std::vector<numbered_citation> citations;
  std::optional<std::string> topic;
  bool conflict = false;
  std::vector<std::string> suggestions;
  std::vector<std::string> facts;    // ids of the facts used (diagnostics, eval)
  double confidence = 0;             // share of the question's weight the fact covers
};

}  // namespace cited
