#pragma once
#include <filesystem>

#include "knowledge.hpp"

namespace cited {

// Writes kb into a new index file at path, replacing any old one only once the new one is
// complete. The caller validates kb first. Throws index_error.
void build_index(const knowledge_base& kb, const std::filesystem::path& path);

}  // namespace cited
