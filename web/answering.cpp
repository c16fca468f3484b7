#include "answering.hpp"

#include <chrono>

#include "answer_json.hpp"
#include "redact.hpp"
#include "utf8.hpp"

namespace cited::web {
namespace {

// Enough of a question to see what was asked; the rest only fills the log.
constexpr std::size_t logged_question_bytes = 500;

}  // namespace

answered answer_question(server_state& state, std::string_view text, conversation* context,
                         const std::optional<std::string>& id, std::uint64_t connection, std::string_view via) {
  const auto started = std::chrono::steady_clock::now();
  answer_engine& engine = this_thread_engine();
  answer a = context ? engine.ask(text, *context) : engine.ask(text);
  a.id = id;
  answered out{to_json_line(a), a.status};
  const auto latency = std::chrono::steady_clock::now() - started;
  state.stats.count_answer(a.status, std::chrono::duration_cast<std::chrono::nanoseconds>(latency));

  // Redact before cutting, or an address cut in half would no longer look like one.
  const std::string redacted = redact_personal_data(text);
  nlohmann::json line{{"event", "answer"},
                      {"via", via},
                      {"conn", connection},
                      {"answer_id", a.answer_id},
                      {"status", to_string(a.status)},
                      {"latency_us", std::chrono::duration_cast<std::chrono::microseconds>(latency).count()},
                      {"question", std::string(utf8_prefix(redacted, logged_question_bytes))}};
  if (id) line["id"] = *id;
  if (a.topic) line["topic"] = *a.topic;
  if (!a.facts.empty()) line["facts"] = a.facts;
  state.log.write(line);
  return out;
}

}  // namespace cited::web
