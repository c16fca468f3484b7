#pragma once
// Internal to web/: what a draft would do, worked out on a staff thread before it is published.
// The draft's knowledge is answered by an engine over an index of its own (built into a scratch
// file by the knowledge backend), the served knowledge by the staff thread's engine; every
// question of the question sets and of the recent conversation log is asked of both.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer_engine.hpp"
#include "knowledge_backend.hpp"
#include "staff_options.hpp"

namespace cited::web {

struct preview_input {
  const knowledge_base* draft = nullptr;   // the corpus with the draft's edits applied
  answer_engine* served = nullptr;         // the index being served
  answer_engine* drafted = nullptr;        // an index of the draft
  std::vector<std::string> logged;         // the log's recent questions (redacted as logged)
};

struct preview_result {
  nlohmann::json changed = nlohmann::json::array();  // [{question, sets, old, new}], at most listed_changes
  std::size_t compared = 0;                          // questions asked of both
  std::size_t changed_count = 0;
  nlohmann::json eval_before = nlohmann::json::object();  // per set: the figures `cited eval --json` gives
  nlohmann::json eval_after = nlohmann::json::object();
  nlohmann::json lost_red_flags = nlohmann::json::array();  // [{question, old, new}]: urgent no more
};

// Throws std::runtime_error when a question set cannot be read.
preview_result preview_draft(const preview_input& in, const knowledge_options& options);

// The checks a publish needs: the problems `cited index` would find (ok only without a required
// one; advice refuses nothing), the edits that no longer fit, and the red flags lost.
// {"ok", "problems", "conflicts", "lost_red_flags"}.
nlohmann::json publish_checks(const std::vector<knowledge_problem>& problems, const nlohmann::json& conflicts,
                              const nlohmann::json& lost_red_flags);

nlohmann::json to_json(const knowledge_problem& p);

}  // namespace cited::web
