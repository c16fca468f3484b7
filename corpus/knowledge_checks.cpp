#include "knowledge_checks.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <map>
#include <regex>
#include <set>

#include "question_intent.hpp"
#include "utf8.hpp"
#include "verbatim.hpp"
#include "warning_signs.hpp"

namespace cited {
namespace {

constexpr std::size_t fewest_questions = 8, most_questions = 12, most_related = 3;

std::string in_quotes(std::string_view s) { return "\u201C" + std::string(s) + "\u201D"; }

// "[2]" is the second citation: staff count citations as the answer's markers do, from 1.
constexpr std::array<const char*, 10> ordinals{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};

std::string citation_field(std::size_t i, std::string_view part = {}) {
  std::string out = "citations[" + std::to_string(i) + "]";
  if (!part.empty()) out.append(".").append(part);
  return out;
}

bool is_kebab_case(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    const bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word_char && !(c == '-' && id[i - 1] != '-')) return false;
  }
  return true;
}

bool usable_as_file_name(std::string_view id) {
  return !id.empty() && id.size() <= 200 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

std::string ascii_lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string first_words(const std::string& s, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t words = 0; end < s.size(); ++end)
    if (s[end] == ' ' && ++words == count) break;
  return end < s.size() ? s.substr(0, end) + "\u2026" : s;
}

std::string last_words(const std::string& s, std::size_t count) {
  std::size_t start = s.size();
  for (std::size_t words = 0; start > 0; --start)
    if (s[start - 1] == ' ' && ++words == count) break;
  return start > 0 ? "\u2026" + s.substr(start) : s;
}

bool ends_with_stop(std::string_view word) {
  return !word.empty() && (word.back() == '.' || word.back() == '!' || word.back() == '?');
}

// Of the words just before a quote, those of the sentence it starts inside.
std::string sentence_before(const std::string& before) {
  std::size_t start = before.size();
  while (start > 0 && !(before[start - 1] == ' ' && ends_with_stop(std::string_view(before).substr(0, start - 1)))) --start;
  const std::string words = before.substr(start);
  return start == 0 && std::count(before.begin(), before.end(), ' ') >= 4 ? "\u2026" + words : words;
}

// Of the words just after a quote, those up to the end of the sentence it stops inside.
std::string sentence_after(const std::string& after) {
  for (std::size_t end = 0; end < after.size(); ++end)
    if (after[end] == ' ' && ends_with_stop(std::string_view(after).substr(0, end))) return after.substr(0, end);
  return after.empty() || ends_with_stop(after) ? after : after + "\u2026";
}

// Why a quote is not in its source, pointing at the first word where the two part.
std::string why_not_verbatim(const std::string& quote, const std::string& source_title, std::string_view source_text) {
  const std::string q = collapse_whitespace(quote);
  const std::string src = collapse_whitespace(source_text);
  const std::string lead = "This quote is not in the source word for word: ";
  if (src.find(q) == std::string::npos && ascii_lower(src).find(ascii_lower(q)) != std::string::npos)
    return lead + "it differs from the source in capital letters.";
  std::string matched;
  std::size_t next = 0;
  while (next < q.size()) {
    std::size_t space = q.find(' ', next);
    if (space == std::string::npos) space = q.size();
    const std::string longer = q.substr(0, space);
    if (src.find(longer) == std::string::npos) break;
    matched = longer;
    next = space + 1;
  }
  const std::string rest = next < q.size() ? q.substr(next) : std::string();
  if (matched.empty()) return lead + in_quotes(source_title) + " has no " + in_quotes(first_words(q, 6));
  return lead + "the source has " + in_quotes(last_words(matched, 6)) + " but does not go on with " + in_quotes(first_words(rest, 4));
}

void check_citations(const fact& f, const knowledge_base& kb, std::vector<knowledge_problem>& out) {
  auto problem = [&](std::string field, check_rule rule, std::string message) {
    out.push_back({f.id, "", std::move(field), rule, check_severity::required, std::move(message)});
  };
  if (f.citations.empty())
    problem("citations", check_rule::citations_present, "The answer needs at least one citation: every answer is quoted from a source.");
  bool cites_clinic = false;
  std::vector<std::string> quotes;
  for (std::size_t i = 0; i < f.citations.size(); ++i) {
    const citation& c = f.citations[i];
    const std::string name = "Citation " + std::to_string(i + 1);
    quotes.push_back(c.quote);
    const source_document* src = kb.find_source(c.source);
    if (!src) {
      problem(citation_field(i, "source"), check_rule::source_exists,
              c.source.empty() ? name + " names no source." : name + " names a source that does not exist (" + in_quotes(c.source) + ").");
      continue;
    }
    cites_clinic = cites_clinic || src->clinic;
    if (collapse_whitespace(c.quote).empty()) {
      problem(citation_field(i, "quote"), check_rule::quote_present, name + " has no quote: copy one or more sentences from the source.");
      continue;
    }
    const quote_place place = place_quote(c.quote, src->text);
    if (!place.found) {
      problem(citation_field(i, "quote"), check_rule::verbatim, why_not_verbatim(c.quote, src->title, src->text));
      continue;
    }
    if (!place.starts_whole)
      problem(citation_field(i, "quote"), check_rule::whole_sentences,
              "A quote must be whole sentences: it starts in the middle of one, after " + in_quotes(sentence_before(place.before)));
    if (!place.ends_whole)
      problem(citation_field(i, "quote"), check_rule::whole_sentences,
              "A quote must be whole sentences: it stops in the middle of one, before " + in_quotes(sentence_after(place.after)));
  }
  if (f.clinic && !f.citations.empty() && !cites_clinic)
    problem("clinic", check_rule::clinic_source, "A clinic fact must quote at least one of the clinic's own pages.");

  static const std::regex marker(R"(\[(\d+)\])");
  std::set<long long> referred;
  std::set<std::string> reported;
  for (std::sregex_iterator it(f.answer.begin(), f.answer.end(), marker), end; it != end; ++it) {
    const std::string digits = (*it)[1].str();
    long long n = 0;
    // More digits than a number holds (found by fuzzing): no citation has that number either.
    if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec != std::errc()) n = -1;
    referred.insert(n);
    if (n >= 1 && n <= static_cast<long long>(f.citations.size())) continue;
    if (!reported.insert(digits).second) continue;
    const std::string used = "[" + digits + "] is used in the answer but ";
    problem("answer", check_rule::marker_has_citation,
            n == 0                                     ? used + "citations are numbered from [1]."
            : n > static_cast<long long>(ordinals.size()) || n < 0 ? used + "there is no citation with that number."
                                                       : used + "there is no " + ordinals[static_cast<std::size_t>(n - 1)] + " citation.");
  }
  for (std::size_t i = 0; i < f.citations.size(); ++i)
    if (!referred.contains(static_cast<long long>(i + 1)))
      problem(citation_field(i), check_rule::citation_referenced,
              "Citation " + std::to_string(i + 1) + " is never referred to in the answer: put [" + std::to_string(i + 1) +
                  "] after what it supports.");

  std::set<std::string> said;
  for (const auto& n : unsourced_numbers(f.answer, quotes))
    if (said.insert(n).second) problem("answer", check_rule::numbers_quoted, "The answer mentions " + n + " but none of its quotes does.");

  if (f.conflict && f.citations.size() < 2)
    problem("conflict", check_rule::conflict_sides,
            "Where the sources disagree, the answer shows each side with its own citation: it needs at least 2 citations.");
}

// Every rule of a fact but its id's uniqueness, which depends on what else is being checked.
void check_fact_itself(const fact& f, const knowledge_base& kb, std::vector<knowledge_problem>& out) {
  auto problem = [&](std::string field, check_rule rule, std::string message, check_severity severity = check_severity::required) {
    out.push_back({f.id, "", std::move(field), rule, severity, std::move(message)});
  };
  if (f.id.empty()) problem("id", check_rule::id_format, "The fact has no id: give it one, like \u201Ccost-per-session\u201D.");
  else if (!is_kebab_case(f.id))
    problem("id", check_rule::id_format,
            "The id " + in_quotes(f.id) + " must be lower-case words and numbers joined by single hyphens, like \u201Ccost-per-session\u201D.");

  const auto& topics = known_topics();
  if (std::find(topics.begin(), topics.end(), f.topic) == topics.end()) {
    std::string list;
    for (const auto& t : topics) list.append(list.empty() ? "" : ", ").append(t);
    problem("topic", check_rule::topic_known,
            (f.topic.empty() ? std::string("The fact has no topic") : "The topic " + in_quotes(f.topic) + " is not one we know") +
                ": choose one of " + list + ".");
  }

  if (f.questions.empty())
    problem("questions", check_rule::questions_present, "Add at least one way a patient might ask for this.");
  else if (f.questions.size() < fewest_questions || f.questions.size() > most_questions)
    problem("questions", check_rule::questions_count,
            "Patients find a fact most reliably with 8 to 12 ways of asking for it; this one has " + std::to_string(f.questions.size()) + ".",
            check_severity::advice);
  std::set<std::string> phrasings;
  for (std::size_t i = 0; i < f.questions.size(); ++i)
    if (!phrasings.insert(ascii_lower(collapse_whitespace(f.questions[i]))).second)
      problem("questions[" + std::to_string(i) + "]", check_rule::questions_repeat,
              "This way of asking, " + in_quotes(f.questions[i]) + ", is already there.", check_severity::advice);

  if (collapse_whitespace(f.answer).empty()) problem("answer", check_rule::answer_present, "The answer is empty.");
  check_citations(f, kb, out);

  if (f.related.size() > most_related)
    problem("related", check_rule::related_count,
            "At most 3 related facts are offered to a patient; this one has " + std::to_string(f.related.size()) + ".");
  for (std::size_t i = 0; i < f.related.size(); ++i) {
    const std::string field = "related[" + std::to_string(i) + "]";
    if (f.related[i] == f.id) problem(field, check_rule::related_exist, "A fact cannot be related to itself.");
    else if (!kb.find_fact(f.related[i]))
      problem(field, check_rule::related_exist, "There is no fact " + in_quotes(f.related[i]) + " to offer next.");
  }
}

void check_source_itself(const source_document& s, std::vector<knowledge_problem>& out) {
  auto problem = [&](std::string field, check_rule rule, std::string message) {
    out.push_back({"", s.id, std::move(field), rule, check_severity::required, std::move(message)});
  };
  if (!usable_as_file_name(s.id))
    problem("id", check_rule::source_id, "The source's id " + in_quotes(s.id) + " may hold only letters, digits, - and _.");
  if (s.title.empty() || s.title.find_first_of("\r\n") != std::string::npos)
    problem("title", check_rule::source_title, "A source needs a title of one line.");
  if (collapse_whitespace(s.text).empty()) problem("text", check_rule::source_text, "The source has no text.");
}

void check_lexicon(const knowledge_base& kb, std::vector<knowledge_problem>& out) {
  auto problem = [&](std::string message) {
    out.push_back({"", "", "lexicon", check_rule::lexicon, check_severity::required, std::move(message)});
  };
  for (const auto& entry : kb.words.intents)
    if (!intent_named(entry.first))
      problem("intent \"" + entry.first + "\" is none of the question intents (question_intent.hpp)");
  for (auto& p : check(kb.words.warning_signs)) problem(std::move(p));
  for (const auto& s : kb.words.warning_signs.signs)
    for (const auto& id : s.facts)
      if (!kb.find_fact(id)) problem("warning sign " + s.name + " cites a fact \"" + id + "\" that does not exist");
  for (const auto& id : kb.words.starter_facts)
    if (!kb.find_fact(id)) problem("starter fact \"" + id + "\" does not exist");
}

}  // namespace

std::string_view name_of(check_rule rule) {
  switch (rule) {
    case check_rule::corpus_empty: return "corpus_empty";
    case check_rule::id_format: return "id_format";
    case check_rule::id_unique: return "id_unique";
    case check_rule::topic_known: return "topic_known";
    case check_rule::questions_present: return "questions_present";
    case check_rule::questions_count: return "questions_count";
    case check_rule::questions_repeat: return "questions_repeat";
    case check_rule::answer_present: return "answer_present";
    case check_rule::citations_present: return "citations_present";
    case check_rule::source_exists: return "source_exists";
    case check_rule::quote_present: return "quote_present";
    case check_rule::verbatim: return "verbatim";
    case check_rule::whole_sentences: return "whole_sentences";
    case check_rule::marker_has_citation: return "marker_has_citation";
    case check_rule::citation_referenced: return "citation_referenced";
    case check_rule::numbers_quoted: return "numbers_quoted";
    case check_rule::conflict_sides: return "conflict_sides";
    case check_rule::related_exist: return "related_exist";
    case check_rule::related_count: return "related_count";
    case check_rule::clinic_source: return "clinic_source";
    case check_rule::source_id: return "source_id";
    case check_rule::source_unique: return "source_unique";
    case check_rule::source_title: return "source_title";
    case check_rule::source_text: return "source_text";
    case check_rule::lexicon: return "lexicon";
  }
  return "unknown";
}

const std::vector<std::string>& known_topics() {
  static const std::vector<std::string> topics{"cost",       "permanence", "pain",      "risks",      "sessions", "aftercare",
                                               "candidates", "procedure",  "comparison", "results", "general"};
  return topics;
}

std::vector<knowledge_problem> check_fact(const fact& draft, const knowledge_base& kb, std::string_view replaces) {
  std::vector<knowledge_problem> out;
  check_fact_itself(draft, kb, out);
  if (!draft.id.empty() && draft.id != replaces && kb.find_fact(draft.id))
    out.push_back({draft.id, "", "id", check_rule::id_unique, check_severity::required,
                   "Another fact already has the id " + in_quotes(draft.id) + "."});
  return out;
}

std::vector<knowledge_problem> check_source(const source_document& draft, const knowledge_base& kb) {
  std::vector<knowledge_problem> out;
  check_source_itself(draft, out);
  if (kb.find_source(draft.id))
    out.push_back({"", draft.id, "id", check_rule::source_unique, check_severity::required,
                   "There is already a source with the id " + in_quotes(draft.id) + "."});
  return out;
}

std::vector<knowledge_problem> check_knowledge(const knowledge_base& kb) {
  std::vector<knowledge_problem> out;
  if (kb.sources.empty()) out.push_back({"", "", "", check_rule::corpus_empty, check_severity::required, "There are no sources."});
  if (kb.facts.empty()) out.push_back({"", "", "", check_rule::corpus_empty, check_severity::required, "There are no facts."});

  std::set<std::string> source_ids;
  for (const auto& s : kb.sources) {
    check_source_itself(s, out);
    if (!source_ids.insert(s.id).second)
      out.push_back({"", s.id, "id", check_rule::source_unique, check_severity::required,
                     "Two sources have the id " + in_quotes(s.id) + "."});
  }
  std::set<std::string> fact_ids;
  for (const auto& f : kb.facts) {
    if (!f.id.empty() && !fact_ids.insert(f.id).second)
      out.push_back({f.id, "", "id", check_rule::id_unique, check_severity::required,
                     "Another fact already has the id " + in_quotes(f.id) + "."});
    check_fact_itself(f, kb, out);
  }
  check_lexicon(kb, out);
  return out;
}

bool any_required(const std::vector<knowledge_problem>& problems) {
  return std::any_of(problems.begin(), problems.end(), [](const knowledge_problem& p) { return p.severity == check_severity::required; });
}

std::string describe(const knowledge_problem& problem) {
  std::string out;
  if (!problem.fact.empty()) out = "fact " + problem.fact;
  else if (!problem.source.empty()) out = "source " + problem.source;
  if (!problem.field.empty()) out.append(out.empty() ? "" : ", ").append(problem.field);
  if (!out.empty()) out += ": ";
  return out + problem.message;
}

nlohmann::json to_json(const knowledge_problem& problem) {
  // Messages quote what staff typed, which a draft may hold cut inside a character: JSON must
  // still be writable.
  nlohmann::json j;
  if (!problem.fact.empty()) j["fact"] = sanitize_utf8(problem.fact);
  if (!problem.source.empty()) j["source"] = sanitize_utf8(problem.source);
  if (!problem.field.empty()) j["field"] = problem.field;
  j["rule"] = name_of(problem.rule);
  j["severity"] = problem.severity == check_severity::required ? "required" : "advice";
  j["message"] = sanitize_utf8(problem.message);
  return j;
}

std::vector<std::string> validate(const knowledge_base& kb) {
  std::vector<std::string> out;
  for (const auto& p : check_knowledge(kb))
    if (p.severity == check_severity::required) out.push_back(describe(p));
  return out;
}

}  // namespace cited
