#pragma once
// Real Beast clients for the server tests: a WebSocket client and one-shot HTTP requests,
// each operation bounded by a deadline so that a server bug fails a test instead of hanging it.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cited::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

using namespace std::chrono_literals;

struct timed_out : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What a WebSocket handshake got when the server refused it.
struct refused : std::runtime_error {
  refused(unsigned s, std::string b) : std::runtime_error("handshake refused: " + std::to_string(s)), status(s), body(std::move(b)) {}
  unsigned status;
  std::string body;
};

class ws_client {
 public:
  // Connects (from source, a loopback address such as 127.0.0.2, when given) and completes the
  // handshake; throws refused with the server's status and body.
  explicit ws_client(unsigned short port, std::string origin = {}, std::string target = "/ws", std::string source = {},
                     std::map<std::string, std::string> headers = {});
  ~ws_client();

  void send(std::string_view text);
  // One frame of a message: more follow unless fin.
  void send_part(std::string_view text, bool fin);
  void send_binary(std::string_view bytes);
  // The next message as JSON; throws std::runtime_error when the connection ends, or
  // timed_out when nothing came in time (the read stays pending: a later read() picks it up).
  nlohmann::json read(std::chrono::milliseconds timeout = 5s);
  // Sends an ask and reads its reply.
  nlohmann::json ask(std::string_view text, std::optional<std::string> id = std::nullopt);
  // Reads (dropping messages) until the connection ends; the close code the server sent, or 0.
  int read_until_closed(std::chrono::milliseconds timeout = 5s);
  // Close code of the last close frame received (0 when none).
  int close_code() const { return ws_.reason().code; }
  void close();

 private:
  template <class Start>
  beast::error_code run(Start start, std::chrono::milliseconds timeout);

  // Waits for the pending read; nullopt when the deadline came first.
  std::optional<beast::error_code> await_read(std::chrono::milliseconds timeout);

  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool reading_ = false;
  std::optional<beast::error_code> read_result_;
};

struct http_reply {
  unsigned status = 0;
  std::map<std::string, std::string, std::less<>> headers;  // lower-case names
  std::string body;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
  std::string header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Whether any of an answer's quotes holds text.
bool cites(const nlohmann::json& answer, std::string_view text);

// One request on a fresh connection.
http_reply http_request(unsigned short port, http::verb method, std::string target, std::string body = {},
                        std::map<std::string, std::string> headers = {});
// The same from another loopback address (127.0.0.2, ...): another client as the server sees it.
http_reply http_request_from(const std::string& source, unsigned short port, http::verb method, std::string target,
                             std::string body = {}, std::map<std::string, std::string> headers = {});
// Writes raw bytes and returns whatever the server sends back until it closes.
std::string raw_exchange(unsigned short port, std::string_view bytes, std::chrono::milliseconds timeout = 5s);

}  // namespace cited::test
