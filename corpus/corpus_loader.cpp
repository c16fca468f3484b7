#include "corpus_loader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "warning_signs.hpp"

namespace cited {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string join_lines(const std::vector<std::string>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "\n") + p;
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw corpus_error({"cannot read " + path.string()});
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::vector<fs::path> files_with(const fs::path& dir, std::string_view extension) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && entry.path().extension() == extension) out.push_back(entry.path());
  if (ec) throw corpus_error({"cannot list " + dir.string() + ": " + ec.message()});
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

source_document source_from_text(std::string id, std::string_view file_text) {
  const auto newline = file_text.find('\n');
  source_document s;
  s.id = std::move(id);
  s.title = std::string(file_text.substr(0, newline));
  while (!s.title.empty() && std::isspace(static_cast<unsigned char>(s.title.back()))) s.title.pop_back();
  s.text = newline == std::string_view::npos ? "" : std::string(file_text.substr(newline + 1));
  s.text.erase(0, s.text.find_first_not_of("\r\n"));
  return s;
}

source_document parse_source(const fs::path& path) {
  source_document s = source_from_text(path.stem().string(), read_file(path));
  if (s.title.empty()) throw corpus_error({path.string() + ": the first line must be the title"});
  return s;
}

namespace {

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  if (j.contains(key)) out = j.at(key).get<std::vector<std::string>>();
  return out;
}

fact parse_fact(const json& j) {
  fact f;
  f.id = j.at("id").get<std::string>();
  f.topic = j.at("topic").get<std::string>();
  f.questions = strings(j, "questions");
  f.answer = j.at("answer").get<std::string>();
  if (j.contains("citations"))
    for (const auto& c : j.at("citations")) f.citations.push_back({c.at("source").get<std::string>(), c.at("quote").get<std::string>()});
  f.conflict = j.value("conflict", false);
  f.related = strings(j, "related");
  f.clinic = j.value("clinic", false);
  return f;
}

lexicon parse_lexicon(const json& j) {
  lexicon l;
  if (j.contains("synonyms"))
    for (const auto& [key, values] : j.at("synonyms").items()) l.synonyms[key] = values.get<std::vector<std::string>>();
  if (j.contains("respellings"))
    for (const auto& [key, value] : j.at("respellings").items()) l.respellings[key] = value.get<std::string>();
  l.stop_words = strings(j, "stop_words");
  if (j.contains("warning_signs")) l.warning_signs = warning_signs_from_json(j.at("warning_signs"));
  l.greetings = strings(j, "greetings");
  l.thanks = strings(j, "thanks");
  l.goodbyes = strings(j, "goodbyes");
  l.identity_questions = strings(j, "identity_questions");
  l.follow_up_markers = strings(j, "follow_up_markers");
  l.joiners = strings(j, "joiners");
  l.personal_questions = strings(j, "personal_questions");
  l.starter_facts = strings(j, "starter_facts");
  l.subject = strings(j, "subject");
  if (j.contains("intents"))
    for (const auto& [key, values] : j.at("intents").items()) l.intents[key] = values.get<std::vector<std::string>>();
  const json& r = j.at("replies");
  l.replies = {r.at("no_answer").get<std::string>(), r.at("urgent").get<std::string>(),
               r.at("greeting").get<std::string>(), r.at("thanks").get<std::string>(),
               r.at("goodbye").get<std::string>(), r.at("identity").get<std::string>(),
               r.value("did_you_mean", std::string())};
  return l;
}

json parse_json_file(const fs::path& path) {
  try {
    return json::parse(read_file(path));
  } catch (const json::exception& e) {
    throw corpus_error({path.string() + ": " + e.what()});
  }
}

}  // namespace

corpus_error::corpus_error(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

knowledge_base load_corpus(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw corpus_error({"no corpus folder at " + dir.string()});
  knowledge_base kb;
  for (const auto& path : files_with(dir / "sources", ".txt")) kb.sources.push_back(parse_source(path));
  if (fs::is_directory(dir / clinic_sources_folder))
    for (const auto& path : files_with(dir / clinic_sources_folder, ".txt")) {
      kb.sources.push_back(parse_source(path));
      kb.sources.back().clinic = true;
    }

  std::vector<std::string> problems;
  for (const auto& path : files_with(dir / "facts", ".json")) {
    const json facts = parse_json_file(path);
    if (!facts.is_array()) {
      problems.push_back(path.string() + ": must hold a JSON array of facts");
      continue;
    }
    for (std::size_t i = 0; i < facts.size(); ++i) {
      try {
        kb.facts.push_back(parse_fact(facts[i]));
      } catch (const json::exception& e) {
        problems.push_back(path.filename().string() + " fact #" + std::to_string(i + 1) + ": " + e.what());
      }
    }
  }
  try {
    kb.words = parse_lexicon(parse_json_file(dir / "lexicon.json"));
  } catch (const json::exception& e) {
    problems.push_back("lexicon.json: " + std::string(e.what()));
  }
  if (fs::exists(dir / "common_words.txt")) {
    std::istringstream lines(read_file(dir / "common_words.txt"));
    for (std::string line; std::getline(lines, line);)
      if (!line.empty() && line.front() != '#') kb.words.common_words.push_back(line);
  }
  if (!problems.empty()) throw corpus_error(problems);
  return kb;
}

}  // namespace cited
