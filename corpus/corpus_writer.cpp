#include "corpus_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "corpus_loader.hpp"

namespace cited {
namespace fs = std::filesystem;

namespace {

std::string system_error_text(const std::string& what, const fs::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// One file descriptor, closed however the scope is left.
class open_file {
 public:
  explicit open_file(int fd) : fd_(fd) {}
  open_file(const open_file&) = delete;
  open_file& operator=(const open_file&) = delete;
  ~open_file() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// The new content goes to a temporary file beside the old one, reaches the disk, and only then
// takes the old one's name: rename() within a folder is atomic, so a reader or a crash sees the
// old file or the new one, never a mix.
void replace_file(const fs::path& path, std::string_view bytes) {
  static std::atomic<unsigned> serial{0};
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
  try {
    open_file out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (out.get() < 0) throw corpus_error({system_error_text("cannot create", tmp)});
    for (std::size_t done = 0; done < bytes.size();) {
      const ssize_t n = ::write(out.get(), bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw corpus_error({system_error_text("cannot write", tmp)});
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(out.get()) != 0) throw corpus_error({system_error_text("cannot flush", tmp)});
    if (::close(out.release()) != 0) throw corpus_error({system_error_text("cannot close", tmp)});
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw corpus_error({system_error_text("cannot rename to", path)});
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

// A rename is durable once the folder that holds the name is flushed too.
void flush_folder(const fs::path& dir) {
  open_file folder(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (folder.get() < 0 || ::fsync(folder.get()) != 0) throw corpus_error({system_error_text("cannot flush", dir)});
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<fs::path> files_in(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path());
  if (ec) throw corpus_error({"cannot list " + dir.string() + ": " + ec.message()});
  return out;
}

// Topics and source ids become file names: nothing that could climb out of the folder or hide.
bool usable_as_file_name(std::string_view name) {
  return !name.empty() && name.size() <= 200 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

nlohmann::ordered_json to_ordered_json(const fact& f) {
  nlohmann::ordered_json j;
  j["id"] = f.id;
  j["topic"] = f.topic;
  j["questions"] = f.questions;
  j["answer"] = f.answer;
  j["citations"] = nlohmann::ordered_json::array();
  for (const auto& c : f.citations) j["citations"].push_back({{"source", c.source}, {"quote", c.quote}});
  j["conflict"] = f.conflict;
  // Written only when set, so that the general articles' files stay as they always were.
  if (f.clinic) j["clinic"] = true;
  j["related"] = f.related;
  return j;
}

struct planned_file {
  fs::path relative;
  std::string bytes;
};

}  // namespace

std::string facts_file_text(const std::vector<fact>& facts) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const auto& f : facts) array.push_back(to_ordered_json(f));
  try {
    return array.dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    throw corpus_error({"the facts cannot be written as JSON (text that is not UTF-8?): " + std::string(e.what())});
  }
}

std::string source_file_text(const source_document& source) { return source.title + "\n\n" + source.text; }

fs::path source_file_path(const source_document& source) {
  return (source.clinic ? clinic_sources_folder : fs::path("sources")) / (source.id + ".txt");
}

corpus_changes write_corpus(const knowledge_base& kb, const fs::path& dir) {
  std::vector<std::string> problems;
  std::vector<planned_file> sources_to_write, facts_to_write;
  std::set<fs::path> wanted;

  std::set<std::string> source_ids;
  for (const auto& s : kb.sources) {
    if (!usable_as_file_name(s.id)) {
      problems.push_back("source \"" + s.id + "\": an id may hold only letters, digits, '-' and '_'");
      continue;
    }
    if (!source_ids.insert(s.id).second) problems.push_back("source " + s.id + ": id repeats");
    if (s.title.empty() || s.title.find_first_of("\r\n") != std::string::npos)
      problems.push_back("source " + s.id + ": the title must be one line, not empty");
    const fs::path relative = source_file_path(s);
    wanted.insert(relative);
    std::string bytes = source_file_text(s);
    const source_document as_written = source_from_text(s.id, bytes);
    bool unchanged = false;
    // The same id in either folder: moving a page in or out of the clinic's folder is allowed,
    // changing its words is not, since the quotes of facts were checked against them.
    for (const fs::path& on_disk : {fs::path("sources") / (s.id + ".txt"), clinic_sources_folder / (s.id + ".txt")}) {
      if (!fs::exists(dir / on_disk)) continue;
      const std::string old_bytes = read_bytes(dir / on_disk);
      const source_document old = source_from_text(s.id, old_bytes);
      if (old.title != as_written.title || old.text != as_written.text)
        problems.push_back("source " + s.id + ": " + on_disk.string() + " holds other text; a source never changes once added, so " +
                           "a new version of a page must be added as a new source");
      else if (on_disk == relative) unchanged = true;
    }
    if (!unchanged) sources_to_write.push_back({relative, std::move(bytes)});
  }

  std::map<std::string, std::vector<fact>> by_topic;
  for (const auto& f : kb.facts) {
    if (!usable_as_file_name(f.topic)) {
      problems.push_back("fact " + f.id + ": the topic \"" + f.topic + "\" cannot name a file");
      continue;
    }
    by_topic[f.topic].push_back(f);
  }
  for (const auto& [topic, facts] : by_topic) {
    const fs::path relative = fs::path("facts") / (topic + ".json");
    wanted.insert(relative);
    try {
      std::string bytes = facts_file_text(facts);
      if (!fs::exists(dir / relative) || read_bytes(dir / relative) != bytes) facts_to_write.push_back({relative, std::move(bytes)});
    } catch (const corpus_error& e) {
      problems.push_back("facts/" + topic + ".json: " + e.what());
    }
  }
  if (!problems.empty()) throw corpus_error(problems);

  std::vector<fs::path> stale_facts, stale_sources;
  for (const auto& path : files_in(dir / "facts", ".json"))
    if (!wanted.contains(fs::relative(path, dir))) stale_facts.push_back(fs::relative(path, dir));
  for (const auto& folder : {fs::path("sources"), clinic_sources_folder})
    for (const auto& path : files_in(dir / folder, ".txt"))
      if (!wanted.contains(fs::relative(path, dir))) stale_sources.push_back(fs::relative(path, dir));
  std::sort(stale_facts.begin(), stale_facts.end());
  std::sort(stale_sources.begin(), stale_sources.end());

  // Sources first, then the facts that may cite them, then what nothing cites any more: a crash
  // at any point leaves facts whose sources are all on disk.
  corpus_changes changes;
  std::set<fs::path> touched_folders;
  auto write_all = [&](const std::vector<planned_file>& files) {
    for (const auto& file : files) {
      std::error_code ec;
      fs::create_directories((dir / file.relative).parent_path(), ec);
      if (ec) throw corpus_error({"cannot create " + (dir / file.relative).parent_path().string() + ": " + ec.message()});
      replace_file(dir / file.relative, file.bytes);
      touched_folders.insert((dir / file.relative).parent_path());
      changes.written.push_back(file.relative);
    }
    for (const auto& folder : touched_folders) flush_folder(folder);
    touched_folders.clear();
  };
  auto remove_all = [&](const std::vector<fs::path>& files) {
    for (const auto& relative : files) {
      std::error_code ec;
      fs::remove(dir / relative, ec);
      if (ec) throw corpus_error({"cannot remove " + (dir / relative).string() + ": " + ec.message()});
      touched_folders.insert((dir / relative).parent_path());
      changes.removed.push_back(relative);
    }
    for (const auto& folder : touched_folders) flush_folder(folder);
    touched_folders.clear();
  };
  write_all(sources_to_write);
  write_all(facts_to_write);
  remove_all(stale_facts);
  remove_all(stale_sources);
  return changes;
}

}  // namespace cited
