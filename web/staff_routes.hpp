#pragma once
// The staff workspace's routes and the patient's hand-off over HTTP (../shared/PROTOCOL.md):
//   open:    GET /staff/sign-in (a static page), GET|POST /api/staff/sign-in, POST /api/handoff
//   session: GET /staff, /staff/inbox, /staff/insights (else 303 to the sign-in page);
//            /api/staff/… and POST /api/reply (else 401 unauthorized)
// A state-changing staff request also needs the session's CSRF token in X-CSRF-Token and an
// Origin (if any) naming this server; POST bodies must be application/json (else 415).
// Everything that touches the records store runs on the staff threads (staff_worker.hpp).
#include <optional>

#include "http_routes.hpp"

namespace cited::web {

// The response for a staff or hand-off route, or nullopt when req is for another route.
std::optional<routed_response> route_staff(server_state& state, const http_request& req, const request_context& ctx);

}  // namespace cited::web
