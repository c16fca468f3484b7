#include "access_log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

namespace cited::web {
namespace {

// A buffer this big is written at once rather than waiting for the next tick.
constexpr std::size_t eager_bytes = 64 * 1024;
constexpr auto tick = std::chrono::milliseconds(200);

// Appends the time now, UTC, ISO 8601 with milliseconds: 2024-05-01T12:34:56.789Z. The
// calendar part changes once a second: each thread keeps it and formats only the milliseconds.
void append_utc_now(std::string& out) {
  struct cached_second {
    std::time_t secs = -1;
    char text[32] = {};  // "2024-05-01T12:34:56."
    std::size_t size = 0;
  };
  thread_local cached_second cache;
  const auto now = std::chrono::system_clock::now();
  const auto ms_total = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const auto secs = static_cast<std::time_t>(ms_total / 1000);
  const auto ms = static_cast<int>(ms_total % 1000);
  if (secs != cache.secs) {
    std::tm tm{};
    gmtime_r(&secs, &tm);
    const int n = std::snprintf(cache.text, sizeof cache.text, "%04d-%02d-%02dT%02d:%02d:%02d.", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cache.size = n > 0 ? std::min(static_cast<std::size_t>(n), sizeof cache.text - 1) : 0;
    cache.secs = secs;
  }
  out.append(cache.text, cache.size);
  const char digits[4] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                          static_cast<char>('0' + ms % 10), 'Z'};
  out.append(digits, 4);
}

// The log holds patients' (redacted) questions: nobody but the server's own user reads it.
int open_log(const std::filesystem::path& path) {
  return ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
}

}  // namespace

access_log::access_log(const std::filesystem::path& path)
    : path_(path), fd_(path.empty() ? STDERR_FILENO : open_log(path)), owned_(!path.empty()) {
  if (fd_ < 0) throw std::runtime_error("cannot open the log file " + path.string() + ": " + std::strerror(errno));
  pending_.reserve(2 * eager_bytes);
  spare_.reserve(2 * eager_bytes);
  flusher_ = std::thread([this] { run(); });
}

access_log::~access_log() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  flusher_.join();
  flush();
  if (owned_) ::close(fd_);
}

void access_log::write(const nlohmann::json& record) {
  // Patients' text is valid UTF-8 by the time it gets here, but an HTTP target need not be.
  const std::string fields = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  write_fields(fields.size() > 2 ? std::string_view(fields).substr(1, fields.size() - 2) : std::string_view());
}

void access_log::write_fields(std::string_view fields) {
  // "ts" first, then the record's own fields, so that lines read well in a terminal too. The
  // line goes straight onto the pending buffer: no copy of its own, and the buffer keeps its
  // capacity from one flush to the next (flush swaps it with spare_).
  bool eager;
  {
    std::lock_guard lock(mutex_);
    pending_ += "{\"ts\":\"";
    append_utc_now(pending_);
    pending_ += '"';
    if (!fields.empty()) {
      pending_ += ',';
      pending_ += fields;
    }
    pending_ += "}\n";
    eager = pending_.size() >= eager_bytes && !eager_signalled_;
    if (eager) eager_signalled_ = true;
  }
  if (eager) wake_.notify_one();
}

void access_log::flush() {
  // Taking write_mutex_ before the swap keeps lines in the order they were written.
  std::lock_guard writing(write_mutex_);
  {
    std::lock_guard lock(mutex_);
    spare_.swap(pending_);
    eager_signalled_ = false;
  }
  if (spare_.empty()) return;
  if (unreported_drops_ > 0) {
    // The log says where it has a gap, once there is room for it again.
    gap_ = "{\"ts\":\"";
    append_utc_now(gap_);
    gap_ += "\",\"event\":\"log_gap\",\"dropped\":" + std::to_string(unreported_drops_) + "}\n";
    if (write_lines(gap_, false)) unreported_drops_ = 0;
  }
  write_lines(spare_);
  // A burst may have grown the buffer far past what a tick needs: give that back.
  if (spare_.capacity() > 4 * eager_bytes) spare_ = std::string();
  spare_.clear();
}

bool access_log::write_lines(std::string_view data, bool count_losses) {
  struct stat st {};
  const bool regular = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n > 0) done += static_cast<std::size_t>(n);
    else if (n < 0 && errno == EINTR) continue;
    else break;  // ENOSPC, EFBIG, EIO: nothing more goes in now
  }
  if (done == data.size()) return true;
  // Keep the whole lines that went in; the part of a line that did is cut off again.
  const std::size_t newline = done == 0 ? std::string_view::npos : data.rfind('\n', done - 1);
  const std::size_t kept = newline == std::string_view::npos ? 0 : newline + 1;
  if (regular && done > kept) {
    struct stat now {};
    // Only when the file is as we left it (no one truncated it meanwhile). Should even this
    // fail, the partial line stays; it is counted as lost all the same.
    if (::fstat(fd_, &now) == 0 && now.st_size >= st.st_size + static_cast<off_t>(done)) {
      const int cut = ::ftruncate(fd_, st.st_size + static_cast<off_t>(kept));
      static_cast<void>(cut);
    }
  }
  if (!count_losses) return false;
  const auto lost = static_cast<std::uint64_t>(std::count(data.begin() + static_cast<std::ptrdiff_t>(kept), data.end(), '\n'));
  dropped_.fetch_add(lost, std::memory_order_relaxed);
  unreported_drops_ += lost;
  return false;
}

bool access_log::reopen() {
  if (!owned_) return true;
  flush();
  int fd = open_log(path_);
  if (fd < 0) return false;
  {
    std::lock_guard writing(write_mutex_);
    std::swap(fd_, fd);
  }
  ::close(fd);  // the old file
  return true;
}

void access_log::run() {
  for (;;) {
    bool stopping;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, tick, [this] { return stop_ || pending_.size() >= eager_bytes; });
      stopping = stop_;
    }
    flush();
    if (stopping) return;
  }
}

}  // namespace cited::web
