#pragma once
// The static files as they are sent: each read once and kept until it changes on disk (its
// size or time changes), with a strong ETag, its Last-Modified date and a gzip copy, so that
// widget.js, on every page of the clinic's site, costs a browser a 304 or a few kilobytes.
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "static_files.hpp"

namespace cited::web {

struct static_asset {
  std::shared_ptr<const std::string> bytes;  // the file
  std::shared_ptr<const std::string> gzip;   // the same, gzip-compressed; null when that is no smaller
  std::string etag;                          // "\"<hash>\"", of the bytes (the gzip copy: "\"<hash>-gz\"")
  std::string last_modified;                 // IMF-fixdate
};

class static_cache {
 public:
  // The file of route in web_root, read again only when it has changed; nullopt when it is
  // missing or unreadable. Safe to call from every I/O thread.
  std::optional<static_asset> get(const std::filesystem::path& web_root, const static_route& route);

 private:
  struct entry {
    std::filesystem::path path;
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    static_asset asset;
  };
  std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;  // by file path
};

// data compressed as a gzip member (RFC 1952), at zlib's best compression.
std::string gzip_compress(std::string_view data);

// True when an If-None-Match value (a list of ETags, or "*") names etag; weak ETags compare by
// their opaque part, as RFC 9110 says for If-None-Match.
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// True when an Accept-Encoding value accepts gzip (listed, or "*", with a q above 0).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace cited::web
