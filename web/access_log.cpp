#include "access_log.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

namespace cited::web {
namespace {

// A buffer this big is written at once rather than waiting for the next tick.
constexpr std::size_t eager_bytes = 64 * 1024;
constexpr auto tick = std::chrono::milliseconds(200);

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

access_log::access_log(const std::filesystem::path& path)
    : out_(path.empty() ? stderr : std::fopen(path.c_str(), "a")), owned_(!path.empty()) {
  if (!out_) throw std::runtime_error("cannot open the log file " + path.string());
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
  if (owned_) std::fclose(out_);
}

void access_log::write(const nlohmann::json& record) {
  // Patients' text is valid UTF-8 by the time it gets here, but an HTTP target need not be.
  const std::string fields = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  write_fields(fields.size() > 2 ? std::string_view(fields).substr(1, fields.size() - 2) : std::string_view());
}

void access_log::write_fields(std::string_view fields) {
  // "ts" first, then the record's own fields, so that lines read well in a terminal too.
  std::string text;
  text.reserve(40 + fields.size());
  text += "{\"ts\":\"";
  text += utc_now();
  text += '"';
  if (!fields.empty()) {
    text += ',';
    text += fields;
  }
  text += "}\n";
  bool eager;
  {
    std::lock_guard lock(mutex_);
    pending_ += text;
    eager = pending_.size() >= eager_bytes;
  }
  if (eager) wake_.notify_one();
}

void access_log::flush() {
  // Taking write_mutex_ before the swap keeps lines in the order they were written.
  std::lock_guard writing(write_mutex_);
  std::string lines;
  {
    std::lock_guard lock(mutex_);
    lines.swap(pending_);
  }
  if (lines.empty()) return;
  std::fwrite(lines.data(), 1, lines.size(), out_);
  std::fflush(out_);
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
