#pragma once
// The domain's data: source documents, the sourced facts drawn from them, and the lexicon that
// bridges patients' words to the documents' words. Loaded once, then shared read-only.
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cited {

struct source_document {
  std::string id;     // the seed file's stem, e.g. "001_afa1104eb99da5db"
  std::string title;
  std::string text;   // the article, sentences exactly as written
  bool clinic = false;  // the clinic's own page (its prices, booking, aftercare sheet), not a general article
};

struct citation {
  std::string source;  // a source_document id
  std::string quote;   // verbatim from the source (runs of whitespace may differ)
};

struct fact {
  std::string id;
  std::string topic;
  std::vector<std::string> questions;  // ways patients ask for it
  std::string answer;                  // plain words with [n] markers into citations
  std::vector<citation> citations;
  bool conflict = false;               // the sources disagree; the answer shows each side
  std::vector<std::string> related;    // fact ids offered as follow-up suggestions
  bool clinic = false;                 // the clinic's own (its prices, practitioners): answers first
};

// Canned replies for the cases that are not drawn from a fact.
struct reply_texts {
  std::string no_answer;
  std::string urgent;
  std::string greeting;
  std::string thanks;
  std::string goodbye;
  std::string identity;
  std::string did_you_mean;  // a no_answer that offers the two or three facts it hesitated between
};

// One way of telling a warning sign: slots that must all stand near one another, each slot a
// list of alternative words or phrases ("red|redness|pink" and "spreading|creeping").
struct sign_pattern {
  std::vector<std::vector<std::string>> slots;  // alternatives as written: words, phrases, "@set", "#temperature"
  std::size_t within = 0;                       // the most words a match may span; 0: the list's window
  bool graded = false;  // a mild degree ("a bit dizzy") makes it no report; always so with 2+ slots
};

struct warning_sign {
  std::string name;     // e.g. "spreading_redness"
  std::string source;   // where the sign comes from
  bool local = false;   // a sign of the treated skin: told of a heel or a leg, it is not this one
  std::vector<sign_pattern> patterns;
  std::vector<std::string> facts;  // facts that speak to the sign, cited after the warning (the first found)
};

// The warning signs that make a message urgent, and the words around them that make a mention
// no report (a general question, a negation, something past and resolved, someone else).
struct warning_sign_list {
  std::string source;                                       // where the list comes from
  std::size_t window = 12;                                  // default span of a pattern, in words
  std::map<std::string, std::vector<std::string>> sets;     // named alternatives, used as "@name"
  std::vector<warning_sign> signs;
  std::map<std::string, std::vector<std::string>> calm;     // cue kind -> phrases (SCHEMA.md)
};

struct lexicon {
  // Chat spellings read as the words they stand for ("u" -> "you", "b4" -> "before").
  std::map<std::string, std::string> respellings;
  // A patient's word or phrase -> document words or phrases that mean the same here.
  std::map<std::string, std::vector<std::string>> synonyms;
  std::vector<std::string> stop_words;
  // Everyday English words: when one is not a concept of this lexicon, it says little about
  // which fact is meant, however rare it is in the corpus ("recommend", "keep").
  std::vector<std::string> common_words;
  // Warning signs after a procedure, each with the ways patients say it (corpus/SCHEMA.md).
  warning_sign_list warning_signs;
  std::vector<std::string> greetings;
  std::vector<std::string> thanks;
  std::vector<std::string> goodbyes;
  std::vector<std::string> identity_questions;
  // Words that mean "the same thing as before" in a follow-up ("it", "that", "and").
  std::vector<std::string> follow_up_markers;
  // Words that join two questions in one message ("and", "also").
  std::vector<std::string> joiners;
  // Phrases that ask the clinic itself, not the sources: its opinion, what it has seen or done
  // ("what do you personally think", "have you worked with"). Only its staff can answer those.
  std::vector<std::string> personal_questions;
  // Words that name the treatment itself ("scalp micropigmentation", "the procedure"): every fact
  // is about it, so in a question they say hardly anything about which fact is meant.
  std::vector<std::string> subject;
  // Question intents (the closed set of question_intent.hpp) -> words and phrases that ask them.
  std::map<std::string, std::vector<std::string>> intents;
  // Facts whose questions are offered after a greeting.
  std::vector<std::string> starter_facts;
  reply_texts replies;
};

struct knowledge_base {
  std::vector<source_document> sources;
  std::vector<fact> facts;
  lexicon words;

  const source_document* find_source(std::string_view id) const;
  const fact* find_fact(std::string_view id) const;
  // The facts that quote the source: what to review when a new version of a page replaces it.
  std::vector<const fact*> facts_citing(std::string_view source_id) const;
};

}  // namespace cited
