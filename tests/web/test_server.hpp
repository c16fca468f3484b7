#pragma once
// A real server for the tests: the real corpus indexed into a temporary folder, the real
// engine, port 0, and a records store in the same folder (feedback goes there too unless the
// test brings its own sink).
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "server.hpp"
#include "writer.hpp"

namespace cited::test {

// A folder of its own for this test process, removed at exit.
const std::filesystem::path& scratch_dir();
// The index built from the real corpus, once per process.
const std::filesystem::path& test_index();
const app::engine_factory& test_engines();

struct test_server {
  explicit test_server(web::server_options options = quiet_options(),
                       std::shared_ptr<feedback_sink> feedback = nullptr,
                       std::function<nlohmann::json(std::string_view, answer_engine&)> reply = nullptr,
                       records::writer_settings records = {});
  // A server with these services (its index loader, the knowledge backend, …); the records
  // store is made here.
  test_server(web::server_options options, web::server_services services);
  ~test_server();

  // Options for tests: port 0, two threads, the access log in the scratch folder, no
  // per-address rate (every test client is on 127.0.0.1).
  static web::server_options quiet_options();

  unsigned short port() const { return server->port(); }
  std::filesystem::path feedback_file;  // the records store, unless the test brought a sink
  std::filesystem::path records_file;
  std::shared_ptr<records::writer> records;
  std::unique_ptr<web::server> server;

 private:
  void start(web::server_options options, web::server_services services, std::shared_ptr<feedback_sink> feedback,
             records::writer_settings records);
};

}  // namespace cited::test
