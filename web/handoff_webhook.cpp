#include "handoff_webhook.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <stdexcept>

namespace cited::web {

namespace beast = boost::beast;
namespace net = boost::asio;

namespace {

constexpr auto request_timeout = std::chrono::seconds(10);
constexpr auto first_pause = std::chrono::seconds(1);
constexpr std::size_t max_queued = 1000;

}  // namespace

webhook_url parse_webhook_url(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0)
    throw std::invalid_argument("the hand-off webhook must be an http:// URL, not '" + url + "'");
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  webhook_url out;
  out.target = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    out.host = authority.substr(0, colon);
    out.port = authority.substr(colon + 1);
  } else {
    out.host = authority;
    out.port = "80";
  }
  if (out.host.empty() || out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("the hand-off webhook URL '" + url + "' has no usable host and port");
  return out;
}

handoff_webhook::handoff_webhook(const std::string& url, unsigned attempts) : attempts_(std::max(1u, attempts)) {
  if (url.empty()) return;
  auto parsed = parse_webhook_url(url);
  host_ = std::move(parsed.host);
  port_ = std::move(parsed.port);
  target_ = std::move(parsed.target);
  thread_ = std::thread([this] { run(); });
}

handoff_webhook::~handoff_webhook() { stop(); }

void handoff_webhook::set_report(report r) {
  std::lock_guard lock(mutex_);
  report_ = std::move(r);
}

void handoff_webhook::notify(std::string handoff_id, long long created_at_ms) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() >= max_queued) return;
  queue_.push_back({std::move(handoff_id), created_at_ms});
  wake_.notify_one();
}

void handoff_webhook::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void handoff_webhook::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    pending next = queue_.front();
    queue_.pop_front();
    const std::string body = nlohmann::json{{"event", "handoff"}, {"handoff_id", next.handoff_id}, {"created_at", next.created_at}}.dump();
    std::optional<std::string> failure;
    unsigned tried = 0;
    auto pause = std::chrono::duration_cast<std::chrono::milliseconds>(first_pause);
    while (tried < attempts_) {
      lock.unlock();
      failure = post(body);
      lock.lock();
      ++tried;
      if (!failure || stopping_) break;
      // Wait before the next try, but wake at once for a stop.
      if (tried < attempts_ && wake_.wait_for(lock, pause, [this] { return stopping_; })) break;
      pause *= 2;
    }
    if (report_) {
      auto r = report_;
      lock.unlock();
      r(next.handoff_id, static_cast<int>(tried), failure);
      lock.lock();
    }
  }
}

std::optional<std::string> handoff_webhook::post(const std::string& body) {
  try {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    net::ip::tcp::resolver resolver(ioc);
    // Each step asynchronous, so that the stream's deadline bounds it; run to completion here.
    beast::error_code ec;
    auto step = [&](auto start) {
      start();
      ioc.run();
      ioc.restart();
      if (ec) throw beast::system_error(ec);
    };
    const auto endpoints = resolver.resolve(host_, port_);
    stream.expires_after(request_timeout);
    step([&] { stream.async_connect(endpoints, [&](beast::error_code e, const auto&) { ec = e; }); });
    beast::http::request<beast::http::string_body> req{beast::http::verb::post, target_, 11};
    req.set(beast::http::field::host, host_);
    req.set(beast::http::field::user_agent, "cited");
    req.set(beast::http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    step([&] { beast::http::async_write(stream, req, [&](beast::error_code e, std::size_t) { ec = e; }); });
    beast::flat_buffer buffer;
    beast::http::response<beast::http::string_body> res;
    step([&] { beast::http::async_read(stream, buffer, res, [&](beast::error_code e, std::size_t) { ec = e; }); });
    beast::error_code ignored;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    if (res.result_int() >= 300) return "the hook answered " + std::to_string(res.result_int());
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string(e.what());
  }
}

}  // namespace cited::web
