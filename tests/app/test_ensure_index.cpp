// cited serve's index check: an index is built again only when the corpus really is newer, and
// one that cannot be rebuilt (a read-only folder) is served as it is.
#include "commands.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace fs = std::filesystem;

namespace {

const fs::path corpus = CITED_SOURCE_DIR "/corpus";

fs::path scratch(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("cited-ensure-index-" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  fs::permissions(d.parent_path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                       fs::perms::others_read | fs::perms::others_exec);
  return d;
}

struct file_identity {
  ino_t inode = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const file_identity&) const = default;
  friend void PrintTo(const file_identity& f, std::ostream* os) { *os << "inode " << f.inode << ", mtime " << f.mtime_ns << " ns"; }
};

file_identity identity(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return {};
  return {st.st_ino, static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

// An index older than every corpus file.
void make_stale(const fs::path& db) {
  fs::last_write_time(db, fs::file_time_type::clock::now() - std::chrono::hours(24 * 365 * 30));
}

}  // namespace

TEST(ensure_index, builds_a_missing_index_then_leaves_a_fresh_one_alone) {
  const fs::path db = scratch("fresh") / "cited.db";
  EXPECT_TRUE(cited::app::ensure_index(corpus, db));
  const file_identity built = identity(db);
  ASSERT_NE(built.inode, 0u);
  // The corpus has not changed since: nothing is rebuilt, the file is the same one.
  EXPECT_FALSE(cited::app::ensure_index(corpus, db));
  EXPECT_EQ(identity(db), built);
}

TEST(ensure_index, rebuilds_an_index_older_than_the_corpus) {
  const fs::path db = scratch("stale") / "cited.db";
  ASSERT_TRUE(cited::app::ensure_index(corpus, db));
  make_stale(db);
  EXPECT_TRUE(cited::app::ensure_index(corpus, db));
  EXPECT_FALSE(cited::app::ensure_index(corpus, db));
}

TEST(ensure_index, serves_a_stale_index_it_cannot_rebuild_in_a_read_only_folder) {
  const fs::path dir = scratch("read-only");
  const fs::path db = dir / "cited.db";
  ASSERT_TRUE(cited::app::ensure_index(corpus, db));
  make_stale(db);
  const file_identity before = identity(db);
  fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  // In a child, as a user the folder's mode applies to (root writes anywhere): exit 0 when
  // ensure_index kept the index, 1 when it threw, 2 when it could not become that user.
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) std::_Exit(2);
    try {
      std::_Exit(cited::app::ensure_index(corpus, db) ? 3 : 0);
    } catch (...) {
      std::_Exit(1);
    }
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::add);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: it threw (the server would exit 1); 2: setuid failed; 3: it says it rebuilt";
  EXPECT_EQ(identity(db), before);
}
