#pragma once
// Internal to web/: the knowledge editor's staff API (/api/staff/knowledge/…): facts with how
// they are used, the nearest facts for a patient's wording, drafts and their edits (checked as
// `cited index` checks them), preview, publish with the swap of the index, history and restore.
// Every handler runs on a staff thread behind the sign-in (staff_routes.cpp).
#include <functional>
#include <optional>
#include <string_view>

#include "staff_api.hpp"

namespace cited::web {

// Registers a handler behind the sign-in for GET (or POST) only; the route is its pattern.
using staff_route = std::function<routed_response(std::string_view route, std::function<http_response(staff_call&)>)>;

// The response for /api/staff/knowledge/<rest> (post: the request is a POST), or nullopt when
// there is no such route.
std::optional<routed_response> route_knowledge(std::string_view rest, bool post, const staff_route& get_only,
                                               const staff_route& post_only);

}  // namespace cited::web
