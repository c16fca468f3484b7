#pragma once
// What the insights page shows for a period, computed by SQL aggregates over the conversation
// log and the feedback (GROUP BY in SQLite, not a scan in C++), except the grouping of the
// unanswered questions, which needs their words (question_groups.hpp).
#include <cstddef>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "question_groups.hpp"
#include "sqlite.hpp"

namespace cited::records {

struct insight_period {
  long long from_ms = 0;  // inclusive
  long long to_ms = 0;    // exclusive
};

struct insight_limits {
  std::size_t top = 10;                   // topics and facts listed
  std::size_t thumbs_down = 50;           // thumbed-down answers listed
  std::size_t unanswered = 2000;          // newest unanswered questions grouped
  std::size_t examples_per_group = 5;     // questions shown per group
  std::size_t conversations_per_group = 20;
};

// {"from","to","total","days":[{"day","answered","no_answer","urgent","smalltalk"}],
//  "statuses":{…},"topics":[{"topic","count"}],"facts":[{"fact","served","up","down"}],
//  "thumbs_down":[{"at","question","facts","comment","conversation"}],
//  "unanswered":{"count","grouped","groups":[{"label","count","examples","conversations"}]},
//  "handoffs":{"new","replied","closed"}}. Days are UTC.
nlohmann::json compute_insights(const database& db, const insight_period& period, const question_grouper& grouper,
                                const insight_limits& limits = {});

}  // namespace cited::records
