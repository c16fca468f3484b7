// The knowledge editor's API over real sockets, against a copy of the real corpus: a patient's
// wording taught to a fact, previewed, published and answered on the next ask without a
// restart; a bad quote refused with its fact named; a publish based on an older version refused
// with what changed; a restore that gives back every answer byte for byte.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "corpus_backend.hpp"
#include "corpus_loader.hpp"
#include "index_builder.hpp"
#include "staff_client.hpp"

namespace cited::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* taught_question = "do you offer payment plans or monthly finance?";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A copy of the real corpus, its index, and a server editing both.
struct editing_server {
  fs::path dir, corpus, db;
  std::unique_ptr<test_server> server;
  staff_session staff;

  editing_server() {
    static std::atomic<int> n{0};
    dir = scratch_dir() / ("knowledge-" + std::to_string(n++));
    corpus = dir / "corpus";
    db = dir / "cited.db";
    fs::create_directories(dir);
    fs::copy(CITED_SOURCE_DIR "/corpus", corpus, fs::copy_options::recursive);
    build_index(load_corpus(corpus), db);
    auto options = test_server::quiet_options();
    options.index_check = std::chrono::milliseconds(0);
    options.staff.knowledge.question_sets = {CITED_SOURCE_DIR "/tests/eval/questions.jsonl"};
    options.staff.knowledge.red_flag_set = CITED_SOURCE_DIR "/tests/eval/redflags.jsonl";
    web::server_services services;
    const fs::path served = db;
    services.load_index = [served](std::size_t engines) { return app::load_for_serving(served, engines); };
    services.index_file = db;
    services.knowledge = std::make_shared<app::corpus_backend>(corpus, db, dir / "scratch");
    server = std::make_unique<test_server>(options, std::move(services));
    staff = sign_in_new_staff(*server);
  }

  unsigned short port() const { return server->port(); }
  http_reply get(const std::string& target) const {
    return http_request(port(), http::verb::get, "/api/staff/knowledge/" + target, {}, staff.headers());
  }
  http_reply post(const std::string& target, const json& body = json::object()) const {
    return http_request(port(), http::verb::post, "/api/staff/knowledge/" + target, body.dump(), staff.headers());
  }
};

// What a patient sees of an answer: the answer object without its random id.
std::string visible(json a) {
  a.erase("answer_id");
  return a.dump();
}

std::vector<std::string> some_questions() {
  std::ifstream in(CITED_SOURCE_DIR "/tests/eval/questions.jsonl");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line) && out.size() < 120;)
    if (!line.empty()) out.push_back(json::parse(line)["q"].get<std::string>());
  out.emplace_back(taught_question);
  return out;
}

std::vector<std::string> answers_to(unsigned short port, const std::vector<std::string>& questions) {
  std::vector<std::string> out;
  for (const auto& q : questions) {
    const auto r = http_request(port, http::verb::post, "/api/ask", json{{"text", q}}.dump(), {{"Content-Type", "application/json"}});
    out.push_back(std::to_string(r.status) + " " + visible(r.json()));
  }
  return out;
}

TEST(knowledge_api, needs_a_signed_in_session) {
  editing_server s;
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/api/staff/knowledge/facts").status, 401u);
  auto headers = s.staff.headers();
  headers.erase("X-CSRF-Token");
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/staff/knowledge/drafts", "{}", headers).status, 403u);
}

TEST(knowledge_api, lists_facts_by_topic_and_search_with_citations_and_usage) {
  editing_server s;
  ws_client patient(s.port());
  patient.ask("how much does smp cost?");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  json cost;
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto r = s.get("facts?topic=cost");
    ASSERT_EQ(r.status, 200u) << r.body;
    const json listed = r.json();
    for (const auto& f : listed["facts"]) {
      EXPECT_EQ(f["topic"], "cost");
      if (f["id"] == "cost-per-session") cost = f;
    }
  } while ((cost.is_null() || cost["served"].get<long long>() < 1) && std::chrono::steady_clock::now() < until);
  ASSERT_FALSE(cost.is_null());
  EXPECT_GE(cost["served"].get<long long>(), 1);
  EXPECT_TRUE(cost["citations"][0]["span"].is_array()) << cost;
  EXPECT_FALSE(cost["citations"][0]["title"].get<std::string>().empty());
  const json found = s.get("facts?q=microblading").json()["facts"];
  EXPECT_FALSE(found.empty());
  EXPECT_EQ(s.get("facts/cost-per-session").json()["id"], "cost-per-session");
  EXPECT_EQ(s.get("facts/no-such-fact").status, 404u);
}

TEST(knowledge_api, a_taught_phrasing_is_previewed_published_and_answered_without_a_restart) {
  editing_server s;
  ws_client patient(s.port());
  EXPECT_FALSE(cites(patient.ask(taught_question), "$500 and $3000"));

  const json near = s.get("nearest?q=" + std::string("payment%20plans%20per%20session%20cost")).json();
  ASSERT_FALSE(near["facts"].empty()) << near;

  const auto taught = s.post("phrasings", {{"fact_id", "cost-per-session"}, {"phrasing", taught_question}});
  ASSERT_EQ(taught.status, 201u) << taught.body;
  const json draft = taught.json();
  for (const auto& p : draft["problems"]) EXPECT_EQ(p["severity"], "advice") << p;
  const std::string id = draft["draft_id"];

  // The patient's question reaches the log (written in batches) before the preview reads it.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto preview = s.post("drafts/" + id + "/preview");
  ASSERT_EQ(preview.status, 200u) << preview.body;
  const json p = preview.json();
  EXPECT_TRUE(p["checks"]["ok"].get<bool>()) << p["checks"];
  bool listed = false;
  for (const auto& c : p["changed"])
    if (c["question"] == taught_question) {
      listed = true;
      EXPECT_TRUE(cites(c["new"], "$500 and $3000")) << c;
      EXPECT_FALSE(cites(c["old"], "$500 and $3000")) << c;
    }
  EXPECT_TRUE(listed) << p["changed"];
  EXPECT_TRUE(p["eval"]["before"].contains("questions.jsonl"));
  EXPECT_TRUE(p["eval"]["after"].contains("questions.jsonl"));

  const auto published = s.post("drafts/" + id + "/publish");
  ASSERT_EQ(published.status, 200u) << published.body;
  EXPECT_EQ(published.json()["index_generation"], 2);
  // The same connection, no restart: the next ask is answered from the new index.
  EXPECT_TRUE(cites(patient.ask(taught_question), "$500 and $3000"));
  // The corpus files on disk are the source of truth.
  EXPECT_NE(read_file(s.corpus / "facts" / "cost.json").find(taught_question), std::string::npos);
  const json history = s.get("history").json();
  ASSERT_EQ(history["publishes"].size(), 1u);
  EXPECT_EQ(history["publishes"][0]["summary"][0]["id"], "cost-per-session");
  EXPECT_EQ(history["publishes"][0]["by"], s.staff.email);
  // A published draft takes no more edits.
  EXPECT_EQ(s.post("drafts/" + id + "/edits", {{"kind", "fact_removed"}, {"fact_id", "cost-per-session"}}).status, 400u);
}

TEST(knowledge_api, a_quote_not_in_its_source_is_named_and_refused) {
  editing_server s;
  const std::string id = s.post("drafts").json()["draft_id"];
  json fact = s.get("facts/cost-per-session").json();
  for (const char* extra : {"served", "up", "down"}) fact.erase(extra);
  fact["citations"][0] = {{"source", fact["citations"][0]["source"]}, {"quote", "Most clinics charge exactly $10 per session."}};
  const auto saved = s.post("drafts/" + id + "/edits", {{"kind", "fact_changed"}, {"fact", fact}});
  ASSERT_EQ(saved.status, 201u) << saved.body;
  const json problems = saved.json()["problems"];
  ASSERT_FALSE(problems.empty());
  // Each next to its field: the quote is not in its source, and the answer's numbers are no
  // longer in any quote.
  bool verbatim = false, numbers = false;
  for (const auto& p : problems) {
    verbatim = verbatim || (p["rule"] == "verbatim" && p["fact"] == "cost-per-session" && p["field"] == "citations[0].quote" &&
                            p["severity"] == "required");
    numbers = numbers || (p["rule"] == "numbers_quoted" && p["field"] == "answer");
  }
  EXPECT_TRUE(verbatim && numbers) << problems;
  // Checked without saving, as the editor does while a field is typed.
  const auto checked = s.post("drafts/" + id + "/check", {{"kind", "fact_changed"}, {"fact", s.get("facts/cost-per-session").json()}});
  ASSERT_EQ(checked.status, 200u) << checked.body;
  const json advice = checked.json()["problems"];  // a copy: the loop must not outlive the parsed body
  for (const auto& p : advice) EXPECT_EQ(p["severity"], "advice") << p;
  const auto refused = s.post("drafts/" + id + "/publish");
  EXPECT_EQ(refused.status, 422u) << refused.body;
  EXPECT_FALSE(refused.json()["checks"]["ok"].get<bool>());
  EXPECT_EQ(s.server->server->index().generation(), 1u);
  // A malformed edit is a 400 that says what is wrong.
  const auto bad = s.post("drafts/" + id + "/edits", {{"kind", "fact_changed"}});
  EXPECT_EQ(bad.status, 400u);
}

TEST(knowledge_api, a_draft_on_an_older_version_is_refused_with_what_changed) {
  editing_server s;
  const std::string first = s.post("drafts").json()["draft_id"];
  const std::string second = s.post("drafts").json()["draft_id"];
  ASSERT_EQ(s.post("drafts/" + first + "/edits", {{"kind", "phrasing_added"}, {"fact_id", "cost-per-session"},
                                                 {"phrasing", taught_question}}).status, 201u);
  ASSERT_EQ(s.post("drafts/" + second + "/edits", {{"kind", "phrasing_added"}, {"fact_id", "cost-per-session"},
                                                  {"phrasing", "what do payments per month look like"}}).status, 201u);
  ASSERT_EQ(s.post("drafts/" + first + "/publish").status, 200u);
  const auto late = s.post("drafts/" + second + "/publish");
  ASSERT_EQ(late.status, 409u) << late.body;
  const json changes = late.json()["changes"];
  ASSERT_EQ(changes.size(), 1u) << changes;
  EXPECT_EQ(changes[0]["kind"], "fact_changed");
  EXPECT_EQ(changes[0]["id"], "cost-per-session");
}

TEST(knowledge_api, a_new_version_of_a_page_lists_the_facts_quoting_the_old_one) {
  editing_server s;
  const std::string id = s.post("drafts").json()["draft_id"];
  const std::string title = s.get("facts/cost-per-session").json()["citations"][0]["title"];
  const auto added = s.post("drafts/" + id + "/sources", {{"title", title}, {"text", "Our prices changed. A session is now 400 pounds."}});
  ASSERT_EQ(added.status, 201u) << added.body;
  const json body = added.json();
  EXPECT_EQ(body["source"]["id"].get<std::string>().rfind("clinic_", 0), 0u);
  bool listed = false;
  for (const auto& r : body["review"]) listed = listed || r["fact"] == "cost-per-session";
  EXPECT_TRUE(listed) << body["review"];
  // Another title, nothing to review; the same text again is the same source.
  const auto other = s.post("drafts/" + id + "/sources", {{"title", "Parking"}, {"text", "There is free parking behind the clinic."}});
  EXPECT_TRUE(other.json()["review"].empty());
  EXPECT_EQ(s.post("drafts/" + id + "/sources", {{"title", "Parking"}, {"text", "There is free parking behind the clinic."}})
                .json()["source"]["id"],
            other.json()["source"]["id"]);
  EXPECT_EQ(s.post("drafts/" + id + "/sources", {{"title", "Parking"}, {"text", "  "}}).status, 400u);
}

TEST(knowledge_api, restore_gives_back_every_answer_byte_for_byte) {
  editing_server s;
  const auto questions = some_questions();
  const auto before = answers_to(s.port(), questions);
  const std::string cost_file = read_file(s.corpus / "facts" / "cost.json");

  const std::string id = s.post("drafts").json()["draft_id"];
  ASSERT_EQ(s.post("drafts/" + id + "/edits", {{"kind", "phrasing_added"}, {"fact_id", "cost-per-session"},
                                              {"phrasing", taught_question}}).status, 201u);
  const auto source = s.post("drafts/" + id + "/sources",
                             {{"title", "Our prices"}, {"text", "A first session costs 400 pounds. Payment plans are available."}});
  ASSERT_EQ(source.status, 201u) << source.body;
  const auto published = s.post("drafts/" + id + "/publish");
  ASSERT_EQ(published.status, 200u) << published.body;
  EXPECT_NE(answers_to(s.port(), questions), before);

  const long long publish_id = published.json()["publish_id"];
  const auto restored = s.post("history/" + std::to_string(publish_id) + "/restore");
  ASSERT_EQ(restored.status, 200u) << restored.body;
  EXPECT_EQ(restored.json()["version"], published.json()["previous_version"]);
  EXPECT_EQ(answers_to(s.port(), questions), before);
  EXPECT_EQ(read_file(s.corpus / "facts" / "cost.json"), cost_file);
  const json history = s.get("history").json();
  ASSERT_EQ(history["publishes"].size(), 2u);
  EXPECT_EQ(history["publishes"][0]["restored_from"], publish_id);
}

}  // namespace
}  // namespace cited::test
