#pragma once
// Finding the questions in an email's sentences, those asked without a question mark too: "I'd
// like to know the price and whether it hurts" is two questions. Each comes as the patient asked
// it, as the answer engine should be asked it ("the price"), with what its sentence said before
// it, and marked when only the clinic's staff can answer it. same_question, public, is declared
// in email_reader.hpp. Internal to core.
#include <cstddef>
#include <string>
#include <vector>

#include "email_reader.hpp"

namespace cited::email_detail {

// The questions in sentences (an email's, in order), a question that repeats an earlier one
// left out. list_items[i] says sentences[i] was a list item: under a line that announces
// questions ("A few questions:") each item is read as one. Reading stops once max_questions are
// found.
std::vector<email_question> find_questions(const std::vector<std::string>& sentences,
                                           const std::vector<bool>& list_items, std::size_t max_questions);

}  // namespace cited::email_detail
