#include "answer_json.hpp"

#include <gtest/gtest.h>

using namespace cited;

namespace {

std::string through_the_tree(const answer& a) { return to_json(a).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

answer full_answer() {
  answer a;
  a.id = "q-1";
  a.answer_id = "a-00ff";
  a.status = answer_status::answered;
  a.text = "It costs $500\u2013$3000 [1]. \"Quoted\", back\\slash, tab\there, line\nbreak, bell\a, nul-free.";
  a.citations = {{1, "smp-cost", "What does SMP cost? — Guide", "between $500 and $3000 per session"},
                 {2, "other", "Second \"title\"", "caf\u00e9 \u00b5 \U0001F600 \x1f end"}};
  a.topic = "cost";
  a.conflict = true;
  a.suggestions = {"Does it hurt?", "How long does it last?"};
  a.facts = {"cost-per-session", "cost-sessions"};
  return a;
}

}  // namespace

TEST(answer_json, the_line_is_what_to_json_dumps_byte_for_byte) {
  EXPECT_EQ(to_json_line(full_answer()), through_the_tree(full_answer()));

  answer bare;  // no id, no topic, nothing listed
  bare.answer_id = "a-1";
  EXPECT_EQ(to_json_line(bare), through_the_tree(bare));

  for (auto status : {answer_status::no_answer, answer_status::urgent, answer_status::smalltalk}) {
    answer a = full_answer();
    a.status = status;
    a.id.reset();
    EXPECT_EQ(to_json_line(a), through_the_tree(a));
  }
}

TEST(answer_json, every_control_character_is_escaped_as_nlohmann_does) {
  answer a;
  for (int c = 1; c < 0x20; ++c) a.text += static_cast<char>(c);
  a.text += "\x7f";
  EXPECT_EQ(to_json_line(a), through_the_tree(a));
  EXPECT_TRUE(nlohmann::json::accept(to_json_line(a)));
}

TEST(answer_json, escapes_fall_anywhere_in_a_string) {
  // Plain stretches are copied whole: escapes at the start, the end, side by side and alone.
  for (const char* text : {"\"", "\\", "\"quoted\"", "end\\", "\n\n", "a\tb\rc", "caf\xC3\xA9 \"\xF0\x9F\x98\x80\"", ""}) {
    answer a;
    a.text = text;
    EXPECT_EQ(to_json_line(a), through_the_tree(a)) << text;
  }
}

TEST(answer_json, ill_formed_utf8_is_replaced_not_passed_on) {
  answer a = full_answer();
  a.id = std::string("id\xff\xfe");
  a.text = std::string("broken \xc3 and \xed\xa0\x80 surrogate");
  const std::string line = to_json_line(a);
  const auto parsed = nlohmann::json::parse(line);  // throws on ill-formed UTF-8
  EXPECT_EQ(parsed["text"].get<std::string>().find("\xc3 "), std::string::npos);
  EXPECT_NE(parsed["id"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD
}
