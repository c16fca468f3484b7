#pragma once
// The answer object as the wire contract spells it (../shared/PROTOCOL.md).
#include <nlohmann/json.hpp>

#include "answer.hpp"

namespace cited {

nlohmann::json to_json(const answer& a);
// One line of JSON; never throws on odd text (ill-formed UTF-8 is replaced).
std::string to_json_line(const answer& a);

// Appends s as a JSON string, as nlohmann's dump() would write it: UTF-8 kept, control
// characters escaped, ill-formed UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace cited
