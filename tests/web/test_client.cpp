#include "test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cctype>

namespace cited::test {

using tcp = net::ip::tcp;

namespace {

tcp::endpoint local(unsigned short port) { return {net::ip::make_address("127.0.0.1"), port}; }

// Runs ioc until done() or the deadline; on the deadline, closes what close() closes and throws.
template <class Done, class Close>
void wait_for(net::io_context& ioc, Done done, Close close, std::chrono::milliseconds timeout) {
  ioc.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= 0s || ioc.run_one_for(left) == 0) {
      if (done()) break;
      close();
      ioc.restart();
      ioc.run_for(1s);
      throw timed_out("timed out");
    }
  }
}

}  // namespace

template <class Start>
beast::error_code ws_client::run(Start start, std::chrono::milliseconds timeout) {
  std::optional<beast::error_code> result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  wait_for(
      ioc_, [&] { return result.has_value(); }, [&] { beast::get_lowest_layer(ws_).close(); }, timeout);
  return *result;
}

ws_client::ws_client(unsigned short port, std::string origin, std::string target, std::string source,
                     std::map<std::string, std::string> headers)
    : ws_(ioc_) {
  if (!source.empty()) {
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    socket.bind({net::ip::make_address(source), 0});
  }
  auto ec = run([&](auto h) { beast::get_lowest_layer(ws_).async_connect(local(port), h); }, 5s);
  if (ec) throw std::runtime_error("connect: " + ec.message());
  if (!origin.empty()) headers["Origin"] = origin;
  if (!headers.empty())
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (const auto& [k, v] : headers) req.set(k, v);
    }));
  websocket::response_type res;
  ec = run([&](auto h) { ws_.async_handshake(res, "127.0.0.1", target, h); }, 5s);
  if (ec == websocket::error::upgrade_declined) throw refused(res.result_int(), res.body());
  if (ec) throw std::runtime_error("handshake: " + ec.message());
}

ws_client::~ws_client() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void ws_client::send(std::string_view text) {
  ws_.text(true);
  auto ec = run([&](auto h) { ws_.async_write(net::buffer(text.data(), text.size()), h); }, 5s);
  if (ec) throw std::runtime_error("write: " + ec.message());
}

void ws_client::send_part(std::string_view text, bool fin) {
  ws_.text(true);
  auto ec = run([&](auto h) { ws_.async_write_some(fin, net::buffer(text.data(), text.size()), h); }, 5s);
  if (ec) throw std::runtime_error("write: " + ec.message());
}

void ws_client::send_binary(std::string_view bytes) {
  ws_.binary(true);
  auto ec = run([&](auto h) { ws_.async_write(net::buffer(bytes.data(), bytes.size()), h); }, 5s);
  ws_.text(true);
  if (ec) throw std::runtime_error("write: " + ec.message());
}

std::optional<beast::error_code> ws_client::await_read(std::chrono::milliseconds timeout) {
  if (!reading_) {
    buffer_.clear();
    read_result_.reset();
    reading_ = true;
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) { read_result_ = ec; });
  }
  ioc_.restart();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!read_result_) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= 0s) return std::nullopt;
    ioc_.run_one_for(left);
  }
  reading_ = false;
  return read_result_;
}

nlohmann::json ws_client::read(std::chrono::milliseconds timeout) {
  const auto ec = await_read(timeout);
  if (!ec) throw timed_out("no message in time");
  if (*ec) throw std::runtime_error("read: " + ec->message());
  return nlohmann::json::parse(beast::buffers_to_string(buffer_.data()));
}

nlohmann::json ws_client::ask(std::string_view text, std::optional<std::string> id) {
  nlohmann::json m{{"type", "ask"}, {"text", text}};
  if (id) m["id"] = *id;
  send(m.dump());
  return read();
}

int ws_client::read_until_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const auto ec = await_read(std::max(left, 0ms));
    if (!ec) throw timed_out("the connection stayed open");
    if (*ec) return ws_.reason().code;
  }
}

void ws_client::close() {
  run([&](auto h) { ws_.async_close(websocket::close_code::normal, h); }, 5s);
}

http_reply http_request(unsigned short port, http::verb method, std::string target, std::string body,
                        std::map<std::string, std::string> headers) {
  return http_request_from({}, port, method, std::move(target), std::move(body), std::move(headers));
}

constexpr auto http_response_wait = 60s;

http_reply http_request_from(const std::string& source, unsigned short port, http::verb method, std::string target,
                             std::string body, std::map<std::string, std::string> headers) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  // Generous: a publish (two indexes built, every question set previewed) under ASan on a busy
  // two-core machine takes seconds; a server that never answers still fails the test.
  stream.expires_after(http_response_wait);
  if (!source.empty()) {
    stream.socket().open(tcp::v4());
    stream.socket().bind({net::ip::make_address(source), 0});
  }
  stream.connect(local(port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = std::move(body);
  if (method == http::verb::post || !req.body().empty()) req.prepare_payload();
  http::write(stream.socket(), req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  parser.skip(method == http::verb::head);
  // A blocking read with a deadline: run the async read on our own io_context.
  std::optional<beast::error_code> result;
  http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) { result = ec; });
  ioc.run_for(http_response_wait);
  if (!result) throw timed_out("no HTTP response");
  if (*result) throw std::runtime_error("HTTP read: " + result->message());
  http_reply out;
  const auto& res = parser.get();
  out.status = res.result_int();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = res.body();
  return out;
}

std::string raw_exchange(unsigned short port, std::string_view bytes, std::chrono::milliseconds timeout) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  stream.connect(local(port));
  net::write(stream.socket(), net::buffer(bytes.data(), bytes.size()));
  std::string received;
  std::array<char, 4096> chunk{};
  bool done = false;
  std::function<void()> read_more = [&] {
    stream.async_read_some(net::buffer(chunk), [&](beast::error_code ec, std::size_t n) {
      received.append(chunk.data(), n);
      if (ec) {
        done = true;
        return;
      }
      read_more();
    });
  };
  read_more();
  ioc.run_for(timeout + 1s);
  if (!done) throw timed_out("the server kept the connection open");
  return received;
}

bool cites(const nlohmann::json& answer, std::string_view text) {
  if (!answer.contains("citations")) return false;
  for (const auto& c : answer["citations"])
    if (c["quote"].get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

}  // namespace cited::test
