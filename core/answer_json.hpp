#pragma once
// The answer object as the wire contract spells it (../shared/PROTOCOL.md).
#include <nlohmann/json.hpp>

#include "answer.hpp"

namespace cited {

nlohmann::json to_json(const answer& a);
// One line of JSON; never throws on odd text (ill-formed UTF-8 is replaced).
std::string to_json_line(const answer& a);

}  // namespace cited
