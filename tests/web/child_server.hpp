#pragma once
// `cited serve` as a child process, for the tests that need the program itself: killed with
// SIGKILL, sent SIGHUP, its memory measured, its file size limited.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace cited::test {

// Starts `cited args...` (the program the build made) with stdout to out_fd (or /dev/null) and
// stderr to err_file.
pid_t spawn(const std::vector<std::string>& args, int out_fd, const std::filesystem::path& err_file);
// waitpid's status.
int wait_for_exit(pid_t pid);
// `cited index`, as an operator builds the index.
void index_corpus(const std::filesystem::path& db, const std::filesystem::path& err_file);

// `cited serve` on a port of the system's choosing, found in the line it prints when ready; its
// access log is dir/access.log, its stderr dir/serve.err. The rate limits are off (the tests
// stream as fast as the server takes it); extra arguments come last and win.
class served_process {
 public:
  served_process(const std::filesystem::path& db, const std::filesystem::path& feedback, const std::filesystem::path& dir,
                 const std::vector<std::string>& extra = {});
  ~served_process();
  served_process(const served_process&) = delete;
  served_process& operator=(const served_process&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGKILL: no handler runs, nothing is flushed. Returns the signal the process died of.
  int kill_9();
  // Sends sig; the process goes on (or not) by itself.
  void signal(int sig) const;
  // True while the process has not exited; when it has, status receives waitpid's.
  bool running(int* status = nullptr);
  // The server's resident memory, in KiB (VmRSS).
  long rss_kib() const;

 private:
  unsigned short read_port();

  pid_t pid_ = -1;
  int stdout_ = -1;
  unsigned short port_ = 0;
};

}  // namespace cited::test
