#pragma once
// The warning-sign list's JSON form (corpus/lexicon.json's "warning_signs", and the index's
// copy of it), and the checks that catch a list the reader could not use.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "knowledge.hpp"

namespace cited {

// The kinds of cue a list's "calm" section may hold (corpus/SCHEMA.md says what each does).
const std::vector<std::string>& calm_cue_kinds();

// Throws nlohmann::json::exception when a field has the wrong type.
warning_sign_list warning_signs_from_json(const nlohmann::json& j);
nlohmann::json to_json(const warning_sign_list& list);

// What is wrong with list, one line a problem: a set that is never defined, an empty slot or
// pattern, a cue kind nobody reads, a window out of range.
std::vector<std::string> check(const warning_sign_list& list);

}  // namespace cited
