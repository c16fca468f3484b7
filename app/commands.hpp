#pragma once
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "answer_engine.hpp"
#include "index_reader.hpp"
#include "live_index.hpp"

namespace cited::app {

class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* usage =
    "cited: a cited FAQ assistant for a scalp micropigmentation clinic\n"
    "\n"
    "  cited index [--corpus DIR] [--db FILE]   validate the corpus and build the index\n"
    "  cited ask [--db FILE] [TEXT]             answer TEXT, or each line of stdin (JSON Lines out)\n"
    "  cited eval FILE... [--db FILE] [--baseline FILE] [--failures] [--json]\n"
    "                                           score question sets (tests/eval/FORMAT.md)\n"
    "  cited reply [--db FILE] [--text] [FILE]  draft a reply to a patient's email (FILE or stdin)\n"
    "  cited serve [--db FILE] [--host H] [--port P] [--threads N] [--rate-limit N] [--max-connections N]\n"
    "              [--allow-origin O]... [--feedback FILE] [--web-root DIR] ...\n"
    "                                           serve HTTP and WebSocket (cited serve --help for all options)\n"
    "  cited staff add|list|remove|password [EMAIL] [--records FILE]\n"
    "                                           the clinic's staff accounts (cited staff --help)\n"
    ;

// Reads "--name value" pairs and flags; what is left are positional arguments.
class arguments {
 public:
  arguments(std::vector<std::string> args, const std::vector<std::string>& with_value, const std::vector<std::string>& flags);
  bool has(const std::string& flag) const;
  std::string value(const std::string& name, const std::string& fallback) const;
  std::vector<std::string> values(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::pair<std::string, std::string>> named_;
  std::vector<std::string> flags_;
  std::vector<std::string> positional_;
};

// The engine over an index file: the knowledge base is read once and shared by every engine
// made from it; each engine has its own connection, so make one per thread.
class engine_factory {
 public:
  explicit engine_factory(std::filesystem::path db, const engine_tuning& tuning = {});
  std::unique_ptr<answer_engine> make() const;
  const knowledge_base& knowledge() const { return *index_.knowledge; }
  std::shared_ptr<const knowledge_base> shared_knowledge() const { return index_.knowledge; }

 private:
  std::filesystem::path db_;
  loaded_index index_;
  engine_tuning tuning_;
};

// The index at db as the server loads it (web/live_index.hpp): `engines` engines over one and
// the same version of the file. Its identity is taken before and after; a file replaced
// meanwhile is loaded again, so that no engine searches a file other than the one its
// knowledge came from.
web::index_load load_for_serving(const std::filesystem::path& db, std::size_t engines, const engine_tuning& tuning = {});

// engine_tuning with each "--tune name=value" applied; throws usage_error on unknown names.
engine_tuning tuning_from(const arguments& args);

int run_index(const std::vector<std::string>& raw);
int run_ask(const std::vector<std::string>& raw);
int run_eval(const std::vector<std::string>& raw);
// `cited serve` (app/serve_command.cpp).
int run_serve(const std::vector<std::string>& raw);
int run_reply(const std::vector<std::string>& raw);
// `cited staff` (app/staff_command.cpp).
int run_staff(const std::vector<std::string>& raw);

// Builds the index from corpus when it is missing, from an older schema, or older than the
// corpus. Returns true when it built. An index that only needs rebuilding, where it cannot be
// written (a read-only folder), is kept with a warning on stderr.
bool ensure_index(const std::filesystem::path& corpus, const std::filesystem::path& db);

}  // namespace cited::app
