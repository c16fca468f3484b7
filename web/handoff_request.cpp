#include "handoff_request.hpp"

#include <algorithm>

#include "redact.hpp"
#include "utf8.hpp"

namespace cited::web {
namespace {

constexpr std::size_t max_contact_bytes = 254;  // the longest email address SMTP carries

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

bool plausible_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos) return false;
  const auto domain = s.substr(at + 1);
  const auto dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 2 > domain.size()) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' || c == '(' || c == ')';
  });
}

}  // namespace

std::string_view to_string(contact_kind k) { return k == contact_kind::email ? "email" : "phone"; }

std::optional<contact_kind> classify_contact(std::string_view text) {
  if (text.empty() || text.size() > max_contact_bytes) return std::nullopt;
  if (plausible_email(text)) return contact_kind::email;
  if (is_phone_number(text)) return contact_kind::phone;
  return std::nullopt;
}

std::variant<handoff_request, handoff_problem> read_handoff_request(const nlohmann::json& j, std::size_t max_question_chars,
                                                                    std::size_t max_name_chars) {
  auto problem = [](std::string message, bool too_large = false) { return handoff_problem{too_large, std::move(message)}; };
  handoff_request out;

  const auto contact = j.find("contact");
  if (contact == j.end() || !contact->is_string()) return problem("\"contact\" must be an email address or a phone number");
  if (contact->get_ref<const std::string&>().size() > max_contact_bytes) return problem("\"contact\" is too long", true);
  out.contact = trim(contact->get_ref<const std::string&>());
  const auto kind = classify_contact(out.contact);
  if (!kind) return problem("\"contact\" must be an email address or a phone number");
  out.kind = *kind;

  const auto question = j.find("question");
  if (question == j.end() || !question->is_string()) return problem("\"question\" must be a string");
  out.question = trim(question->get_ref<const std::string&>());
  if (out.question.empty()) return problem("\"question\" is empty");
  if (utf8_length(out.question) > max_question_chars)
    return problem("the question is longer than " + std::to_string(max_question_chars) + " characters", true);

  if (const auto name = j.find("name"); name != j.end() && !name->is_null()) {
    if (!name->is_string()) return problem("\"name\" must be a string");
    std::string n = trim(name->get_ref<const std::string&>());
    if (utf8_length(n) > max_name_chars)
      return problem("the name is longer than " + std::to_string(max_name_chars) + " characters", true);
    if (!n.empty()) out.name = std::move(n);
  }

  // The patient must have agreed to be contacted: without it there is nothing to hand off.
  const auto consent = j.find("consent");
  if (consent == j.end() || !consent->is_boolean() || !consent->get<bool>())
    return problem("\"consent\" must be true: the clinic may only contact you with your agreement");
  return out;
}

}  // namespace cited::web
