#pragma once
// The domain's data: source documents, the sourced facts drawn from them, and the lexicon that
// bridges patients' words to the documents' words. Loaded once, then shared read-only.
#include <map>
#include <string>
#include <vector>

namespace cited {

struct source_document {
  std::string id;     // the seed file's stem, e.g. "001_afa1104eb99da5db"
  std::string title;
  std::string text;   // the article, sentences exactly as written
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

struct lexicon {
  // Chat spellings read as the words they stand for ("u" -> "you", "b4" -> "before").
  std::map<std::string, std::string> respellings;
  // A patient's word or phrase -> document words or phrases that mean the same here.
  std::map<std::string, std::vector<std::string>> synonyms;
  std::vector<std::string> stop_words;
  // Everyday English words: when one is not a concept of this lexicon, it says little about
  // which fact is meant, however rare it is in the corpus ("recommend", "keep").
  std::vector<std::string> common_words;
  // Each entry is a phrase whose words must all appear in a message for it to be a red flag.
  std::vector<std::string> red_flags;
  // Words of red flags that qualify a symptom rather than name it ("spreading", "worse").
  std::vector<std::string> symptom_qualifiers;
  // Words that mark a message as being about the writer's own body ("my", "i'm").
  std::vector<std::string> personal_markers;
  // Words that open a general question rather than a report ("can", "what").
  std::vector<std::string> general_markers;
  std::vector<std::string> greetings;
  std::vector<std::string> thanks;
  std::vector<std::string> goodbyes;
  std::vector<std::string> identity_questions;
  // Words that mean "the same thing as before" in a follow-up ("it", "that", "and").
  std::vector<std::string> follow_up_markers;
  // Words that join two questions in one message ("and", "also").
  std::vector<std::string> joiners;
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
};

}  // namespace cited
