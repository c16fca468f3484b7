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

mention_groups parse_groups(const nlohmann::json& j) {
  mention_groups groups = j.get<mention_groups>();
  for (const auto& g : groups)
    if (g.empty()) throw std::invalid_argument("an empty must_mention_any group matches nothing");
  return groups;
}

// An answer's text and its quotes: where a strict label's strings must stand.
std::string said_and_quoted(const answer& a) {
  std::string out = a.text;
  for (const auto& c : a.citations) out += "\n" + c.quote;
  return out;
}

std::string describe_groups(const mention_groups& groups) {
  std::string out;
  for (const auto& g : groups) {
    out += " [";
    for (std::size_t i = 0; i < g.size(); ++i) out += (i ? " | " : "") + g[i];
    out += "]";
  }
  return out;
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

bool mentions_all(const mention_groups& groups, std::string_view text) {
  const std::string haystack = comparable(text);
  return std::all_of(groups.begin(), groups.end(), [&](const std::vector<std::string>& group) {
    return std::any_of(group.begin(), group.end(), [&](const std::string& s) { return haystack.find(comparable(s)) != std::string::npos; });
  });
}

eval_case parse_eval_case(std::string_view line) {
  try {
    const auto j = nlohmann::json::parse(line);
    eval_case c;
    if (j.contains("question")) {  // the real set's format
      c.question = j.at("question").get<std::string>();
      c.expect = j.at("answerable").get<bool>() ? answer_status::answered : answer_status::no_answer;
      c.must_mention = parse_groups(j.value("must_mention_any", nlohmann::json::array()));
      c.conflict = j.value("conflict", false);
      if (c.expect == answer_status::answered && c.must_mention.empty())
        throw std::invalid_argument("an answerable question needs \"must_mention_any\"");
      return c;
    }
    c.question = j.at("q").get<std::string>();
    const std::string expect = j.value("expect", std::string("answered"));
    c.calm = expect == "calm";
    c.expect = c.calm ? answer_status::answered : parse_status(expect);
    if (c.calm) return c;
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

email_case parse_email_case(std::string_view line) {
  try {
    const auto j = nlohmann::json::parse(line);
    email_case c;
    c.text = j.at("text").get<std::string>();
    for (const auto& q : j.at("questions")) {
      email_part p;
      p.question = q.at("question").get<std::string>();
      p.answerable = q.at("answerable").get<bool>();
      p.must_mention = parse_groups(q.value("must_mention_any", nlohmann::json::array()));
      p.conflict = q.value("conflict", false);
      if (p.answerable && p.must_mention.empty()) throw std::invalid_argument("an answerable question needs \"must_mention_any\"");
      c.parts.push_back(std::move(p));
    }
    return c;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(e.what());
  }
}

namespace {

void count_citations(const answer& a, const knowledge_base& kb, eval_report& report) {
  std::vector<std::string> quotes;
  for (const auto& cit : a.citations) {
    const source_document* src = kb.find_source(cit.source);
    report.citations.count(src && is_verbatim(cit.quote, src->text));
    quotes.push_back(cit.quote);
  }
  report.numbers.count(unsourced_numbers(a.text, quotes).empty());
}

}  // namespace

void score(const email_case& c, const suggested_reply& r, const knowledge_base& kb, eval_report& report) {
  std::string drafted = r.draft;
  for (const auto& q : r.questions) drafted += "\n" + said_and_quoted(q.reply);
  int unanswerable = 0;
  for (const auto& p : c.parts) {
    if (!p.answerable) {
      ++unanswerable;
      continue;
    }
    const bool ok = mentions_all(p.must_mention, drafted);
    report.email_answered.count(ok);
    report.overall.count(ok);
    if (!ok) report.failures.push_back({p.question, "answered in the draft:" + describe_groups(p.must_mention), "not in the draft"});
  }
  const int listed = std::min(unanswerable, static_cast<int>(r.unanswered.size()));
  for (int i = 0; i < unanswerable; ++i) {
    report.email_listed.count(i < listed);
    report.overall.count(i < listed);
  }
  if (listed < unanswerable)
    report.failures.push_back({c.text.substr(0, 80) + "...", std::to_string(unanswerable) + " questions listed for staff",
                               std::to_string(r.unanswered.size()) + " listed"});
  for (const auto& q : r.questions) {
    if (q.reply.status != answer_status::answered) continue;
    const std::string said = said_and_quoted(q.reply);
    const bool on_point = std::any_of(c.parts.begin(), c.parts.end(),
                                      [&](const email_part& p) { return p.answerable && mentions_all(p.must_mention, said); });
    report.email_on_point.count(on_point);
    if (!on_point) report.failures.push_back({q.question, "an answer to one of the email's questions", describe(q.reply)});
    count_citations(q.reply, kb, report);
  }
}

void score(const eval_case& c, const answer& a, const knowledge_base& kb, eval_report& report) {
  if (c.calm) {
    const bool ok = a.status != answer_status::urgent;
    report.calm.count(ok);
    report.overall.count(ok);
    if (!ok) report.failures.push_back({c.question, "calm (not urgent)", describe(a)});
    count_citations(a, kb, report);
    return;
  }
  bool right = a.status == c.expect;
  std::string expected(to_string(c.expect));
  if (!c.must_mention.empty()) {
    // Strict: every part of the question answered, both sides of a disagreement; a symptom
    // report may rightly be answered as urgent.
    right = (a.status == answer_status::answered || a.status == answer_status::urgent) && mentions_all(c.must_mention, said_and_quoted(a));
    if (c.conflict) report.conflicts.count(right && a.conflict);
    expected += describe_groups(c.must_mention);
    if (c.conflict) expected += " (conflict)";
    report.answerable.count(right);
  } else if (c.expect == answer_status::answered) {
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
  count_citations(a, kb, report);
}

}  // namespace cited
