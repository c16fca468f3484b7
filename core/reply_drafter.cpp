#include "reply_drafter.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "answer_json.hpp"
#include "utf8.hpp"
#include "verbatim.hpp"

namespace cited {
namespace {

constexpr std::size_t max_symptom_quote = 240;  // bytes of the patient's words quoted in the warning

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Patient text in the draft must not look like a source number.
std::string no_markers(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '[') c = '(';
    else if (c == ']') c = ')';
  }
  return out;
}

// "One says ..." -> "one says ..."; "SMP is ..." stays.
std::string lower_first_word(std::string s) {
  if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

// A disagreement between sources, said plainly whatever words the fact used to open it.
std::string plain_disagreement(std::string text) {
  for (std::string_view lead : {"The sources disagree.", "The sources differ.", "The sources use different words.",
                                "The sources disagree:", "The sources differ:"}) {
    if (starts_with(text, lead)) {
      std::string rest = collapse_whitespace(std::string_view(text).substr(lead.size()));
      return "The sources disagree: " + lower_first_word(std::move(rest));
    }
  }
  return "The sources disagree: " + lower_first_word(std::move(text));
}

// The draft's list of sources: one number per distinct quote, in order of first use.
class source_list {
 public:
  // text with each [k] of a's own numbering replaced by the draft's number for that citation.
  std::string renumber(const answer& a) {
    std::map<int, int> local;
    for (const auto& c : a.citations) local[c.n] = number_for(c);
    std::string out;
    const std::string& t = a.text;
    for (std::size_t i = 0; i < t.size();) {
      if (t[i] == '[') {
        std::size_t j = i + 1;
        while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
        if (j > i + 1 && j < t.size() && t[j] == ']' && j - i < 8) {
          const int k = std::stoi(t.substr(i + 1, j - i - 1));
          if (auto it = local.find(k); it != local.end()) out += "[" + std::to_string(it->second) + "]";
          i = j + 1;
          continue;
        }
      }
      out += t[i++];
    }
    return out;
  }

  bool empty() const { return cited_.empty(); }

  std::string listing() const {
    std::string out;
    for (std::size_t i = 0; i < cited_.size(); ++i) {
      out += '[';
      out += std::to_string(i + 1);
      out += "] ";
      out += cited_[i].title;
      out += ": \"";
      out += collapse_whitespace(cited_[i].quote);
      out += "\"\n";
    }
    return out;
  }

 private:
  int number_for(const numbered_citation& c) {
    auto key = std::make_pair(c.source, collapse_whitespace(c.quote));
    if (auto it = numbers_.find(key); it != numbers_.end()) return it->second;
    cited_.push_back(c);
    const int n = static_cast<int>(cited_.size());
    numbers_.emplace(std::move(key), n);
    return n;
  }

  std::vector<numbered_citation> cited_;
  std::map<std::pair<std::string, std::string>, int> numbers_;
};

// One paragraph: the answer's own paragraph breaks joined, so the draft reads as one per question.
std::string one_paragraph(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

// The words of s, lowercased ASCII letters only.
std::set<std::string> words_of(std::string_view s) {
  std::set<std::string> out;
  std::string w;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      w += static_cast<char>(c | 0x20);
    } else if (!w.empty()) {
      out.insert(w);
      w.clear();
    }
  }
  if (!w.empty()) out.insert(w);
  return out;
}

// True when the sources attached to an urgent answer name a symptom the patient named: only
// then do they belong in a warning ("signs of infection include ... pus" for pus, not a passage
// on how the dots are spaced).
bool speaks_to(const std::string& symptoms, const std::vector<numbered_citation>& citations) {
  static const std::set<std::string> signs{
      "pus", "fever", "redness", "red", "swelling", "swollen", "swell", "infection", "infected", "allergic", "allergy",
      "itching", "itchy", "itch", "blister", "blisters", "blistering", "hives", "pain", "painful", "bleeding", "bruising",
      "rash", "scarring", "scar", "discharge"};
  const auto said = words_of(symptoms);
  for (const auto& c : citations)
    for (const auto& w : words_of(c.quote))
      if (signs.count(w) && said.count(w)) return true;
  return false;
}

}  // namespace

std::string compose_draft(const std::optional<std::string>& name, const std::vector<reply_question>& questions,
                          const std::vector<std::string>& unanswered) {
  std::string out = name && !name->empty() ? "Hi " + no_markers(*name) + ",\n\n" : "Hello,\n\n";
  source_list sources;

  // Red flags first, before any pleasantry, so neither the patient nor staff can miss them.
  for (const auto& q : questions) {
    if (q.reply.status != answer_status::urgent) continue;
    std::string said = q.question;
    if (said.size() > max_symptom_quote) said = std::string(utf8_prefix(said, max_symptom_quote)) + "...";
    const bool ends_sentence = !said.empty() && std::string_view(".!?").find(said.back()) != std::string_view::npos;
    out += "IMPORTANT: you wrote \"" + no_markers(said) + (ends_sentence ? "\" " : "\". ") +
           one_paragraph(sources.renumber(q.reply)) + "\n\n";
  }

  const bool any_answered = std::any_of(questions.begin(), questions.end(), [](const reply_question& q) {
    return q.reply.status == answer_status::answered;
  });
  out += "Thank you for your email";
  out += (any_answered || !unanswered.empty()) ? " and your questions about scalp micropigmentation." : ".";
  if (any_answered) out += " I've answered what I can below; the numbers in brackets refer to the sources listed at the end.";
  out += "\n\n";

  for (const auto& q : questions) {
    if (q.reply.status != answer_status::answered) continue;
    std::string text = one_paragraph(sources.renumber(q.reply));
    if (q.reply.conflict) text = plain_disagreement(std::move(text));
    out += no_markers(q.question) + "\n" + text + "\n\n";
  }

  if (!unanswered.empty()) {
    out += any_answered ? "A member of our team will answer these personally:\n"
                        : "A member of our team will answer your questions personally:\n";
    for (const auto& u : unanswered) out += "- " + no_markers(u) + "\n";
    out += "\n";
  } else if (!any_answered) {
    bool urgent = std::any_of(questions.begin(), questions.end(),
                              [](const reply_question& q) { return q.reply.status == answer_status::urgent; });
    if (!urgent) out += "A member of our team will get back to you personally.\n\n";
  }

  out += "If you have any other questions, just reply to this email.\n\nKind regards,\nThe clinic team\n";
  if (!sources.empty()) out += "\nSources:\n" + sources.listing();
  return out;
}

reply_drafter::reply_drafter(answer_engine& engine, const email_limits& limits) : engine_(engine), reader_(limits) {}

answer reply_drafter::best_answer(const email_question& q) {
  answer a = engine_.ask(q.ask);
  if (q.for_staff) {
    // About the clinic itself or asking it to act: whatever the articles say, staff answer it.
    a.status = answer_status::no_answer;
    a.text = engine_.knowledge().words.replies.no_answer;
    a.citations.clear();
    a.facts.clear();
    a.suggestions.clear();
    a.conflict = false;
    a.topic.reset();
    a.confidence = 0;
    return a;
  }
  if (!q.context.empty()) {
    // "I have psoriasis on my scalp, can I still get it?": the clause alone says too little.
    // "Is that normal?" says nothing without what came before it.
    answer whole = engine_.ask(q.context + " " + q.ask);
    // Read whole, a long clause's ideas ("if I shave my head and expose the scar to the sun")
    // outweigh the question's own ("will it fade?"): told as context, they only steer the
    // choice between facts. A question that is nothing without what came before ("is that
    // normal?") is read whole only.
    if (!q.follow_up) {
      answer after = engine_.ask_after(q.context, q.ask);
      if (after.status == answer_status::answered &&
          (whole.status != answer_status::answered || after.confidence > whole.confidence))
        whole = std::move(after);
    }
    if (q.follow_up) return whole;
    if (whole.status == answer_status::answered &&
        (a.status != answer_status::answered || whole.confidence > a.confidence))
      return whole;
  }
  return a;
}

suggested_reply reply_drafter::draft(std::string_view text) {
  const patient_email email = reader_.read(text);
  suggested_reply r;
  r.name = email.name;

  // Symptoms may be told rather than asked ("there's pus and I have a fever"): every sentence
  // is checked for red flags, on its own.
  std::vector<bool> urgent_sentence(email.sentences.size(), false);
  std::optional<answer> warning;
  std::string symptoms;
  for (std::size_t i = 0; i < email.sentences.size(); ++i) {
    answer a = engine_.ask(email.sentences[i]);
    if (a.status != answer_status::urgent) continue;
    urgent_sentence[i] = true;
    if (!symptoms.empty()) symptoms += " ";
    if (symptoms.size() < max_symptom_quote) symptoms += email.sentences[i];
    // The first symptom's answer speaks for all: a later sentence's sources may be about something else.
    if (!warning) warning = std::move(a);
  }

  std::vector<reply_question> asked;
  std::vector<std::pair<std::vector<std::string>, std::size_t>> facts_seen;  // facts -> index in asked
  for (const auto& q : email.questions) {
    answer a = best_answer(q);
    if (a.status == answer_status::smalltalk) continue;
    if (a.status == answer_status::urgent) {
      if (!urgent_sentence[q.sentence_index]) {
        urgent_sentence[q.sentence_index] = true;
        if (!symptoms.empty()) symptoms += " ";
        symptoms += email.sentences[q.sentence_index];
        if (!warning) warning = std::move(a);
      }
      continue;
    }
    // A question asked alongside symptoms is covered by the warning unless the sources answer
    // it; "Is this normal?" right after them is about them.
    if (urgent_sentence[q.sentence_index] && a.status != answer_status::answered) continue;
    if (q.follow_up && q.sentence_index > 0 && urgent_sentence[q.sentence_index - 1]) continue;
    if (a.status == answer_status::answered) {
      // The same facts answering a second wording of a question: it was asked already.
      // Both wordings head the one paragraph, unless the second only repeats the first.
      auto facts = a.facts;
      std::sort(facts.begin(), facts.end());
      auto seen = std::find_if(facts_seen.begin(), facts_seen.end(), [&](const auto& f) { return f.first == facts; });
      if (!facts.empty() && seen != facts_seen.end()) {
        std::string& first = asked[seen->second].question;
        constexpr std::size_t max_heading_bytes = 300;  // a heading, not a transcript
        if (!same_question(first, q.text) && first.size() + q.text.size() < max_heading_bytes) first += " " + q.text;
        continue;
      }
      facts_seen.emplace_back(std::move(facts), asked.size());
      if (a.citations.empty()) a.status = answer_status::no_answer;  // nothing unsourced goes out
    }
    asked.push_back({q.text, std::move(a)});
  }

  if (warning) {
    r.urgent = true;
    if (!warning->citations.empty() && !speaks_to(symptoms, warning->citations)) {
      warning->text = engine_.knowledge().words.replies.urgent;
      warning->citations.clear();
      warning->facts.clear();
    }
    r.questions.push_back({symptoms, std::move(*warning)});
  }
  for (auto& q : asked) {
    if (q.reply.status == answer_status::no_answer) r.unanswered.push_back(q.question);
    r.questions.push_back(std::move(q));
  }
  r.draft = compose_draft(r.name, r.questions, r.unanswered);
  return r;
}

nlohmann::json to_json(const suggested_reply& r) {
  nlohmann::json j;
  j["type"] = "reply";
  j["draft"] = r.draft;
  auto& qs = j["questions"] = nlohmann::json::array();
  for (const auto& q : r.questions) qs.push_back({{"question", q.question}, {"answer", to_json(q.reply)}});
  j["unanswered"] = r.unanswered;
  j["name"] = r.name ? nlohmann::json(*r.name) : nlohmann::json(nullptr);
  j["urgent"] = r.urgent;
  return j;
}

std::string to_json_line(const suggested_reply& r) {
  return to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace cited
