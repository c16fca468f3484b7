#include "email_question_words.hpp"

#include <algorithm>

namespace cited::email_detail {

const word_set& fillers() {
  static const word_set w{"so", "and", "also", "but", "ok", "okay", "oh", "well", "just", "um", "umm", "uh", "anyway",
                          "anyways", "lastly", "finally", "firstly", "secondly", "thirdly", "first", "second", "third",
                          "then", "plus", "btw", "ps", "pps", "p", "s", "sorry", "actually", "basically", "honestly",
                          "now", "hmm", "right", "alright", "additionally", "furthermore", "again", "please", "pls",
                          "plz", "lol", "haha", "quick", "question", "q", "another", "last", "next", "one", "more",
                          "thing", "other", "and", "or", "secondly", "besides", "oh", "hey", "hi", "hello", "yeah", "yep",
                          "yup", "mainly", "ah", "ahh", "right", "lastly"};
  return w;
}

const word_set& wh_words() {
  static const word_set w{"what", "what's", "whats", "how", "how's", "hows", "when", "when's", "where", "where's",
                          "wheres", "why", "who", "who's", "whos", "which", "whose", "whom"};
  return w;
}

bool wh_contraction(const std::string& w) { return w.find('\'') != std::string::npos || w == "whats" || w == "hows" || w == "wheres"; }

const word_set& aux_words() {
  static const word_set w{"is", "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should",
                          "shall", "may", "might", "must", "am", "have", "has", "had", "isn't", "isnt", "aren't",
                          "arent", "doesn't", "doesnt", "don't", "dont", "didn't", "didnt", "can't", "cant", "cannot",
                          "won't", "wont", "wouldn't", "wouldnt", "shouldn't", "shouldnt", "couldn't", "couldnt"};
  return w;
}

const word_set& subject_words() {
  static const word_set w{"i", "you", "u", "it", "its", "it's", "this", "that", "there", "they", "we", "he", "she",
                          "smp", "the", "a", "an", "my", "your", "ur", "our", "these", "those", "someone", "anyone",
                          "somebody", "anybody", "people", "patients", "women", "woman", "men", "man", "guys", "one",
                          "any", "scalp", "micropigmentation", "everyone", "such", "both", "hair", "all", "most",
                          "some", "having", "getting", "doing", "microblading", "pigment", "ink", "sessions", "results"};
  return w;
}

const word_set& wh_followers() {
  static const word_set w{"much", "many", "long", "often", "soon", "far", "old", "big", "deep", "painful", "quickly",
                          "about", "exactly", "else", "kind", "type", "sort", "safe", "permanent", "bad", "likely",
                          "early", "late", "quick", "happens", "happen", "exactly", "sorts", "kinds", "types"};
  return w;
}

const word_set& empty_words() {
  static const word_set w{
      "a", "an", "the", "and", "or", "but", "if", "of", "to", "in", "on", "at", "for", "with", "by", "from", "about",
      "as", "into", "so", "than", "too", "very", "just", "also", "is", "are", "was", "were", "be", "been", "being",
      "am", "do", "does", "did", "doing", "done", "have", "has", "had", "having", "get", "gets", "got", "getting",
      "go", "going", "i", "me", "my", "mine", "myself", "i'm", "im", "i've", "ive", "i'd", "id", "i'll", "you", "your",
      "yours", "you're", "youre", "u", "ur", "we", "our", "us", "he", "she", "him", "her", "his", "they", "them",
      "their", "it", "its", "it's", "this", "that", "these", "those", "there", "here", "what", "which", "who", "whom",
      "why", "how", "where", "when", "whether", "what's", "whats", "how's", "hows", "can", "could", "would", "should",
      "will", "shall", "may", "might", "must", "need", "want", "wondering", "wonder", "know", "tell", "please", "pls",
      "any", "some", "anything", "something", "all", "more", "most", "really", "actually", "quick",
      "question", "questions", "ask", "asking", "thing", "things", "like", "kind", "sort", "ok", "okay", "yes", "no",
      "not", "then", "now", "one", "someone", "anyone", "let", "lets", "hope", "hoping", "well", "help", "helping",
      "appreciate", "appreciated", "thanks", "thank", "advance", "info", "information", "details", "detail", "find",
      "out", "think", "thoughts", "asap", "soon", "possible", "else", "further", "next", "few", "couple", "hear",
      "back", "hi", "hello", "hey", "there", "doing", "good", "great", "nice", "fine", "day", "today", "sure",
      "right", "idea", "ideas", "please", "again", "etc", "don't", "dont", "isn't", "isnt", "can't", "cant", "won't",
      "wont", "didn't", "didnt", "curious", "interested", "keen", "clarify", "explain", "understand", "check",
      "confirm", "advise", "advice", "still", "even", "though", "ever", "already", "anyway", "bit", "lot", "lots",
      "two", "three", "four", "five", "able", "lol", "haha", "yeah", "mainly", "basically", "honestly", "sorry"};
  return w;
}

std::vector<std::string> content_words(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& t : tokens(s))
    if (!empty_words().count(t.w) && !fillers().count(t.w)) out.push_back(t.w);
  return out;
}

phrase_table::phrase_table(std::initializer_list<std::string_view> phrases) {
  for (auto p : phrases) {
    add(p);
    // People drop apostrophes ("id like to know"); accept both spellings.
    if (p.find('\'') != std::string_view::npos) {
      std::string bare(p);
      bare.erase(std::remove(bare.begin(), bare.end(), '\''), bare.end());
      add(bare);
    }
  }
  for (auto& [first, list] : by_first_)
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

void phrase_table::add(std::string_view p) {
  std::vector<std::string> words;
  for (const auto& t : tokens(p)) words.push_back(t.w);
  if (!words.empty()) by_first_[words.front()].push_back(std::move(words));
}

const phrase_table& filler_phrases() {
  static const phrase_table t{"first of all", "to be honest", "one more thing", "last but not least",
                              "on top of that", "by the way", "in addition", "last of all", "most importantly",
                              "more importantly", "just to check", "out of curiosity", "just out of curiosity",
                              "another thing", "the other thing", "apart from that", "other than that", "as well"};
  return t;
}

const phrase_table& frames() {
  static const phrase_table t{
      "tell me about", "tell me more about", "tell me", "can you tell me", "could you tell me", "would you tell me",
      "please tell me", "let me know", "please let me know", "can you let me know", "could you let me know",
      "i'd like to know", "i would like to know", "i'd love to know", "i would love to know", "i want to know",
      "i wanted to know", "i'd like to ask", "i would like to ask", "i want to ask", "i wanted to ask",
      "i'd like to find out", "i would like to find out", "i want to find out", "i need to know",
      "i'd like to understand", "i would like to understand", "i want to understand", "i was wondering",
      "i'm wondering", "i am wondering", "i was just wondering", "just wondering", "also wondering", "wondering",
      "i wonder", "can you explain", "could you explain", "please explain", "can you advise", "could you advise",
      "please advise", "i'm interested to know", "interested to know", "interested in knowing", "i'm curious",
      "curious", "keen to know", "my question is", "my other question is", "my next question is",
      "another question is", "i have a question about", "i've got a question about", "question about",
      "i'm not sure", "i am not sure", "not sure", "i don't know", "i do not know", "do you know", "any info on",
      "any information on", "any information about", "any info about", "any advice on", "any advice about",
      "any details on", "more info on", "more information on", "more information about", "i need information on",
      "i need info on", "i'd appreciate", "i would appreciate", "can you clarify", "could you clarify",
      "please clarify", "i'd like to check", "i want to check", "i'd like to confirm", "i want to confirm",
      "i'd also like to know", "i would also like to know", "i also want to know", "i also wanted to know",
      "i also need to know", "also like to know", "i'd like some information on", "i'd like some information about",
      "i'd like some info on", "i'd like more information on", "i'd like more information about",
      "is it true that", "is it true", "is it correct that", "is it right that", "am i right that",
      "am i right in thinking that", "am i right in thinking",
      // A worry told is a question asked: "my main concern is the dots spreading".
      "my concern is", "my main concern", "my biggest concern", "my only concern",
      "my one concern", "my worry is", "my main worry", "my big worry", "my biggest worry", "my only worry",
      "i'm worried about", "i am worried about", "i'm worried that", "i am worried that", "i'm concerned about",
      "i am concerned about", "i'm concerned that", "i am concerned that", "i worry about", "i worry that",
      "i'm nervous about", "i am nervous about", "i'm scared that", "i'm afraid that"};
  return t;
}

const word_set& frame_connectors() {
  static const word_set w{"about", "on", "regarding", "re", "if", "whether", "is", "for", "of", "any", "some", "more",
                          "info", "information", "details", "advice", "your", "thoughts"};
  return w;
}

const phrase_table& staff_phrases() {
  static const phrase_table t{
      "call me", "ring me", "phone me", "text me", "email me", "e-mail me", "contact me", "reach me",
      "get back to me", "send me", "message me", "whatsapp", "my number", "my mobile", "call back", "ring back",
      "call you", "book", "booking", "booked", "make an appointment", "book an appointment", "get an appointment",
      "schedule an appointment", "appointment slot", "appointments available", "availability", "are you available",
      "slot", "slots", "opening hours", "open on", "are you open", "your hours", "where are you", "where is your",
      "your location", "your address", "located", "parking", "directions", "finance", "financing", "payment plan",
      "payment plans", "pay monthly", "monthly payments", "pay in instalments", "instalments", "installments",
      "klarna", "deposit", "refund", "refunds", "cancel", "cancellation", "reschedule", "voucher", "vouchers",
      "discount", "discounts", "promo", "do you offer", "you offer", "do you do", "do you have any",
      "do you have a", "do you have an", "do you take", "do you accept", "you accept", "your clinic", "your artist",
      "your artists", "your practitioner", "your practitioners", "your team", "your staff", "your portfolio",
      "portfolio", "before and after", "your photos", "your pictures", "your work", "reviews", "your website",
      "insurance", "nhs", "my next session", "my next appointment", "next appointment", "when is my",
      "free consultation", "consultation fee", "fit me in", "waiting list", "wait list", "how far in advance",
      "gift", "how long have you", "your own", "card payment", "pay by card", "pay cash", "in cash", "can you fix",
      "could you fix", "can you redo", "could you redo", "can you correct", "could you correct", "can you repair",
      "could you repair"};
  return t;
}

const phrase_table& pleasantries() {
  static const phrase_table t{"hope you", "i hope you", "hope this", "i hope this", "hope all", "i hope all",
                              "hope your", "how are you", "how r u", "how are things", "how's it going",
                              "how is it going", "how have you been", "how was your", "how's your", "how is your day",
                              "how are you doing", "are you well", "hope you're", "hope you are", "hope everyone",
                              "thanks for", "thank you for", "sorry for", "sorry if", "sorry to",
                              "hope you're well", "hope you are well", "hope all is well", "had a lovely",
                              "had a good", "had a nice", "had a great"};
  return t;
}

const word_set& comparison_words() {
  static const word_set w{"between", "difference", "differences", "compare", "compared", "comparison", "vs", "versus",
                          "both", "either"};
  return w;
}

}  // namespace cited::email_detail
