#include "protocol.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace cited::web
