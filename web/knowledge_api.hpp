#pragma once
// Internal to web/: the knowledge editor's staff API (/api/staff/knowledge/…): facts with how
// they are used, the nearest facts for a patient's wording, drafts and their edits (checked as
// `cited index` checks them), preview, publish with the swap of the index, history and restore.
// Every handler runs on a staff thread behind the sign-in (staff_routes.cpp).
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "knowledge_backend.hpp"
#include "knowledge_drafts.hpp"
#include "staff_api.hpp"
#include "writer.hpp"

namespace cited::web {

// Registers a handler behind the sign-in for GET (or POST) only; the route is its pattern.
using staff_route = std::function<routed_response(std::string_view route, std::function<http_response(staff_call&)>)>;

// The response for /api/staff/knowledge/<rest> (post: the request is a POST), or nullopt when
// there is no such route.
std::optional<routed_response> route_knowledge(std::string_view rest, bool post, const staff_route& get_only,
                                               const staff_route& post_only);

// Shared by knowledge_api.cpp (facts, drafts, edits, sources) and knowledge_publish.cpp
// (preview, publish, history, restore).
namespace knowledge {

inline constexpr long long day_ms = 24LL * 60 * 60 * 1000;

// The server's knowledge backend; 503 when it has none.
knowledge_backend& backend(const staff_call& call);
// Runs a write through the records writer and waits for its commit; throws when it fails.
void write_records(const staff_call& call, const records::writer::job& work);

// A draft as it stands: its record, the corpus on disk now, and that corpus with the draft's
// edits applied (those that no longer fit are left out and listed in conflicts).
struct drafted {
  records::draft_record record;
  corpus_state corpus;
  knowledge_base knowledge;
  nlohmann::json conflicts = nlohmann::json::array();
};
// 404 when there is no such draft; 400 when it must be open and is not.
drafted open_draft(staff_call& call, const std::string& draft_id, bool must_be_open = true);

// POST knowledge/drafts/{id}/preview
http_response preview(staff_call& call, const std::string& draft_id);
// POST knowledge/drafts/{id}/publish: 409 with what changed, 422 with the checks, or published.
http_response publish(staff_call& call, const std::string& draft_id);
// GET knowledge/history
http_response history(staff_call& call);
// POST knowledge/history/{id}/restore
http_response restore(staff_call& call, long long publish_id);

}  // namespace knowledge
}  // namespace cited::web
