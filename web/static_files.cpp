#include "static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>

namespace cited::web {
namespace {

// The demo page with the widget, the widget itself, the staff page and the readable view of a
// source (linked from citations), each with its own script or style sheet: inline script is
// forbidden by the pages' policy, so every script is a file here.
constexpr std::array<static_route, 7> routes = {{
    {"/", "index.html", "text/html; charset=utf-8", true},
    {"/widget.js", "widget.js", "text/javascript; charset=utf-8", false},
    {"/staff", "staff.html", "text/html; charset=utf-8", true},
    {"/staff.js", "staff.js", "text/javascript; charset=utf-8", false},
    {"/staff.css", "staff.css", "text/css; charset=utf-8", false},
    {"/source", "source.html", "text/html; charset=utf-8", true},
    {"/source.js", "source.js", "text/javascript; charset=utf-8", false},
}};

// Larger than any page we ship by far; a bigger file is a mistake, not something to serve.
constexpr std::uintmax_t max_file_bytes = 4 * 1024 * 1024;

}  // namespace

const static_route* find_static_route(std::string_view path) {
  for (const auto& r : routes)
    if (r.target == path) return &r;
  return nullptr;
}

std::optional<std::string> read_static_file(const std::filesystem::path& web_root, const static_route& route) {
  const auto path = web_root / route.file;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || std::filesystem::file_size(path, ec) > max_file_bytes || ec)
    return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

std::filesystem::path default_web_root() { return CITED_WEB_ROOT; }

}  // namespace cited::web
