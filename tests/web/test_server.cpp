#include "test_server.hpp"

#include <unistd.h>

#include <atomic>

#include "corpus_loader.hpp"
#include "index_builder.hpp"

namespace cited::test {

namespace fs = std::filesystem;

const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("cited-web-test-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    std::atexit([] { std::error_code ec; fs::remove_all(scratch_dir(), ec); });
    return d;
  }();
  return dir;
}

const fs::path& test_index() {
  static const fs::path db = [] {
    fs::path p = scratch_dir() / "cited.db";
    knowledge_base kb = load_corpus(CITED_SOURCE_DIR "/corpus");
    build_index(kb, p);
    return p;
  }();
  return db;
}

const app::engine_factory& test_engines() {
  static const app::engine_factory factory(test_index());
  return factory;
}

web::server_options test_server::quiet_options() {
  web::server_options o;
  o.port = 0;
  o.threads = 2;
  static std::atomic<int> n{0};
  o.log_file = scratch_dir() / ("access-" + std::to_string(n++) + ".log");
  o.limits.shutdown_timeout = std::chrono::seconds(5);
  // Every test client is on 127.0.0.1, asking in bursts no person types at: like the load and
  // soak tools, the tests turn the per-address rate off, except those that test it.
  o.limits.rate_limit_per_ip = 0;
  return o;
}

test_server::test_server(web::server_options options, std::shared_ptr<feedback_sink> feedback,
                         std::function<nlohmann::json(std::string_view, answer_engine&)> reply,
                         records::writer_settings record_settings) {
  web::server_services services;
  services.load_index = [](std::size_t engines) {
    web::index_load out;
    out.knowledge = test_engines().shared_knowledge();
    for (std::size_t i = 0; i < engines; ++i) out.engines.push_back(test_engines().make());
    return out;
  };
  services.reply = std::move(reply);
  start(std::move(options), std::move(services), std::move(feedback), record_settings);
}

test_server::test_server(web::server_options options, web::server_services services) {
  start(std::move(options), std::move(services), nullptr, {});
}

void test_server::start(web::server_options options, web::server_services services, std::shared_ptr<feedback_sink> feedback,
                        records::writer_settings record_settings) {
  static std::atomic<int> n{0};
  records_file = scratch_dir() / ("records-" + std::to_string(n++) + ".db");
  records = std::make_shared<records::writer>(records_file, record_settings);
  services.records = records;
  if (!feedback) {
    feedback_file = records_file;
    feedback = records->feedback();
  }
  services.feedback = std::move(feedback);
  server = std::make_unique<web::server>(std::move(options), std::move(services));
  server->start();
}

test_server::~test_server() { server->stop(); }

}  // namespace cited::test
