#include "static_cache.hpp"

#include <zlib.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <stdexcept>

namespace cited::web {
namespace {

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// FNV-1a: enough to tell one version of a file from the next; no one chooses these files.
std::uint64_t fingerprint(std::string_view data) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// RFC 9110's IMF-fixdate, written by hand: strftime's names follow the locale.
std::string http_date(std::filesystem::file_time_type t) {
  constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto sys = std::chrono::file_clock::to_sys(t);
  const std::time_t secs = std::chrono::system_clock::to_time_t(sys);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[static_cast<std::size_t>(tm.tm_wday % 7)],
                tm.tm_mday, months[static_cast<std::size_t>(tm.tm_mon % 12)], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string gzip_compress(std::string_view data) {
  z_stream z{};
  // 15 + 16: a gzip header and trailer around the deflate stream.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&z, Z_FINISH);
  const auto written = static_cast<std::size_t>(z.total_out);
  deflateEnd(&z);
  if (result != Z_STREAM_END) throw std::runtime_error("zlib: deflate did not finish");
  out.resize(written);
  return out;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (trim(if_none_match) == "*") return true;
  auto opaque = [](std::string_view t) {
    t = trim(t);
    if (t.starts_with("W/")) t.remove_prefix(2);
    return t;
  };
  const std::string_view want = opaque(etag);
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    if (opaque(if_none_match.substr(0, comma)) == want) return true;
    if_none_match = comma == std::string_view::npos ? std::string_view() : if_none_match.substr(comma + 1);
  }
  return false;
}

bool accepts_gzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view coding = trim(item.substr(0, semicolon));
    if (!iequals_ascii(coding, "gzip") && coding != "*") continue;
    if (semicolon == std::string_view::npos) return true;
    // "gzip;q=0" refuses it; any other weight accepts it.
    std::string_view param = trim(item.substr(semicolon + 1));
    if (!(param.starts_with("q=") || param.starts_with("Q="))) return true;
    param.remove_prefix(2);
    return param.find_first_not_of("0.") != std::string_view::npos;
  }
  return false;
}

std::optional<static_asset> static_cache::get(const std::filesystem::path& web_root, const static_route& route) {
  const auto path = web_root / route.file;
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path, ec);
  const auto size = ec ? 0 : std::filesystem::file_size(path, ec);
  if (ec) return std::nullopt;
  const std::string key = path.string();
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(key);
    if (it != entries_.end() && it->second.mtime == mtime && it->second.size == size) return it->second.asset;
  }
  // Read and compressed outside the lock; two threads doing it at once both get it right.
  auto bytes = read_static_file(web_root, route);
  if (!bytes) return std::nullopt;
  static_asset asset;
  const std::string hash = hex64(fingerprint(*bytes));
  asset.etag = "\"" + hash + "\"";
  asset.last_modified = http_date(mtime);
  std::string packed = gzip_compress(*bytes);
  if (packed.size() < bytes->size()) asset.gzip = std::make_shared<const std::string>(std::move(packed));
  asset.bytes = std::make_shared<const std::string>(std::move(*bytes));
  std::lock_guard lock(mutex_);
  entries_[key] = {path, mtime, size, asset};
  return asset;
}

}  // namespace cited::web
