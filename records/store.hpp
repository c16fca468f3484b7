#pragma once
// The clinic's own records, in one SQLite file apart from the answer index (which is rebuilt at
// will): staff accounts and their sessions, patients' hand-offs, the conversation log and
// patients' feedback. WAL mode, so the server's readers never wait for its one writer, and
// `cited staff` (another process) can change accounts while the server runs.
//
// Schema versions: 1 was the feedback store alone (feedback.db); 2 adds everything else; 3 the
// staff's drafts and publishes of the knowledge. An older file is upgraded in place when opened
// for writing.
#include <filesystem>
#include <string>

#include "sqlite.hpp"

namespace cited::records {

inline constexpr int schema_version = 3;

// Opens (creating when missing) the store at path for writing, and brings its schema up to
// date. synchronous=FULL: a commit is on disk when it returns. Throws records_error for a file
// that is not a records store, or one of a newer version.
database open_for_writing(const std::filesystem::path& path);

// Opens an existing store for reading only (it must have been opened for writing once).
database open_for_reading(const std::filesystem::path& path);

// Milliseconds since the Unix epoch: how every time in the store is kept.
long long now_ms();

}  // namespace cited::records
