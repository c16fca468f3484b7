#pragma once
// Internal to web/: a signed-in staff request as the handlers see it, and the handlers of the
// inbox, the insights and the conversation log (staff_api.cpp).
#include <string>

#include "staff_sessions.hpp"
#include "staff_worker.hpp"
#include "http_routes.hpp"

namespace cited::web {

struct staff_call {
  server_state& state;
  const http_request& req;
  staff_context& context;
  records::signed_in who;
  records::token_hash session;  // the session's token, hashed
  std::string token;            // and as the cookie holds it (for its CSRF token)
};

// GET /api/staff/handoffs[?status=new|replied|closed]
http_response list_handoffs(staff_call& call);
// GET /api/staff/handoffs/{id}: the hand-off, its transcript and a suggested reply
http_response show_handoff(staff_call& call, std::string_view handoff_id);
// POST /api/staff/handoffs/{id}/status {"status": "replied"|"closed"|"new"}
http_response set_handoff_status(staff_call& call, std::string_view handoff_id);
// GET /api/staff/insights?from=YYYY-MM-DD&to=YYYY-MM-DD (to inclusive; default: the last 30 days)
http_response insights(staff_call& call);
// GET /api/staff/conversations.csv?from=&to=
http_response conversations_csv(staff_call& call);
// GET /api/staff/conversations/{id}
http_response show_conversation(staff_call& call, std::string_view conversation);

}  // namespace cited::web
