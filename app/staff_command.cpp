// `cited staff add|list|remove|password`: the clinic's staff accounts, in the same records
// store `cited serve` uses (same flag, same default), so an account added while the server
// runs can sign in at once, and one removed is signed out at once.
#include <termios.h>
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "staff_accounts.hpp"
#include "store.hpp"

namespace cited::app {
namespace {

constexpr const char* staff_help =
    "cited staff add EMAIL [--records FILE]        make an account; asks for its password\n"
    "cited staff list [--records FILE]             list the accounts\n"
    "cited staff remove EMAIL [--records FILE]     remove an account and end its sessions at once\n"
    "cited staff password EMAIL [--records FILE]   set a new password and end its sessions\n"
    "\n"
    "  --records FILE   the records store, as `cited serve --records` (default records.db)\n"
    "  A password is read from the terminal (twice, not shown), or as one line from standard input\n"
    "  when that is not a terminal; never from an argument, where other users could read it. It needs\n"
    "  at least 10 characters. Passwords are stored as Argon2id hashes (libsodium).\n";

// Turns the terminal's echo off for as long as it lives.
class hidden_input {
 public:
  hidden_input() {
    if (tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~hidden_input() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  hidden_input(const hidden_input&) = delete;
  hidden_input& operator=(const hidden_input&) = delete;

 private:
  termios saved_{};
  bool active_ = false;
};

std::string read_line(const char* prompt, bool terminal) {
  if (terminal) std::cerr << prompt << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) throw std::runtime_error("no password given on standard input");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (terminal) std::cerr << "\n";
  return line;
}

std::string read_new_password() {
  const bool terminal = isatty(STDIN_FILENO) != 0;
  std::string password, again;
  {
    hidden_input quiet;
    password = read_line("Password: ", terminal);
    if (auto problem = records::password_problem(password)) throw std::runtime_error(*problem);
    if (terminal) again = read_line("Again: ", terminal);
  }
  if (terminal && again != password) throw std::runtime_error("the two passwords differ; nothing was changed");
  return password;
}

std::string email_argument(const arguments& args) {
  if (args.positional().size() != 2) throw usage_error("give one EMAIL after the subcommand");
  const auto email = records::normalise_staff_email(args.positional()[1]);
  if (!email) throw usage_error("'" + args.positional()[1] + "' is not an email address");
  return *email;
}

std::string day_of(long long ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace

int run_staff(const std::vector<std::string>& raw) {
  arguments args(raw, {"--records"}, {"--help"});
  if (args.has("--help")) {
    std::cout << staff_help;
    return 0;
  }
  if (args.positional().empty()) throw usage_error("say what to do: add, list, remove or password");
  const std::string what = args.positional().front();
  const std::filesystem::path path = args.value("--records", "records.db");

  if (what == "list") {
    if (args.positional().size() != 1) throw usage_error("list takes no EMAIL");
    auto db = records::open_for_writing(path);
    const auto staff = records::list_staff(db);
    if (staff.empty()) std::cout << "no accounts yet: make one with cited staff add EMAIL --records " << path.string() << "\n";
    for (const auto& s : staff)
      std::cout << s.email << "\tsince " << day_of(s.created_at) << "\t" << s.sessions << " open session"
                << (s.sessions == 1 ? "" : "s") << "\n";
    return 0;
  }
  if (what == "add") {
    const std::string email = email_argument(args);
    auto db = records::open_for_writing(path);
    if (records::find_staff(db, email)) throw std::runtime_error("there is already an account for " + email);
    const std::string hash = records::hash_password(read_new_password());
    records::add_staff(db, email, hash, records::now_ms());
    std::cout << "added " << email << "\n";
    return 0;
  }
  if (what == "remove") {
    const std::string email = email_argument(args);
    auto db = records::open_for_writing(path);
    if (!records::remove_staff(db, email)) throw std::runtime_error("there is no account for " + email);
    std::cout << "removed " << email << " and ended their sessions\n";
    return 0;
  }
  if (what == "password") {
    const std::string email = email_argument(args);
    auto db = records::open_for_writing(path);
    if (!records::find_staff(db, email)) throw std::runtime_error("there is no account for " + email);
    const std::string hash = records::hash_password(read_new_password());
    records::set_staff_password(db, email, hash, records::now_ms());
    std::cout << "changed the password of " << email << " and ended their sessions\n";
    return 0;
  }
  throw usage_error("unknown subcommand '" + what + "': add, list, remove or password");
}

}  // namespace cited::app
