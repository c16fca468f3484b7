#include "evaluation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "verbatim.hpp"

namespace cited {
namespace {

// Lower case, curly apostrophes straightened, whitespace collapsed: the set's cite strings
// are typed by people.
std::string comparable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "\xE2\x80\x99") == 0 || s.compare(i, 3, "\xE2\x80\x98") == 0) {
      out += '\'';
      i += 2;
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    }
  }
  return collapse_whitespace(out);
}

answer_status parse_status(const std::string& s) {
  for (auto st : {answer_status::answered, answer_status::no_answer, answer_status::urgent, answer_status::smalltalk})
    if (to_string(st) == s) return st;
  throw std::invalid_argument("unknown expect \"" + s + "\"");
}

std::string describe(const answer& a) {
  std::string out(to_string(a.status));
  if (a.conflict) out += " (conflict)";
  for (const auto& f : a.facts) out += " " + f;
  return out;
}

}  // namespace

eval_case parse_eval_case(std::string_view line) {
  try {
    const auto j = nlohmann::json::parse(line);
    eval_case c;
    c.question = j.at("q").get<std::string>();
    c.expect = parse_status(j.value("expect", std::string("answered")));
    if (j.contains("cite")) c.cite = j.at("cite").get<std::vector<std::string>>();
    if (j.contains("facts")) c.facts = j.at("facts").get<std::vector<std::string>>();
    c.conflict = j.value("conflict", false);
    if (c.expect == answer_status::answered && c.cite.empty() && c.facts.empty())
      throw std::invalid_argument("an answerable question needs \"cite\" or \"facts\"");
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(e.what());
  }
}

void score(const eval_case& c, const answer& a, const knowledge_base& kb, eval_report& report) {
  bool right = a.status == c.expect;
  std::string expected(to_string(c.expect));
  if (c.expect == answer_status::answered) {
    const bool cites = std::any_of(c.cite.begin(), c.cite.end(), [&](const std::string& want) {
      return std::any_of(a.citations.begin(), a.citations.end(),
                         [&](const auto& got) { return comparable(got.quote).find(comparable(want)) != std::string::npos; });
    });
    const bool fact = std::any_of(c.facts.begin(), c.facts.end(), [&](const std::string& want) {
      return std::find(a.facts.begin(), a.facts.end(), want) != a.facts.end();
    });
    right = right && (cites || fact);
    if (c.conflict) report.conflicts.count(right && a.conflict);
    for (const auto& w : c.cite) expected += " \"" + w + "\"";
    for (const auto& f : c.facts) expected += " " + f;
    if (c.conflict) expected += " (conflict)";
    report.answerable.count(right);
  } else if (c.expect == answer_status::no_answer) {
    report.abstention.count(right);
  } else if (c.expect == answer_status::urgent) {
    report.urgent.count(right);
  } else {
    report.small_talk.count(right);
  }
  report.overall.count(right);
  if (!right) report.failures.push_back({c.question, expected, describe(a)});

  std::vector<std::string> quotes;
  for (const auto& cit : a.citations) {
    const source_document* src = kb.find_source(cit.source);
    report.citations.count(src && is_verbatim(cit.quote, src->text));
    quotes.push_back(cit.quote);
  }
  report.numbers.count(unsourced_numbers(a.text, quotes).empty());
}

}  // namespace cited
