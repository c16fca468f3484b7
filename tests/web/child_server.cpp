#include "child_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <stdexcept>

extern char** environ;

namespace cited::test {

namespace fs = std::filesystem;
using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

pid_t spawn(const std::vector<std::string>& args, int out_fd, const fs::path& err_file) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(CITED_PROGRAM));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out_fd >= 0) posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  else posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, CITED_PROGRAM, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error) throw std::runtime_error("cannot start " CITED_PROGRAM ": " + std::string(std::strerror(error)));
  return pid;
}

int wait_for_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

void index_corpus(const fs::path& db, const fs::path& err_file) {
  const int status = wait_for_exit(spawn({"index", "--corpus", CITED_SOURCE_DIR "/corpus", "--db", db.string()}, -1, err_file));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("cited index failed; see " + err_file.string());
}

served_process::served_process(const fs::path& db, const fs::path& feedback, const fs::path& dir,
                               const std::vector<std::string>& extra) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  stdout_ = out[0];
  std::vector<std::string> args{"serve", "--db", db.string(), "--corpus", CITED_SOURCE_DIR "/corpus", "--host", "127.0.0.1",
                                "--port", "0", "--threads", "2", "--rate-limit", "0", "--rate-limit-per-ip", "0",
                                "--feedback", feedback.string(), "--log", (dir / "access.log").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn(args, out[1], dir / "serve.err");
  ::close(out[1]);
  port_ = read_port();
}

served_process::~served_process() {
  if (pid_ > 0) kill_9();
  ::close(stdout_);
}

int served_process::kill_9() {
  ::kill(pid_, SIGKILL);
  const int status = wait_for_exit(pid_);
  pid_ = -1;
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

void served_process::signal(int sig) const { ::kill(pid_, sig); }

bool served_process::running(int* status) {
  if (pid_ <= 0) return false;
  int s = 0;
  if (::waitpid(pid_, &s, WNOHANG) == 0) return true;
  if (status) *status = s;
  pid_ = -1;
  return false;
}

long served_process::rss_kib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return -1;
}

unsigned short served_process::read_port() {
  const std::string marker = "serving on http://127.0.0.1:";
  std::string seen;
  const auto deadline = steady::now() + 30s;
  while (steady::now() < deadline) {
    pollfd p{stdout_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    std::array<char, 256> chunk{};
    const ssize_t n = ::read(stdout_, chunk.data(), chunk.size());
    if (n <= 0) break;  // the server exited before it was ready
    seen.append(chunk.data(), static_cast<std::size_t>(n));
    const auto at = seen.find(marker);
    if (at != std::string::npos && seen.find('\n', at) != std::string::npos)
      return static_cast<unsigned short>(std::stoi(seen.substr(at + marker.size())));
  }
  throw std::runtime_error("cited serve did not report its port; it printed: " + seen);
}

}  // namespace cited::test
