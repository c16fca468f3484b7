#pragma once
// One JSON object per line for every HTTP request and every answer. Handlers only append to
// a buffer under a mutex; a thread of its own writes it out, so a slow disk or a full pipe on
// stderr never holds up an I/O thread for longer than a copy.
//
// Whatever a patient typed must pass through redact_personal_data before it is logged.
//
// A record is written whole or not at all: when the disk is full (or the file at its size
// limit), the lines that did not fit are dropped and counted, what was written of the last one
// is cut off again, and the next line that fits says how many were lost.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

namespace cited::web {

class access_log {
 public:
  // Logs to path (appending; a new file is made readable by its owner only), or to stderr when
  // path is empty. Throws std::runtime_error when the file cannot be opened.
  explicit access_log(const std::filesystem::path& path);
  ~access_log();
  access_log(const access_log&) = delete;
  access_log& operator=(const access_log&) = delete;

  // Adds "ts" (UTC, ISO 8601 with milliseconds) in front of record's fields and queues the line.
  void write(const nlohmann::json& record);
  // The same for fields already written as JSON: the members of an object, without its braces
  // ("\"event\":\"answer\",..."). For the lines written on every answer.
  void write_fields(std::string_view fields);
  // Writes out everything queued so far.
  void flush();
  // Writes out what is queued, then opens the file at its path again: after logrotate has
  // moved it away, the log goes on in a new file. False (the old file is kept) when the path
  // cannot be opened.
  bool reopen();
  // Lines dropped whole because they could not be written.
  std::uint64_t dropped_lines() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  void run();
  // Under write_mutex_: writes data, a run of whole lines; on failure cuts the file back to its
  // last whole line and (with count_losses) counts the lines lost. True when all of it was
  // written.
  bool write_lines(std::string_view data, bool count_losses = true);

  std::filesystem::path path_;
  int fd_;
  bool owned_;
  std::atomic<std::uint64_t> dropped_{0};
  std::uint64_t unreported_drops_ = 0;  // under write_mutex_: not yet told in the log itself
  std::string gap_;                     // under write_mutex_: the line that tells it
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool eager_signalled_ = false;  // the flusher was woken for the full buffer already
  bool stop_ = false;
  std::mutex write_mutex_;  // orders the flusher thread's writes against flush()
  std::string spare_;       // under write_mutex_: the lines being written out
  std::thread flusher_;
};

}  // namespace cited::web
