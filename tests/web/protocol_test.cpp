#include "protocol.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "utf8.hpp"

namespace cited::web {
namespace {

using nlohmann::json;

const message_limits limits;

// By value: the message is usually a temporary.
template <class T>
T as(const client_message& m) {
  EXPECT_TRUE(std::holds_alternative<T>(m));
  return std::holds_alternative<T>(m) ? std::get<T>(m) : T{};
}

TEST(protocol, reads_an_ask) {
  const auto m = parse_client_message(R"({"type":"ask","id":"c1","text":"how much?"})", limits);
  const auto ask = as<ask_message>(m);
  EXPECT_EQ(ask.id, "c1");
  EXPECT_EQ(ask.text, "how much?");
}

TEST(protocol, reads_feedback_with_and_without_a_comment) {
  const auto f = as<feedback_message>(parse_client_message(R"({"type":"feedback","answer_id":"a-1","helpful":false,"comment":"meh"})", limits));
  EXPECT_EQ(f.what.answer_id, "a-1");
  EXPECT_FALSE(f.what.helpful);
  EXPECT_EQ(f.what.comment, "meh");
  const auto g = as<feedback_message>(parse_client_message(R"({"type":"feedback","answer_id":"a-2","helpful":true})", limits));
  EXPECT_TRUE(g.what.helpful);
  EXPECT_EQ(g.what.comment, "");
}

TEST(protocol, reads_a_reset) { as<reset_message>(parse_client_message(R"({"type":"reset"})", limits)); }

TEST(protocol, extra_fields_are_ignored) {
  as<ask_message>(parse_client_message(R"({"type":"ask","text":"hi","lang":"en"})", limits));
}

TEST(protocol, rejects_with_the_contracts_codes) {
  auto code = [](std::string_view frame) { return as<rejected_message>(parse_client_message(frame, limits)).code; };
  EXPECT_EQ(code("nope"), wire_error::bad_json);
  EXPECT_EQ(code(""), wire_error::bad_json);
  EXPECT_EQ(code("[1]"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"text":"hi"})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":3})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"dance"})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"ask"})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"ask","text":""})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"feedback","answer_id":"","helpful":true})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"feedback","answer_id":"a","helpful":1})"), wire_error::bad_request);
  EXPECT_EQ(code(R"({"type":"feedback","answer_id":"a","helpful":true,"comment":5})"), wire_error::bad_request);
}

TEST(protocol, question_length_is_counted_in_characters) {
  std::string two_byte;
  for (int i = 0; i < 4000; ++i) two_byte += "é";
  as<ask_message>(parse_client_message(json{{"type", "ask"}, {"text", two_byte}}.dump(), limits));
  const auto r = as<rejected_message>(parse_client_message(json{{"type", "ask"}, {"id", "q"}, {"text", two_byte + "é"}}.dump(), limits));
  EXPECT_EQ(r.code, wire_error::too_large);
  EXPECT_EQ(r.id, "q");
}

TEST(protocol, the_id_is_kept_on_rejections_when_it_could_be_read) {
  EXPECT_EQ(as<rejected_message>(parse_client_message(R"({"type":"dance","id":"d1"})", limits)).id, "d1");
  EXPECT_FALSE(as<rejected_message>(parse_client_message(R"({"type":"ask","id":5})", limits)).id);
}

TEST(protocol, frames_have_the_contracts_shape) {
  EXPECT_EQ(json::parse(error_frame(wire_error::too_large, "big", std::string("c1"))),
            (json{{"type", "error"}, {"id", "c1"}, {"code", "too_large"}, {"message", "big"}}));
  EXPECT_FALSE(json::parse(error_frame(wire_error::bad_json, "x")).contains("id"));
  EXPECT_EQ(json::parse(feedback_saved_frame("a-1", std::nullopt)), (json{{"type", "feedback_saved"}, {"answer_id", "a-1"}}));
  EXPECT_EQ(json::parse(reset_done_frame(std::nullopt)), (json{{"type", "reset_done"}}));
  EXPECT_EQ(json::parse(http_error_body(wire_error::not_found, "gone")), (json{{"error", {{"code", "not_found"}, {"message", "gone"}}}}));
}


// parse_client_message reads common asks and resets itself; whatever it reads must come out
// exactly as the full (nlohmann) reader reads it, and every error must stay the full reader's.
std::string describe(const client_message& m) {
  auto id = [](const std::optional<std::string>& i) { return i ? "id=" + json(*i).dump() : std::string("no id"); };
  return std::visit(
      [&](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ask_message>) return "ask " + id(x.id) + " text=" + json(x.text).dump();
        else if constexpr (std::is_same_v<T, feedback_message>)
          return "feedback " + id(x.id) + " " + x.what.answer_id + (x.what.helpful ? " +" : " -") + x.what.comment;
        else if constexpr (std::is_same_v<T, reset_message>) return "reset " + id(x.id);
        else if constexpr (std::is_same_v<T, handoff_message>)
          return "handoff " + id(x.id) + " " + x.what.contact + " " + json(x.what.question).dump();
        else return "rejected " + id(x.id) + " " + std::string(to_string(x.code)) + " " + x.message;
      },
      m);
}

void expect_same_reading(std::string_view frame, const message_limits& l) {
  EXPECT_EQ(describe(parse_client_message(frame, l)), describe(detail::parse_client_message_fully(frame, l))) << frame;
}

TEST(protocol, the_quick_reader_agrees_with_the_full_one) {
  message_limits small;
  small.max_question_chars = 12;
  small.max_id_bytes = 4;
  std::vector<std::string> seeds = {
      R"({"type":"ask","id":"c1","text":"how much?"})",
      R"({"type":"ask","text":"how much?"})",
      R"( { "text" : "a\"b\\c\/d\n\t\r\b\f" , "type" : "ask" , "id" : "x" } )",
      R"({"type":"ask","id":"c1","text":"caf\u00e9 \ud83d\ude00"})",
      R"({"type":"ask","id":"c1","text":"   "})",
      R"({"type":"ask","id":"c1","text":"\n\t"})",
      R"({"type":"ask","id":"c1","text":"1234567890123"})",
      R"({"type":"ask","id":"c1","text":"ééééééééééé"})",
      R"({"type":"ask","id":"12345","text":"hi"})",
      R"({"type":"ask","id":null,"text":"hi"})",
      R"({"type":"ask","id":5,"text":"hi"})",
      R"({"type":"ask","type":"reset","text":"hi"})",
      R"({"type":"ask","text":"hi","text":"there"})",
      R"({"type":"ask","text":"hi","lang":"en"})",
      R"({"type":"ask","text":"hi"} x)",
      R"({"type":"ask","text":"hi"}})",
      R"({"type":"ask","text":"hi",})",
      R"({"type":"ask","text":"hi")",
      R"({"type":"ask","text":"h)",
      "{\"type\":\"ask\",\"text\":\"tab\there\"}",
      R"({"type":"reset"})",
      R"({"type":"reset","id":"r1"})",
      R"({"type":"reset","id":"r1","text":"x"})",
      R"({"type":"dance","id":"d1"})",
      R"({"type":"ask"})",
      R"({"type":"ask","text":7})",
      R"({"type":"feedback","answer_id":"a-1","helpful":false,"comment":"meh"})",
      R"({"id":"x"})",
      R"({})",
      R"([])",
      R"("ask")",
      "",
      "{",
      R"({"typ\u0065":"ask","text":"hi"})",
  };
  // And the fuzzer's seeds and regressions, which are meant to be awkward.
  for (const char* dir : {"/tests/fuzz/ws_message", "/tests/fuzz/regressions/ws_message"}) {
    const std::filesystem::path path = std::string(CITED_SOURCE_DIR) + dir;
    if (!std::filesystem::is_directory(path)) continue;
    for (const auto& e : std::filesystem::directory_iterator(path)) {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream all;
      all << in.rdbuf();
      std::string text = all.str();
      for (std::size_t start = 0; start <= text.size();) {  // messages are separated by 0xFF
        auto end = text.find('\xff', start);
        if (end == std::string::npos) end = text.size();
        seeds.push_back(text.substr(start, end - start));
        start = end + 1;
      }
    }
  }
  for (const auto& s : seeds) {
    expect_same_reading(s, limits);
    expect_same_reading(s, small);
  }
  // Mutations of them: bytes dropped, repeated, or replaced by ones that matter to JSON.
  const std::string alphabet = "{}[]:,\" \\/ntubfr0\x01\x1f\t\n\xc3\xa9\x7f";
  std::mt19937 random(7);
  std::size_t checked = 0;
  for (int round = 0; round < 40'000; ++round) {
    std::string m = seeds[random() % seeds.size()];
    for (int edits = 1 + static_cast<int>(random() % 3); edits > 0 && !m.empty(); --edits) {
      const std::size_t at = random() % m.size();
      switch (random() % 3) {
        case 0: m.erase(at, 1); break;
        case 1: m.insert(at, 1, m[at]); break;
        default: m[at] = alphabet[random() % alphabet.size()];
      }
    }
    if (!is_valid_utf8(m)) continue;  // the WebSocket layer never hands those over
    expect_same_reading(m, random() % 2 ? limits : small);
    ++checked;
  }
  EXPECT_GT(checked, 20'000u);
}

}  // namespace
}  // namespace cited::web
