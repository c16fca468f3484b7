#pragma once
// Writes a knowledge base's facts and sources back to a corpus folder, in the format
// corpus_loader reads (SCHEMA.md), so the files on disk stay the source of truth that a clinic
// can keep in git.
#include <filesystem>
#include <string>
#include <vector>

#include "knowledge.hpp"

namespace cited {

// The files write_corpus created, rewrote or removed, relative to the corpus folder.
struct corpus_changes {
  std::vector<std::filesystem::path> written;
  std::vector<std::filesystem::path> removed;
  bool empty() const { return written.empty() && removed.empty(); }
};

// Makes dir/facts/ and dir/sources/ hold exactly kb's facts and sources (lexicon.json and
// common_words.txt are left alone): facts/<topic>.json per topic, in kb's order;
// sources/<id>.txt, or sources/clinic/<id>.txt for the clinic's own. A file whose content would
// not change is not touched. Each file is replaced atomically (a crash leaves the old file or the
// new one, never half of one), sources before the facts that cite them, removals last.
// Throws corpus_error, before writing anything, when a topic or source id cannot be a file name,
// or when a source on disk has other text under the same id: a source's text never changes
// once added (a new version of a page is a new source).
corpus_changes write_corpus(const knowledge_base& kb, const std::filesystem::path& dir);

// The bytes of one topic's file: a JSON array of the facts, two-space indented, keys in the
// order of SCHEMA.md, "clinic" only when true, ending in a newline.
std::string facts_file_text(const std::vector<fact>& facts);

// The bytes of a source's file: the title, a blank line, the text.
std::string source_file_text(const source_document& source);

// Where write_corpus puts the source, relative to the corpus folder.
std::filesystem::path source_file_path(const source_document& source);

}  // namespace cited
