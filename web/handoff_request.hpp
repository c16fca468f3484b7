#pragma once
// A patient's hand-off as the wire contract has it ({"type":"handoff"} and POST /api/handoff),
// checked: a contact that is an email address or a phone number, consent given, sizes within
// the limits. Kept free of sockets and storage, so each rule can be tested on its own.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace cited::web {

enum class contact_kind { email, phone };
std::string_view to_string(contact_kind k);

struct handoff_request {
  std::optional<std::string> name;
  std::string contact;  // trimmed
  contact_kind kind = contact_kind::email;
  std::string question;
};

struct handoff_problem {
  bool too_large = false;  // too_large rather than bad_request
  std::string message;
};

// The kind of contact text is, or nullopt when it is neither a plausible email address nor a
// phone number (7 to 15 digits, as E.164 allows, with "+", spaces, dots, dashes and brackets).
std::optional<contact_kind> classify_contact(std::string_view text);

// Reads the hand-off members of j (an object): "contact", "question", "consent", and "name".
std::variant<handoff_request, handoff_problem> read_handoff_request(const nlohmann::json& j, std::size_t max_question_chars,
                                                                    std::size_t max_name_chars);

}  // namespace cited::web
