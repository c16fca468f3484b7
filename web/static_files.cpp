#include "static_files.hpp"

#include <array>
#include <fstream>
#include <iterator>

namespace cited::web {
namespace {

// The patient's side (static/patient/: the demo page, the widget, the readable view of a
// source) and the staff workspace's open files (static/staff/: the sign-in page, the scripts and
// the style sheet). The staff pages themselves need a session: web/staff_routes.cpp serves them.
// Inline script is forbidden by the pages' policy, so every script is a file here.
constexpr std::array<static_route, 18> routes = {{
    {"/", "patient/index.html", "text/html; charset=utf-8", true},
    {"/widget.js", "patient/widget.js", "text/javascript; charset=utf-8", false},
    {"/source", "patient/source.html", "text/html; charset=utf-8", true},
    {"/source.js", "patient/source.js", "text/javascript; charset=utf-8", false},
    {"/staff/sign-in", "staff/sign-in.html", "text/html; charset=utf-8", true},
    {"/staff/sign-in.js", "staff/sign-in.js", "text/javascript; charset=utf-8", false},
    {"/staff/staff.css", "staff/staff.css", "text/css; charset=utf-8", false},
    {"/staff/common.js", "staff/common.js", "text/javascript; charset=utf-8", false},
    {"/staff/reply.js", "staff/reply.js", "text/javascript; charset=utf-8", false},
    {"/staff/inbox.js", "staff/inbox.js", "text/javascript; charset=utf-8", false},
    {"/staff/insights.js", "staff/insights.js", "text/javascript; charset=utf-8", false},
    {"/staff/charts.js", "staff/charts.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge.js", "staff/knowledge.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge_draft.js", "staff/knowledge_draft.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge_facts.js", "staff/knowledge_facts.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge_editor.js", "staff/knowledge_editor.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge_sources.js", "staff/knowledge_sources.js", "text/javascript; charset=utf-8", false},
    {"/staff/knowledge_history.js", "staff/knowledge_history.js", "text/javascript; charset=utf-8", false},
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
