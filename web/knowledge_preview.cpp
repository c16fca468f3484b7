#include "knowledge_preview.hpp"

#include <fstream>
#include <map>
#include <stdexcept>

#include "evaluation.hpp"
#include "knowledge_edits.hpp"

namespace cited::web {
namespace {

using nlohmann::json;

json tally_json(const tally& t) { return {{"right", t.right}, {"total", t.total}, {"share", t.share()}}; }

// The figures of `cited eval --json` for the questions of a set (its emails need the reply
// drafter, which the preview leaves out).
json report_json(const eval_report& r) {
  return {{"answerable", tally_json(r.answerable)}, {"abstention", tally_json(r.abstention)},
          {"urgent", tally_json(r.urgent)},         {"small_talk", tally_json(r.small_talk)},
          {"conflicts", tally_json(r.conflicts)},   {"overall", tally_json(r.overall)},
          {"citations", tally_json(r.citations)},   {"numbers", tally_json(r.numbers)},
          {"calm", tally_json(r.calm)}};
}

// A set's name as `cited eval` gives it: its file name, or "real/questions.jsonl" outside eval/.
std::string set_name(const std::filesystem::path& path) {
  const std::string folder = path.parent_path().filename().string();
  return folder.empty() || folder == "eval" ? path.filename().string() : folder + "/" + path.filename().string();
}

std::vector<eval_case> read_set(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read the question set " + path.string());
  std::vector<eval_case> out;
  int line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // Posts with the questions they ask are emails: drafted replies, not single answers.
    if (line.find("\"questions\"") != std::string::npos && line.find("\"text\"") != std::string::npos) continue;
    try {
      out.push_back(parse_eval_case(line));
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(path.string() + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  return out;
}

struct compared {
  json old_answer;
  json new_answer;
  std::vector<std::string> sets;
};

}  // namespace

json to_json(const knowledge_problem& p) {
  return {{"fact", p.fact},         {"source", p.source},     {"field", p.field},
          {"rule", p.rule},         {"severity", p.severity}, {"message", p.message}};
}

preview_result preview_draft(const preview_input& in, const knowledge_options& options) {
  preview_result out;
  // Each question once, in the order first met; the sets (or "log") it came from.
  std::map<std::string, std::size_t> seen;
  std::vector<std::pair<std::string, compared>> questions;
  auto ask_both = [&](const std::string& question, const std::string& from) -> compared& {
    const auto [it, fresh] = seen.emplace(question, questions.size());
    if (fresh) {
      compared c;
      c.old_answer = visible_answer(in.served->ask(question));
      c.new_answer = visible_answer(in.drafted->ask(question));
      questions.emplace_back(question, std::move(c));
    }
    auto& c = questions[it->second].second;
    if (c.sets.empty() || c.sets.back() != from) c.sets.push_back(from);
    return c;
  };
  for (const auto& path : options.question_sets) {
    const std::string name = set_name(path);
    eval_report before, after;
    for (const auto& c : read_set(path)) {
      // Scored from fresh answers: the preview's comparison needs only what a patient sees.
      score(c, in.served->ask(c.question), in.served->knowledge(), before);
      score(c, in.drafted->ask(c.question), *in.draft, after);
      ask_both(c.question, name);
    }
    out.eval_before[name] = report_json(before);
    out.eval_after[name] = report_json(after);
  }
  for (const auto& q : in.logged) ask_both(q, "log");

  out.compared = questions.size();
  for (const auto& [question, c] : questions) {
    if (c.old_answer == c.new_answer) continue;
    ++out.changed_count;
    if (out.changed.size() < options.listed_changes)
      out.changed.push_back({{"question", question}, {"sets", c.sets}, {"old", c.old_answer}, {"new", c.new_answer}});
  }

  if (!options.red_flag_set.empty())
    for (const auto& c : read_set(options.red_flag_set)) {
      if (c.expect != answer_status::urgent) continue;
      const answer was = in.served->ask(c.question);
      if (was.status != answer_status::urgent) continue;
      const answer now = in.drafted->ask(c.question);
      if (now.status != answer_status::urgent)
        out.lost_red_flags.push_back({{"question", c.question}, {"old", visible_answer(was)}, {"new", visible_answer(now)}});
    }
  return out;
}

json publish_checks(const std::vector<knowledge_problem>& problems, const json& conflicts, const json& lost_red_flags) {
  json listed = json::array();
  bool required = false;
  for (const auto& p : problems) {
    listed.push_back(to_json(p));
    required = required || p.severity == "required";
  }
  // Advice is shown with the rest, and refuses nothing.
  return {{"ok", !required && conflicts.empty() && lost_red_flags.empty()},
          {"problems", listed},
          {"conflicts", conflicts},
          {"lost_red_flags", lost_red_flags}};
}

}  // namespace cited::web
