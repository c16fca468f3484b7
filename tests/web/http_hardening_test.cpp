// HTTP as an attacker on the same machine would use it: framing that a proxy could read
// differently, cross-site POSTs, failed WebSocket handshakes; and static files that a
// browser fetches once and then revalidates. Real server, real sockets.
#include "server.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "reply_drafter.hpp"
#include "reply_limit.hpp"
#include "staff_client.hpp"
#include "test_client.hpp"
#include "test_server.hpp"

namespace cited::test {
namespace {

using nlohmann::json;

const std::map<std::string, std::string> as_json{{"Content-Type", "application/json"}};

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

std::string gunzip(const std::string& data) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return {};
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int result = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return result == Z_STREAM_END ? out : std::string();
}

// --- Framing -----------------------------------------------------------------------------------

// A request whose body is a second request, hidden by a Transfer-Encoding that does not end
// in chunked: a proxy that forwards the header would see one request, we must not see two.
TEST(http_framing, a_transfer_encoding_other_than_chunked_is_refused_and_nothing_after_it_is_read) {
  test_server s;
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  for (const std::string encoding : {"gzip", "chunked, gzip", "identity", "gzip, chunked"}) {
    const std::string request = "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: " +
                                encoding + "\r\n\r\n" + smuggled;
    const std::string reply = raw_exchange(s.port(), request);
    EXPECT_EQ(count(reply, "HTTP/1.1 "), 1u) << encoding << ":\n" << reply;
    EXPECT_NE(reply.find("HTTP/1.1 400"), std::string::npos) << encoding << ":\n" << reply;
    EXPECT_EQ(reply.find("\"status\":\"ok\""), std::string::npos) << "the smuggled request was answered";
  }
  // Both a length and an encoding: refused too.
  const std::string both =
      "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
      "Transfer-Encoding: chunked\r\n\r\n11\r\n{\"text\":\"hello\"}\n\r\n0\r\n\r\n";
  EXPECT_NE(raw_exchange(s.port(), both).find("HTTP/1.1 400"), std::string::npos);
  // Plain chunked is fine.
  const std::string chunked =
      "POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
      "Connection: close\r\n\r\n11\r\n{\"text\":\"hello\"}\n\r\n0\r\n\r\n";
  EXPECT_NE(raw_exchange(s.port(), chunked).find("HTTP/1.1 200"), std::string::npos);
}

TEST(http_framing, http_1_1_needs_exactly_one_host) {
  test_server s;
  const std::string none = raw_exchange(s.port(), "GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_NE(none.find("HTTP/1.1 400"), std::string::npos) << none;
  EXPECT_NE(none.find("Host"), std::string::npos);
  const std::string two = raw_exchange(s.port(), "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  EXPECT_NE(two.find("HTTP/1.1 400"), std::string::npos) << two;
  // HTTP/1.0 had no Host.
  EXPECT_NE(raw_exchange(s.port(), "GET /healthz HTTP/1.0\r\n\r\n").find("HTTP/1.0 200"), std::string::npos);
}

// --- POSTs from other sites ------------------------------------------------------------------

TEST(http_post, the_body_must_be_declared_json) {
  test_server s;
  const auto staff = sign_in_new_staff(s);
  const std::string ask = R"({"text":"does it hurt?"})";
  for (const auto& type : {std::string(), std::string("text/plain"), std::string("application/x-www-form-urlencoded"),
                           std::string("multipart/form-data; boundary=x")}) {
    std::map<std::string, std::string> headers;
    if (!type.empty()) headers["Content-Type"] = type;
    const auto r = http_request(s.port(), http::verb::post, "/api/ask", ask, headers);
    EXPECT_EQ(r.status, 415u) << type;
    EXPECT_EQ(r.json()["error"]["code"], "unsupported_media_type");
    // The email-paste page's API, for a signed-in member of staff.
    auto staff_headers = staff.headers();
    staff_headers.erase("Content-Type");
    if (!type.empty()) staff_headers["Content-Type"] = type;
    EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/reply", ask, staff_headers).status, 415u) << type;
  }
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/ask", ask, {{"Content-Type", "application/json; charset=utf-8"}}).status,
            200u);
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/ask", ask, {{"Content-Type", "Application/JSON"}}).status, 200u);
}

TEST(http_post, an_origin_must_be_allowed_or_the_servers_own) {
  auto options = test_server::quiet_options();
  options.allowed_origins = {"https://clinic.example"};
  test_server s(options);
  const std::string ask = R"({"text":"does it hurt?"})";
  auto from = [&](const std::string& origin) {
    auto h = as_json;
    h["Origin"] = origin;
    return http_request(s.port(), http::verb::post, "/api/ask", ask, h);
  };
  const auto foreign = from("https://evil.example");
  EXPECT_EQ(foreign.status, 403u);
  EXPECT_EQ(foreign.json()["error"]["code"], "forbidden");
  const auto listed = from("https://clinic.example");
  EXPECT_EQ(listed.status, 200u);
  EXPECT_EQ(listed.header("access-control-allow-origin"), "https://clinic.example");
  EXPECT_EQ(from("http://127.0.0.1").status, 200u);  // the test client's Host: this server's own pages
  EXPECT_EQ(http_request(s.port(), http::verb::post, "/api/ask", ask, as_json).status, 200u);  // no Origin: no browser
}

// --- Static files --------------------------------------------------------------------------------

struct static_fixture : ::testing::Test {
  void SetUp() override {
    root = scratch_dir() / ("static-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::create_directories(root);
    std::string widget;
    for (int i = 0; i < 400; ++i) widget += "console.log('the widget, line " + std::to_string(i) + "');\n";
    std::filesystem::create_directories(root / "patient");
    std::ofstream(root / "patient" / "widget.js") << widget;
    std::ofstream(root / "patient" / "index.html") << "<!doctype html><title>demo</title>";
    options = test_server::quiet_options();
    options.web_root = root;
  }
  std::filesystem::path root;
  web::server_options options;
};

TEST_F(static_fixture, have_validators_and_a_repeat_load_is_a_304) {
  test_server s(options);
  const auto first = http_request(s.port(), http::verb::get, "/widget.js");
  EXPECT_EQ(first.status, 200u);
  const std::string etag = first.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  EXPECT_FALSE(first.header("last-modified").empty());
  EXPECT_EQ(first.header("cache-control"), "public, max-age=3600");
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/").header("cache-control"), "no-cache");
  // The browser's repeat load: 304, no body, the same validator.
  const auto again = http_request(s.port(), http::verb::get, "/widget.js", {}, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304u);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("etag"), etag);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/widget.js", {}, {{"If-None-Match", "\"other\", " + etag}}).status, 304u);
  EXPECT_EQ(
      http_request(s.port(), http::verb::get, "/widget.js", {}, {{"If-Modified-Since", first.header("last-modified")}}).status,
      304u);
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/widget.js", {}, {{"If-None-Match", "\"other\""}}).status, 200u);
}

TEST_F(static_fixture, are_gzipped_for_clients_that_accept_it) {
  test_server s(options);
  const auto plain = http_request(s.port(), http::verb::get, "/widget.js");
  const auto packed = http_request(s.port(), http::verb::get, "/widget.js", {}, {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(packed.status, 200u);
  EXPECT_EQ(packed.header("content-encoding"), "gzip");
  EXPECT_NE(packed.header("vary").find("Accept-Encoding"), std::string::npos);
  EXPECT_LT(packed.body.size(), plain.body.size() / 4);
  EXPECT_EQ(gunzip(packed.body), plain.body);
  EXPECT_NE(packed.header("etag"), plain.header("etag"));  // another representation, another validator
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/widget.js", {}, {{"Accept-Encoding", "gzip;q=0"}}).header("content-encoding"),
            "");
  EXPECT_EQ(http_request(s.port(), http::verb::get, "/widget.js", {},
                         {{"Accept-Encoding", "gzip"}, {"If-None-Match", packed.header("etag")}})
                .status,
            304u);
}

TEST_F(static_fixture, an_edited_file_gets_a_new_validator) {
  test_server s(options);
  const auto before = http_request(s.port(), http::verb::get, "/widget.js");
  std::this_thread::sleep_for(20ms);
  std::ofstream(root / "patient" / "widget.js") << "console.log('version two');\n";
  const auto after = http_request(s.port(), http::verb::get, "/widget.js", {}, {{"If-None-Match", before.header("etag")}});
  EXPECT_EQ(after.status, 200u);
  EXPECT_EQ(after.body, "console.log('version two');\n");
  EXPECT_NE(after.header("etag"), before.header("etag"));
}

// --- WebSocket handshakes that fail -------------------------------------------------------------

TEST(websocket_handshake, a_refused_one_is_answered_in_json_and_logged_with_its_real_status) {
  auto options = test_server::quiet_options();
  const auto log = options.log_file;
  {
    test_server s(options);
    const std::string bad_version =
        "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
    const std::string reply = raw_exchange(s.port(), bad_version);
    EXPECT_NE(reply.find("HTTP/1.1 426"), std::string::npos) << reply;
    EXPECT_NE(reply.find("Sec-WebSocket-Version: 13"), std::string::npos) << reply;
    const std::string body = reply.substr(reply.find("\r\n\r\n") + 4);
    EXPECT_EQ(json::parse(body)["error"]["code"], "bad_request") << body;
    const std::string no_key = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n";
    const std::string refused = raw_exchange(s.port(), no_key);
    EXPECT_NE(refused.find("HTTP/1.1 400"), std::string::npos) << refused;
    EXPECT_NE(refused.find("application/json"), std::string::npos) << refused;
    ws_client good(s.port());
    good.ask("hello");
    const auto m = http_request(s.port(), http::verb::get, "/metrics");
    EXPECT_NE(m.body.find(R"(cited_http_requests_total{route="/ws",status="426"} 1)"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find(R"(cited_http_requests_total{route="/ws",status="400"} 1)"), std::string::npos) << m.body;
    EXPECT_NE(m.body.find(R"(cited_http_requests_total{route="/ws",status="101"} 1)"), std::string::npos) << m.body;
  }
  const std::string text = read_file(log);
  EXPECT_EQ(count(text, "\"route\":\"/ws\""), 3u) << text;
  EXPECT_EQ(count(text, "\"status\":101"), 1u) << text;
}

// --- POST /api/reply's work limit ----------------------------------------------------------------

TEST(reply, a_long_email_is_read_only_so_far_and_the_reply_says_where_it_stopped) {
  auto hook = [](std::string_view email, answer_engine& engine) {
    reply_drafter drafter(engine);
    return app::draft_within_limit(drafter, email, {20, 16'000});
  };
  test_server s(test_server::quiet_options(), nullptr, hook);
  const auto staff_json = sign_in_new_staff(s).headers();  // the email-paste page is for staff
  std::string email = "Hi,\nHow much does it cost?\n";
  for (int i = 0; i < 200; ++i) email += "Sentence number " + std::to_string(i) + " of a very long email.\n";
  email += "Does it hurt?\nThanks, Sam\n";
  const auto r = http_request(s.port(), http::verb::post, "/api/reply", json{{"text", email}}.dump(), staff_json);
  ASSERT_EQ(r.status, 200u) << r.body;
  const json reply = r.json();
  ASSERT_TRUE(reply.contains("not_read_past_here")) << reply.dump(2);
  EXPECT_NE(reply["not_read_past_here"].get<std::string>().find("of a very long email."), std::string::npos);
  // The first question was read; the last, past the limit, was not.
  ASSERT_EQ(reply["questions"].size(), 1u) << reply.dump(2);
  EXPECT_EQ(reply["questions"][0]["question"], "How much does it cost?");
  EXPECT_NE(reply["unanswered"].back().get<std::string>().find("not read past here"), std::string::npos);
  // A short email is read whole and says nothing of the kind.
  const auto short_one =
      http_request(s.port(), http::verb::post, "/api/reply", json{{"text", "Hi, does it hurt? Thanks"}}.dump(), staff_json).json();
  EXPECT_FALSE(short_one.contains("not_read_past_here"));
}

}  // namespace
}  // namespace cited::test
