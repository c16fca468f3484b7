// cited: the one place that knows every module. It reads the command line and wires
// corpus -> index -> engine (-> web server).
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const std::string command = args.empty() ? "" : args.front();
  if (!args.empty()) args.erase(args.begin());
  try {
    if (command == "index") return cited::app::run_index(args);
    if (command == "ask") return cited::app::run_ask(args);
    if (command == "eval") return cited::app::run_eval(args);
    if (command == "serve") return cited::app::run_serve(args);
    if (command == "reply") return cited::app::run_reply(args);
    if (command == "staff") return cited::app::run_staff(args);
    if (command == "--help" || command == "-h" || command == "help") {
      std::cout << cited::app::usage;
      return 0;
    }
    std::cerr << "cited: " << (command.empty() ? "no command given" : "unknown command '" + command + "'")
              << " (try cited --help)\n";
    return 2;
  } catch (const cited::app::usage_error& e) {
    std::cerr << "cited " << command << ": " << e.what() << " (try cited " << command << " --help)\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cited " << command << ": " << e.what() << "\n";
    return 1;
  }
}
