#pragma once
// The pages the server shows: a fixed table from URL to file in the web root. Only these
// files are ever read, so no request target can reach any other path on the disk.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cited::web {

struct static_route {
  std::string_view target;        // the URL path, e.g. "/widget.js"
  std::string_view file;          // its file in the web root
  std::string_view content_type;
  bool page;                      // an HTML page: gets the Content-Security-Policy
};

// The route for a URL path (without its query), or null.
const static_route* find_static_route(std::string_view path);

// What the pages may load: scripts only from this server (no inline script, no eval), no
// plugins, no framing by other sites. Inline styles stay allowed for the widget's own markup.
inline constexpr std::string_view page_security_policy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

// The file's bytes, or nullopt when it is missing or unreadable. Read on every request: the
// files are a few kilobytes, and an edited page shows without a restart.
std::optional<std::string> read_static_file(const std::filesystem::path& web_root, const static_route& route);

// Where the pages are unless the command line says otherwise: this source tree's web/static.
std::filesystem::path default_web_root();

}  // namespace cited::web
