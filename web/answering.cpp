#include "answering.hpp"

#include <charconv>
#include <chrono>

#include "answer_json.hpp"
#include "handoff.hpp"
#include "store.hpp"
#include "redact.hpp"
#include "utf8.hpp"

namespace cited::web {
namespace {

// Enough of a question to see what was asked; the rest only fills the log.
constexpr std::size_t logged_question_bytes = 500;

void append_number(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

// The turn's row for the conversation log; the writer batches it off this thread.
void log_turn(records::writer& records, const answer& a, const std::string& redacted, std::string_view conversation_id,
              std::string_view via, long long latency_us) {
  records::turn_row row;
  row.at = records::now_ms();
  row.conversation = conversation_id.empty() ? new_conversation_id() : std::string(conversation_id);
  row.via = std::string(via);
  row.question = std::string(utf8_prefix(redacted, logged_question_bytes));
  row.answer_id = a.answer_id;
  row.status = std::string(to_string(a.status));
  row.facts_json = "[";
  for (std::size_t i = 0; i < a.facts.size(); ++i) {
    if (i) row.facts_json += ',';
    append_json_string(row.facts_json, a.facts[i]);
  }
  row.facts_json += ']';
  row.topic = a.topic;
  row.conflict = a.conflict;
  row.latency_us = latency_us;
  records.log_turn(std::move(row));
}

}  // namespace

answered answer_question(server_state& state, std::string_view text, conversation* context,
                         const std::optional<std::string>& id, std::uint64_t connection, std::string_view via,
                         std::string_view conversation_id) {
  const auto started = std::chrono::steady_clock::now();
  answer_engine& engine = this_thread_engine();
  answer a = context ? engine.ask(text, *context) : engine.ask(text);
  a.id = id;
  answered out{to_json_line(a), a.status, a.answer_id};
  const auto latency = std::chrono::steady_clock::now() - started;
  state.stats.count_answer(a.status, std::chrono::duration_cast<std::chrono::nanoseconds>(latency));

  // Redact before cutting, or an address cut in half would no longer look like one. Written
  // directly, as the answer is: this line is on every answer's path. The buffer is this
  // thread's, so it keeps its capacity from one answer to the next.
  const std::string redacted = redact_personal_data(text);
  thread_local std::string line;
  line.clear();
  line += "\"event\":\"answer\",\"via\":";
  append_json_string(line, via);
  line += ",\"conn\":";
  append_number(line, connection);
  line += ",\"answer_id\":";
  append_json_string(line, a.answer_id);
  line += ",\"status\":";
  append_json_string(line, to_string(a.status));
  line += ",\"latency_us\":";
  append_number(line, static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(latency).count()));
  line += ",\"question\":";
  append_json_string(line, utf8_prefix(redacted, logged_question_bytes));
  if (id) {
    // The client's id is text a client chose: it is redacted like the question.
    line += ",\"id\":";
    append_json_string(line, redact_personal_data(*id));
  }
  if (a.topic) {
    line += ",\"topic\":";
    append_json_string(line, *a.topic);
  }
  if (!a.facts.empty()) {
    line += ",\"facts\":[";
    for (std::size_t i = 0; i < a.facts.size(); ++i) {
      if (i) line += ',';
      append_json_string(line, a.facts[i]);
    }
    line += ']';
  }
  state.log.write_fields(line);
  if (state.services.records && state.services.records->logging())
    log_turn(*state.services.records, a, redacted, conversation_id, via,
             std::chrono::duration_cast<std::chrono::microseconds>(latency).count());
  return out;
}

}  // namespace cited::web
