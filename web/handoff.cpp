#include "handoff.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <random>

#include "handoffs.hpp"
#include "store.hpp"

namespace cited::web {

using nlohmann::json;

void transcript::add(std::string_view question, std::string answer_json) {
  if (max_turns_ == 0) return;
  if (turns_.size() == max_turns_) turns_.erase(turns_.begin());
  turns_.push_back({std::string(question), std::move(answer_json)});
}

std::string transcript::to_json() const {
  json out = json::array();
  for (const auto& t : turns_) {
    json answer = json::parse(t.answer_json, nullptr, false);
    out.push_back({{"question", t.question}, {"answer", answer.is_discarded() ? json(nullptr) : answer}});
  }
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool handoffs_enabled(const server_state& state) { return state.staff && state.options.staff.handoff; }

void save_handoff(server_state& state, handoff_request request, const std::optional<std::string>& client_id,
                  std::string transcript_json, std::optional<std::string> conversation, std::string_view via,
                  std::uint64_t connection, handoff_done done) {
  records::new_handoff h;
  h.name = std::move(request.name);
  h.contact = std::move(request.contact);
  h.contact_kind = std::string(to_string(request.kind));
  h.question = std::move(request.question);
  h.transcript_json = std::move(transcript_json);
  h.conversation = std::move(conversation);
  h.via = std::string(via);
  // The same message sent again (its acknowledgement lost to a dropped connection) is the
  // same hand-off; the contact and question are part of the key, so two patients whose
  // widgets both number their first message "h1" stay apart.
  if (client_id) h.dedupe_key = json::array({*client_id, h.contact, h.question}).dump();
  auto stored = std::make_shared<std::pair<std::string, long long>>();
  state.staff->records->submit(
      [h = std::move(h), stored](records::database& db) {
        const long long now = records::now_ms();
        stored->first = records::insert_handoff(db, h, now);
        stored->second = now;
      },
      [&state, stored, connection, done = std::move(done)](std::optional<std::string> failure) {
        // No patient text in the log: the id says where to look.
        if (failure) {
          state.log.write({{"event", "error"}, {"conn", connection}, {"where", "handoff"}, {"what", *failure}});
          return done(std::nullopt, std::move(failure));
        }
        state.log.write({{"event", "handoff"}, {"conn", connection}, {"handoff_id", stored->first}});
        state.staff->webhook.notify(stored->first, stored->second);
        done(stored->first, std::nullopt);
      });
}

std::string new_conversation_id() {
  thread_local std::mt19937_64 random{[] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }()};
  // The time first (milliseconds, hex), so that ids sort by when the conversation began and the
  // log's index of them grows at its end; then 64 random bits.
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  static constexpr char digits[] = "0123456789abcdef";
  std::string id = "c-";
  for (int shift = 40; shift >= 0; shift -= 4) id += digits[(ms >> shift) & 15];
  id += '-';
  std::uint64_t bits = random();
  for (int i = 0; i < 16; ++i, bits >>= 4) id += digits[bits & 15];
  return id;
}

}  // namespace cited::web
