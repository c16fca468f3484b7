#pragma once
// One JSON object per line for every HTTP request and every answer. Handlers only append to
// a buffer under a mutex; a thread of its own writes it out, so a slow disk or a full pipe on
// stderr never holds up an I/O thread for longer than a copy.
//
// Whatever a patient typed must pass through redact_personal_data before it is logged.
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

namespace cited::web {

class access_log {
 public:
  // Logs to path (appending), or to stderr when path is empty. Throws std::runtime_error when
  // the file cannot be opened.
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

 private:
  void run();

  std::FILE* out_;
  bool owned_;
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
