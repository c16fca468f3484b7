#include "commands.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "answer_json.hpp"
#include "corpus_loader.hpp"
#include "evaluation.hpp"
#include "index_builder.hpp"
#include "reply_drafter.hpp"

namespace cited::app {
namespace fs = std::filesystem;

arguments::arguments(std::vector<std::string> args, const std::vector<std::string>& with_value,
                     const std::vector<std::string>& flags) {
  auto listed = [](const std::vector<std::string>& list, const std::string& a) {
    return std::find(list.begin(), list.end(), a) != list.end();
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      positional_.insert(positional_.end(), args.begin() + static_cast<std::ptrdiff_t>(i + 1), args.end());
      break;
    }
    if (listed(with_value, a)) {
      if (i + 1 >= args.size()) throw usage_error(a + " needs a value");
      named_.emplace_back(a, args[++i]);
    } else if (listed(flags, a)) {
      flags_.push_back(a);
    } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
      throw usage_error("unknown option " + a);
    } else {
      positional_.push_back(a);
    }
  }
}

bool arguments::has(const std::string& flag) const { return std::find(flags_.begin(), flags_.end(), flag) != flags_.end(); }

std::string arguments::value(const std::string& name, const std::string& fallback) const {
  // The last value given wins.
  const auto it = std::find_if(named_.rbegin(), named_.rend(), [&](const auto& pair) { return pair.first == name; });
  return it == named_.rend() ? fallback : it->second;
}

std::vector<std::string> arguments::values(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : named_)
    if (n == name) out.push_back(v);
  return out;
}

engine_factory::engine_factory(fs::path db, const engine_tuning& tuning)
    : db_(std::move(db)), index_(load_index(db_)), tuning_(tuning) {}

std::unique_ptr<answer_engine> engine_factory::make() const {
  return std::make_unique<answer_engine>(index_.knowledge, index_.words, open_retriever(db_), tuning_);
}

web::index_load load_for_serving(const fs::path& db, std::size_t engines, const engine_tuning& tuning) {
  constexpr int attempts = 5;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    const std::string before = web::file_identity(db);
    engine_factory factory(db, tuning);
    web::index_load out;
    out.identity = before;
    for (std::size_t i = 0; i < engines; ++i) out.engines.push_back(factory.make());
    out.knowledge = factory.shared_knowledge();
    if (!before.empty() && web::file_identity(db) == before) return out;
  }
  throw index_error(db.string() + " kept changing while it was being loaded");
}

engine_tuning tuning_from(const arguments& args) {
  engine_tuning t;
  for (const auto& setting : args.values("--tune")) {
    const auto eq = setting.find('=');
    if (eq == std::string::npos) throw usage_error("--tune takes name=value");
    const std::string name = setting.substr(0, eq);
    double value = 0;
    try {
      value = std::stod(setting.substr(eq + 1));
    } catch (const std::exception&) {
      throw usage_error("--tune " + name + " needs a number");
    }
    if (name == "min_coverage") t.min_coverage = value;
    else if (name == "phrased_min_coverage") t.phrased_min_coverage = value;
    else if (name == "phrased_min_phrasing") t.phrased_min_phrasing = value;
    else if (name == "unknown_weight") t.unknown_weight = value;
    else if (name == "context_bonus") t.context_bonus = value;
    else if (name == "intent_weight") t.intent_weight = value;
    else if (name == "focus_gate") t.focus_gate = value;
    else if (name == "subject_weight") t.subject_weight = value;
    else if (name == "common_weight") t.common_weight = value;
    else if (name == "unknown_common_weight") t.unknown_common_weight = value;
    else if (name == "known_weight_cap") t.known_weight_cap = value;
    else if (name == "conflict_margin") t.conflict_margin = value;
    else if (name == "further_unknown_share") t.further_unknown_share = value;
    else if (name == "quote_only_credit") t.quote_only_credit = value;
    else if (name == "relevance_bonus") t.relevance_bonus = value;
    else if (name == "phrasing_bonus") t.phrasing_bonus = value;
    else if (name == "candidates" && value >= 1) t.candidates = static_cast<std::size_t>(value);
    else if (name == "second_fact_share") t.second_fact_share = value;
    else if (name == "clinic_margin") t.clinic_margin = value;
    else if (name == "tie_min_coverage") t.tie_min_coverage = value;
    else if (name == "tie_margin") t.tie_margin = value;
    else throw usage_error("--tune: unknown setting " + name);
  }
  return t;
}

namespace {

knowledge_base load_valid_corpus(const fs::path& corpus) {
  knowledge_base kb = load_corpus(corpus);
  if (auto problems = validate(kb); !problems.empty()) throw corpus_error(problems);
  return kb;
}

fs::file_time_type newest_in(const fs::path& dir) {
  // Not file_time_type{}: that is the file clock's epoch, which libstdc++ puts in the year 2174,
  // so every index looked older than it.
  fs::file_time_type newest = fs::file_time_type::min();
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) newest = std::max(newest, e.last_write_time());
  return newest;
}

}  // namespace

bool ensure_index(const fs::path& corpus, const fs::path& db) {
  bool stale = !fs::exists(db);
  bool usable = false;
  if (!stale) {
    try {
      read_index_info(db);
      usable = true;
      stale = fs::is_directory(corpus) && newest_in(corpus) > fs::last_write_time(db);
    } catch (const index_error& e) {
      std::cerr << "cited: " << e.what() << "; rebuilding it\n";
      stale = true;
    }
  }
  if (!stale) return false;
  knowledge_base kb = load_valid_corpus(corpus);
  try {
    build_index(kb, db);
  } catch (const std::exception& e) {
    // A read-only folder (a deployment that ships the index) must not stop a server that has
    // a good index to serve; it says what it serves.
    if (!usable) throw;
    std::cerr << "cited: the corpus is newer than the index " << db.string() << ", but it cannot be rebuilt (" << e.what()
              << "); serving the index as it is\n";
    return false;
  }
  return true;
}

int run_index(const std::vector<std::string>& raw) {
  arguments args(raw, {"--corpus", "--db"}, {"--help"});
  if (args.has("--help")) {
    std::cout << "cited index [--corpus DIR] [--db FILE]\n"
                 "  Validates the corpus (default corpus/) and builds the index (default cited.db).\n"
                 "  Refuses, naming every bad fact and field, when a rule of corpus/SCHEMA.md is broken: a quote\n"
                 "  not verbatim in its source or not whole sentences, an [n] without its citation or a citation\n"
                 "  never referred to, a number no quote states, ids repeated, a source missing, and so on.\n"
                 "  Advice (a fact with fewer than 8 ways of asking for it) is printed as a note.\n";
    return 0;
  }
  if (!args.positional().empty()) throw usage_error("unexpected argument " + args.positional().front());
  const fs::path corpus = args.value("--corpus", "corpus"), db = args.value("--db", "cited.db");
  knowledge_base kb = load_corpus(corpus);
  const auto problems = check_knowledge(kb);
  if (any_required(problems)) {
    const auto refusing = std::count_if(problems.begin(), problems.end(), [](const auto& p) { return p.severity == check_severity::required; });
    std::cerr << "cited index: the corpus has " << refusing << " problem(s); nothing was built:\n";
    for (const auto& p : problems)
      if (p.severity == check_severity::required) std::cerr << "  " << describe(p) << "\n";
  }
  for (const auto& p : problems)
    if (p.severity == check_severity::advice) std::cerr << "cited index: note: " << describe(p) << "\n";
  if (any_required(problems)) return 1;
  build_index(kb, db);
  std::cout << "indexed " << kb.facts.size() << " facts from " << kb.sources.size() << " sources into " << db.string() << "\n";
  return 0;
}

int run_ask(const std::vector<std::string>& raw) {
  arguments args(raw, {"--db", "--tune"}, {"--help", "--explain"});
  if (args.has("--help")) {
    std::cout << "cited ask [--db FILE] [--explain] [--tune name=value]... [TEXT]\n"
                 "  Prints the answer object for TEXT as one line of JSON. With no TEXT, reads one question\n"
                 "  per line from stdin (plain text, or a JSON object with \"text\" and optional \"id\") and\n"
                 "  prints one answer per line, in order.\n"
                 "  --explain: how TEXT was read and which facts came close (for tuning the lexicon).\n"
                 "  --tune name=value: override a calibrated setting (min_coverage, unknown_weight, ...).\n";
    return 0;
  }
  engine_factory factory(args.value("--db", "cited.db"), tuning_from(args));
  auto engine = factory.make();
  if (!args.positional().empty()) {
    std::string text;
    for (const auto& p : args.positional()) text += (text.empty() ? "" : " ") + p;
    if (args.has("--explain")) std::cout << engine->explain(text).dump() << "\n";
    std::cout << to_json_line(engine->ask(text)) << "\n";
    return 0;
  }
  std::ios::sync_with_stdio(false);
  for (std::string line; std::getline(std::cin, line);) {
    std::string text = line;
    std::optional<std::string> id;
    if (!line.empty() && line.front() == '{') {
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.contains("text") && j["text"].is_string()) {
        text = j["text"].get<std::string>();
        if (j.contains("id") && j["id"].is_string()) id = j["id"].get<std::string>();
      }
    }
    answer a = engine->ask(text);
    a.id = id;
    std::cout << to_json_line(a) << '\n';
  }
  std::cout.flush();
  return 0;
}

namespace {

void print_report(const std::string& name, const eval_report& r, bool failures) {
  auto line = [](const char* label, const tally& t) {
    if (t.total == 0) return;
    std::cout << "  " << std::left << std::setw(30) << label << std::right << std::setw(4) << t.right << "/" << std::setw(4)
              << std::left << t.total << std::right << std::fixed << std::setprecision(1) << std::setw(7) << 100.0 * t.share()
              << "%\n";
  };
  std::cout << name << "\n";
  line("top-1 accuracy (answerable)", r.answerable);
  line("abstention (unanswerable)", r.abstention);
  line("urgent (red flags)", r.urgent);
  line("small talk", r.small_talk);
  line("disagreements shown", r.conflicts);
  line("overall correct", r.overall);
  line("citations verbatim", r.citations);
  line("answers with sourced numbers", r.numbers);
  line("calm (red-flag look-alikes)", r.calm);
  line("email questions answered", r.email_answered);
  line("email questions listed for staff", r.email_listed);
  line("email answers on the point", r.email_on_point);
  if (failures)
    for (const auto& f : r.failures) std::cout << "    MISS " << f.question << "\n      want " << f.expected << "\n      got  " << f.got << "\n";
}

nlohmann::json report_json(const eval_report& r) {
  auto t = [](const tally& x) { return nlohmann::json{{"right", x.right}, {"total", x.total}, {"share", x.share()}}; };
  return {{"answerable", t(r.answerable)}, {"abstention", t(r.abstention)}, {"urgent", t(r.urgent)},
          {"small_talk", t(r.small_talk)},  {"conflicts", t(r.conflicts)},   {"overall", t(r.overall)},
          {"citations", t(r.citations)},    {"numbers", t(r.numbers)},     {"calm", t(r.calm)},
          {"email_answered", t(r.email_answered)}, {"email_listed", t(r.email_listed)}, {"email_on_point", t(r.email_on_point)}};
}

}  // namespace

int run_eval(const std::vector<std::string>& raw) {
  arguments args(raw, {"--db", "--baseline", "--tune"}, {"--help", "--failures", "--json"});
  if (args.has("--help") || args.positional().empty()) {
    std::cout << "cited eval FILE... [--db FILE] [--baseline FILE] [--failures] [--json] [--tune name=value]...\n"
                 "  Scores question sets: top-1 accuracy on answerable questions, abstention on\n"
                 "  unanswerable ones, red flags, small talk, and whether every citation is verbatim.\n"
                 "  --baseline FILE: exit 1 when a figure falls below the one recorded for that set.\n";
    return args.has("--help") ? 0 : 2;
  }
  engine_factory factory(args.value("--db", "cited.db"), tuning_from(args));
  auto engine = factory.make();
  reply_drafter drafter(*engine);
  nlohmann::json baseline;
  if (auto path = args.value("--baseline", ""); !path.empty()) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    baseline = nlohmann::json::parse(in);
  }
  nlohmann::json all;
  bool below = false;
  for (const auto& file : args.positional()) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error("cannot read " + file);
    eval_report report;
    int line_no = 0;
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        // A post with the questions it asks is drafted a reply; anything else is one question.
        if (line.find("\"questions\"") != std::string::npos && line.find("\"text\"") != std::string::npos) {
          const email_case c = parse_email_case(line);
          score(c, drafter.draft(c.text), factory.knowledge(), report);
        } else {
          const eval_case c = parse_eval_case(line);
          score(c, engine->ask(c.question), factory.knowledge(), report);
        }
      } catch (const std::invalid_argument& e) {
        throw std::runtime_error(file + ":" + std::to_string(line_no) + ": " + e.what());
      }
    }
    // Sets outside tests/eval/ itself keep their folder ("real/questions.jsonl"): two sets may
    // share a file name.
    const fs::path path(file);
    const std::string folder = path.parent_path().filename().string();
    const std::string name = folder.empty() || folder == "eval" ? path.filename().string() : folder + "/" + path.filename().string();
    const auto figures = report_json(report);
    all[name] = figures;
    if (!args.has("--json")) print_report(name, report, args.has("--failures"));
    const std::string key = baseline.contains(name) ? name : path.filename().string();
    if (baseline.contains(key)) {
      for (const auto& [metric, floor] : baseline[key].items()) {
        const double got = figures.at(metric).at("share").get<double>();
        if (got + 1e-9 < floor.get<double>()) {
          std::cerr << "cited eval: " << name << " " << metric << " fell to " << got << ", below the baseline " << floor << "\n";
          below = true;
        }
      }
    }
  }
  if (args.has("--json")) std::cout << all.dump(2) << "\n";
  return below ? 1 : 0;
}

}  // namespace cited::app
