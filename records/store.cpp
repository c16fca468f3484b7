#include "store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>

namespace cited::records {
namespace {

constexpr int busy_timeout_ms = 5000;

// Version 1: the feedback store as it was.
constexpr const char* feedback_schema =
    "CREATE TABLE IF NOT EXISTS feedback ("
    "  id INTEGER PRIMARY KEY,"
    "  received_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
    "  answer_id TEXT NOT NULL,"
    "  helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),"
    "  comment TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX IF NOT EXISTS feedback_by_answer ON feedback(answer_id);";

// Version 2. Times are milliseconds since the epoch. No IP address is stored anywhere.
constexpr const char* records_schema =
    // Staff: an email (folded to lower case) and an Argon2id hash in libsodium's string form.
    "CREATE TABLE IF NOT EXISTS staff ("
    "  id INTEGER PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  password_changed_at INTEGER NOT NULL);"
    // Sessions: only a hash of the token; removing the person removes them.
    "CREATE TABLE IF NOT EXISTS staff_sessions ("
    "  token_hash BLOB PRIMARY KEY,"
    "  staff_id INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,"
    "  created_at INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS staff_sessions_by_staff ON staff_sessions(staff_id);"
    // Hand-offs: a patient's question for the clinic's staff, with the conversation so far.
    "CREATE TABLE IF NOT EXISTS handoffs ("
    "  id INTEGER PRIMARY KEY,"
    "  handoff_id TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  name TEXT,"
    "  contact TEXT NOT NULL,"
    "  contact_kind TEXT NOT NULL CHECK (contact_kind IN ('email', 'phone')),"
    "  question TEXT NOT NULL,"
    "  transcript TEXT NOT NULL DEFAULT '[]',"
    "  conversation TEXT,"
    "  via TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'replied', 'closed')),"
    "  status_by TEXT,"
    "  status_at INTEGER,"
    "  dedupe_key TEXT UNIQUE);"
    "CREATE INDEX IF NOT EXISTS handoffs_by_time ON handoffs(created_at);"
    // The conversation log: one row per chat turn, the patient's text redacted.
    "CREATE TABLE IF NOT EXISTS turns ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  conversation TEXT NOT NULL,"
    "  via TEXT NOT NULL,"
    "  question TEXT NOT NULL,"
    "  answer_id TEXT,"
    "  status TEXT NOT NULL,"
    "  facts TEXT NOT NULL DEFAULT '[]',"
    "  topic TEXT,"
    "  conflict INTEGER NOT NULL DEFAULT 0,"
    "  latency_us INTEGER NOT NULL DEFAULT 0);"
    // One index only, by time: a turn is written on every answer, and each index is paid for
    // there. One of the random answer ids cost ten times the rest of a row's insert (30 us
    // against 3 at 200,000 rows). Feedback finds its turn by time (feedback_turn_join in
    // conversation_log.hpp), and a conversation by the time its id begins with.
    "CREATE INDEX IF NOT EXISTS turns_by_time ON turns(at);";

// Version 3: what staff teach the assistant (knowledge_drafts.hpp). Edits and corpora are JSON.
constexpr const char* knowledge_schema =
    "CREATE TABLE IF NOT EXISTS knowledge_drafts ("
    "  id INTEGER PRIMARY KEY,"
    "  draft_id TEXT NOT NULL UNIQUE,"
    "  created_by TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  base_version TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'published', 'discarded')));"
    "CREATE TABLE IF NOT EXISTS knowledge_edits ("
    "  id INTEGER PRIMARY KEY,"
    "  draft INTEGER NOT NULL REFERENCES knowledge_drafts(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  by TEXT NOT NULL,"
    "  edit TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS knowledge_edits_by_draft ON knowledge_edits(draft);"
    // A publish keeps the corpus before and after it: restoring is publishing one of them.
    "CREATE TABLE IF NOT EXISTS knowledge_publishes ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  by TEXT NOT NULL,"
    "  draft_id TEXT,"
    "  restored_from INTEGER,"
    "  from_version TEXT NOT NULL,"
    "  to_version TEXT NOT NULL,"
    "  summary TEXT NOT NULL DEFAULT '[]',"
    "  before TEXT NOT NULL,"
    "  after TEXT NOT NULL);";

void configure(database& db) {
  // A reader (a staff report) or `cited staff` must not make a write fail at once.
  sqlite3_busy_timeout(db.get(), busy_timeout_ms);
  db.exec("PRAGMA foreign_keys=ON");
}

int user_version(const database& db) {
  statement v(db, "PRAGMA user_version");
  return v.step() ? static_cast<int>(v.integer(0)) : 0;
}

// The store holds what patients and staff wrote: a new one is made readable by its owner only.
// SQLite gives its -wal and -shm files the same mode as the database's.
std::string private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0) ::close(fd);  // when it cannot be made, SQLite's open says why
  return path.string();
}

}  // namespace

database open_for_writing(const std::filesystem::path& path) {
  database db(private_file(path), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  configure(db);
  db.exec("PRAGMA journal_mode=WAL");
  // FULL: the WAL is synced at every commit, so what we acknowledge survives power loss too.
  db.exec("PRAGMA synchronous=FULL");
  int version = user_version(db);
  if (version > schema_version)
    throw records_error(path.string() + " is a records store of a newer version (" + std::to_string(version) + ")");
  if (version == schema_version) return db;
  // Two processes may open a new store at once (the server and `cited staff`): one migrates.
  transaction t(db);
  version = user_version(db);
  if (version == 0) {
    // A file with other tables in it is not ours: refuse rather than write into it.
    statement tables(db, "SELECT count(*) FROM sqlite_schema WHERE type='table' AND name<>'feedback'");
    if (tables.step() && tables.integer(0) > 0) throw records_error(path.string() + " is not a records store");
  }
  if (version < 2) {
    db.exec(feedback_schema);
    db.exec(records_schema);
  }
  if (version < 3) db.exec(knowledge_schema);
  db.exec("PRAGMA user_version=3");
  t.commit();
  return db;
}

database open_for_reading(const std::filesystem::path& path) {
  // Read-write at the file level: a WAL reader must be able to use the shared-memory index.
  database db(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
  configure(db);
  db.exec("PRAGMA query_only=ON");
  const int version = user_version(db);
  if (version != schema_version)
    throw records_error(path.string() + " is not a records store of version " + std::to_string(schema_version));
  return db;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace cited::records
