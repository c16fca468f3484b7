// cited reply: drafts the clinic's reply to a patient's email (a file or stdin).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "commands.hpp"
#include "reply_drafter.hpp"

namespace cited::app {
namespace {

// The whole input, read as bytes: the drafter itself refuses what is not text.
std::string read_all(std::istream& in) {
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return std::move(buffer).str();
}

}  // namespace

int run_reply(const std::vector<std::string>& raw) {
  arguments args(raw, {"--db"}, {"--help", "--text"});
  if (args.has("--help")) {
    std::cout << "cited reply [--db FILE] [--text] [FILE]\n"
                 "  Reads a patient's email from FILE (or stdin) and prints the suggested reply as one line of\n"
                 "  JSON: {\"type\":\"reply\",\"draft\",\"questions\":[{\"question\",\"answer\"}],\"unanswered\"}.\n"
                 "  --text: print just the draft, ready to edit and send.\n"
                 "  --db FILE: the index (default cited.db).\n"
                 "  An empty, binary or non-UTF-8 email, or one of 1 MB or more, is refused with exit code 1.\n";
    return 0;
  }
  if (args.positional().size() > 1) throw usage_error("unexpected argument " + args.positional()[1]);

  std::string email;
  if (args.positional().empty() || args.positional().front() == "-") {
    std::ios::sync_with_stdio(false);
    email = read_all(std::cin);
  } else {
    const std::string& path = args.positional().front();
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    email = read_all(in);
    if (in.bad()) throw std::runtime_error("cannot read " + path);
  }

  engine_factory factory(args.value("--db", "cited.db"));
  auto engine = factory.make();
  reply_drafter drafter(*engine);
  const suggested_reply reply = drafter.draft(email);  // email_error: main prints its one line
  if (args.has("--text")) std::cout << reply.draft;
  else std::cout << to_json_line(reply) << "\n";
  return 0;
}

}  // namespace cited::app
