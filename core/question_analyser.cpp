#include "question_analyser.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_set>

namespace cited {
namespace {

std::vector<std::string> split_words(std::string_view folded) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < folded.size();) {
    const std::size_t space = std::min(folded.find(' ', at), folded.size());
    if (space > at) out.emplace_back(folded.substr(at, space - at));
    at = space + 1;
  }
  return out;
}

// The forms a word may stand for without its English inflection: "hurting" -> "hurt",
// "fading" -> "fade", "scars" -> "scar". Tried only when the word itself is not known.
std::vector<std::string> uninflected(const std::string& w) {
  std::vector<std::string> out;
  auto strip = [&](std::string_view suffix, bool restore_e) {
    if (w.size() < suffix.size() + 3 || w.compare(w.size() - suffix.size(), suffix.size(), suffix) != 0) return;
    std::string stem = w.substr(0, w.size() - suffix.size());
    out.push_back(stem);
    if (restore_e) out.push_back(stem + "e");
    if (stem.size() > 3 && stem.back() == stem[stem.size() - 2]) out.push_back(stem.substr(0, stem.size() - 1));
  };
  strip("ing", true);
  strip("ed", true);
  strip("es", false);
  strip("s", false);
  strip("ly", false);
  return out;
}

// One form for a word's inflections, for comparing questions with phrasings: "fades", "faded",
// "fading" and "fade" all become "fad". Crude, but the same on both sides, and it only has to
// tell the phrasings' words apart, not be English.
std::string phrasing_stem(std::string w) {
  if (w.size() <= 3) return w;
  auto ends = [&](std::string_view s) { return w.size() > s.size() + 2 && w.ends_with(s); };
  if (ends("ing")) w.resize(w.size() - 3);
  else if (ends("ed") || ends("es")) w.resize(w.size() - 2);
  else if (ends("s") && !w.ends_with("ss")) w.resize(w.size() - 1);
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  if (w.size() > 3 && w.back() == w[w.size() - 2] && w.back() != 'l' && w.back() != 's') w.pop_back();
  return w;
}

std::string join(const std::vector<std::string>& words, std::size_t from, std::size_t count) {
  std::string out;
  for (std::size_t k = from; k < from + count; ++k) {
    if (!out.empty()) out += ' ';
    out += words[k];
  }
  return out;
}

}  // namespace

void question_analyser::phrase_list::add(phrase p) {
  if (p.empty()) return;
  auto& list = by_first[p.front()];
  list.push_back(std::move(p));
  std::stable_sort(list.begin(), list.end(), [](const phrase& a, const phrase& b) { return a.size() > b.size(); });
}

std::size_t question_analyser::phrase_list::match(const std::vector<std::string>& words, std::size_t i) const {
  auto it = by_first.find(words[i]);
  if (it == by_first.end()) return 0;
  for (const auto& p : it->second) {
    if (i + p.size() > words.size()) continue;
    if (std::equal(p.begin(), p.end(), words.begin() + static_cast<std::ptrdiff_t>(i))) return p.size();
  }
  return 0;
}

bool question_analyser::phrase_list::found_in(const std::vector<std::string>& words) const {
  for (std::size_t i = 0; i < words.size(); ++i)
    if (match(words, i)) return true;
  return false;
}

question_analyser::question_analyser(const lexicon& lex, const vocabulary& vocab, const text_normaliser& normaliser,
                                     const weights& weighting)
    : vocab_(vocab), weights_(weighting), common_words_(lex.common_words.begin(), lex.common_words.end()), normaliser_(normaliser) {
  for (const auto& [from, to] : lex.respellings) {
    const std::string key = normaliser_.fold(from);
    if (!key.empty() && key.find(' ') == std::string::npos) respellings_[key] = split_words(normaliser_.fold(to));
  }
  // The lexicon's phrases are read like messages, respellings included, so "wont" in a
  // warning sign meets "wont" in a message.
  auto folded_words = [&](const std::string& s) {
    std::vector<std::string> out;
    for (auto& w : split_words(normaliser_.fold(s))) {
      if (auto it = respellings_.find(w); it != respellings_.end()) out.insert(out.end(), it->second.begin(), it->second.end());
      else out.push_back(std::move(w));
    }
    return out;
  };
  for (const auto& w : lex.stop_words)
    for (auto& f : folded_words(w)) stop_words_.insert(f);
  for (const auto& [key, values] : lex.synonyms) {
    auto key_words = folded_words(key);
    if (key_words.empty()) continue;
    auto& terms = synonyms_[join(key_words, 0, key_words.size())];
    for (const auto& v : values) {
      std::string folded = normaliser_.fold(v);
      if (!folded.empty() && std::find(terms.begin(), terms.end(), folded) == terms.end()) terms.push_back(folded);
    }
    synonym_keys_.add(std::move(key_words));
  }
  // The synonym table's one-word keys and one-word terms are concepts of this domain, never
  // mere everyday English. A phrase's words are not: "how bad" makes no concept of "bad", nor
  // "good candidate" of "good".
  const std::unordered_set<std::string> everyday = common_words_;
  for (const auto& [key, terms] : synonyms_) {
    if (key.find(' ') == std::string::npos) common_words_.erase(key);
    for (const auto& t : terms)
      if (t.find(' ') == std::string::npos) common_words_.erase(t);
  }
  // A synonym key's group is the same in every question: it is made once. The key is searched
  // for too, unless it holds a stop word ("how much").
  for (const auto& [key, values] : synonyms_) {
    const auto key_words = split_words(key);
    std::vector<std::string> terms;
    if (std::none_of(key_words.begin(), key_words.end(), [&](const std::string& w) { return stop_words_.contains(w); }))
      terms.push_back(key);
    for (const auto& t : values)
      if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
    term_group g = make_group(key, std::move(terms));
    // A key that opens with a question word or holds only function words ("how long", "who
    // can", "how does") is the form of a question, which intents read, more than its topic.
    // An everyday word whose only synonyms are its own forms ("work" -> "works") bridges to
    // nothing: it weighs as the everyday word it is.
    auto own_form = [&key_word = key](const std::string& t) {
      if (t == key_word) return true;
      const auto bases = uninflected(t);
      return std::find(bases.begin(), bases.end(), key_word) != bases.end();
    };
    if (everyday.contains(key) && std::all_of(g.terms.begin(), g.terms.end(), own_form)) g.weight *= weights_.common;
    static const std::unordered_set<std::string> question_words{"how", "what", "whats", "who", "whos", "when", "where", "why", "which"};
    if (key_words.size() > 1 && (question_words.contains(key_words.front()) || std::all_of(key_words.begin(), key_words.end(), [&](const std::string& w) {
                                   return stop_words_.contains(w);
                                 })))
      g.weight *= weights_.common;
    synonym_groups_.emplace(key, std::move(g));
  }
  signs_ = sign_reader(lex.warning_signs, folded_words);
  auto fill = [&](phrase_list& list, const std::vector<std::string>& source) {
    for (const auto& p : source) list.add(folded_words(p));
  };
  fill(greetings_, lex.greetings);
  fill(thanks_, lex.thanks);
  fill(goodbyes_, lex.goodbyes);
  fill(identity_, lex.identity_questions);
  fill(follow_up_, lex.follow_up_markers);
  fill(joiners_, lex.joiners);
  fill(personal_, lex.personal_questions);
  fill(subject_, lex.subject);
  // "Scalp micropigmentation treatments" names the treatment as "scalp micropigmentation
  // treatment" does: a name's last word may stand in the plural.
  for (const auto& name : lex.subject)
    if (auto words = folded_words(name); words.size() > 1 && !words.back().ends_with("s")) {
      const std::string singular = join(words, 0, words.size());
      words.back() += "s";
      singular_names_[join(words, 0, words.size())] = singular;
      subject_.add(std::move(words));
    }
  for (const auto& name : lex.subject)
    if (const auto words = folded_words(name); words.size() == 1) subject_words_.push_back(words.front());
  std::map<std::string, std::vector<std::vector<std::string>>> cues;
  for (const auto& [name, phrases] : lex.intents)
    for (const auto& c : phrases) {
      // "!how long does it take to": not this intent where the cue stands so.
      auto words = folded_words(c.starts_with('!') ? c.substr(1) : c);
      if (c.starts_with('!') && !words.empty()) words.insert(words.begin(), "!");
      cues[name].push_back(std::move(words));
    }
  intents_ = intent_reader(cues);

  // Typos are corrected towards any word the assistant understands, not only the index's:
  // "hurtt" should become the synonym key "hurt", "teh" the stop word "the".
  spelling_ = vocab_;
  for (const auto& w : stop_words_) spelling_.add(w, 1);
  for (const auto& [from, to] : respellings_) spelling_.add(from, 1);
  for (const auto& [key, values] : synonyms_) {
    if (key.find(' ') == std::string::npos) spelling_.add(key, 1);
  }
  for (const auto* list : {&greetings_, &thanks_, &goodbyes_, &identity_})
    for (const auto& [first, phrases] : list->by_first)
      for (const auto& p : phrases)
        for (const auto& w : p) spelling_.add(w, 1);
  // Between two corrections as near, the more common word wins, and a warning sign's word
  // outranks any ("bleading" is "bleeding", not "blading"): a missed warning sign costs far more
  // than a calm question read as one.
  const int outranks_any = std::max(vocab_.total_documents(), 1) + 1;
  for (const auto& w : signs_.vocabulary()) spelling_.add(w, outranks_any);
}

std::optional<term_group> question_analyser::inflected_synonym(const std::string& w) const {
  for (const auto& base : uninflected(w)) {
    auto it = synonyms_.find(base);
    if (it == synonyms_.end()) continue;
    std::vector<std::string> terms{w};
    for (const auto& t : it->second)
      if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
    return make_group(base, std::move(terms));
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> question_analyser::expanded_contraction(const std::string& w) const {
  // "wouldnt", "havent", "arent": chat drops the apostrophe, and what is left is a function
  // word and "not", not a topic the documents lack.
  if (w.size() >= 4 && w.ends_with("nt") && !spelling_.contains(w) && !synonyms_.contains(w)) {
    const std::string base = w.substr(0, w.size() - 2);
    if (stop_words_.contains(base)) return std::vector<std::string>{base, "not"};
  }
  // "youve", "theyre", "youll": a pronoun and its verb, which spelling correction would
  // otherwise bend into another word ("youve" to "youre"). Never an everyday word ("well",
  // "were", "shell"), which is what the patient wrote.
  static const std::unordered_set<std::string> pronouns{"i", "you", "we", "they", "he", "she", "it", "that", "there", "who", "what"};
  static const std::pair<const char*, const char*> verbs[] = {{"ve", "have"}, {"re", "are"}, {"ll", "will"}, {"d", "would"}};
  if (common_words_.contains(w) || spelling_.contains(w)) return std::nullopt;
  for (const auto& [ending, verb] : verbs)
    if (w.ends_with(ending) && pronouns.contains(w.substr(0, w.size() - std::strlen(ending))))
      return std::vector<std::string>{w.substr(0, w.size() - std::strlen(ending)), verb};
  return std::nullopt;
}

term_group question_analyser::content_group(const std::string& w) const {
  // FTS5 matches by stem, so a word the index knows only in another form ("factors" where the
  // documents say "factor") is known, not a missing topic.
  if (!vocab_.contains(w))
    for (const auto& base : uninflected(w))
      if (vocab_.contains(base)) return make_group(w, {w, base});
  return make_group(w, {w});
}

std::string question_analyser::spell(const std::string& w) const {
  // An everyday English word is what the patient meant ("open", "sunday"), never a typo.
  if (common_words_.contains(w)) return w;
  // The treatment's name is the word patients write most and misspell most, and a phrasing may
  // hold a misspelling of it too: a word near it is the name ("micropigmentaion", "SMP'd" as
  // "smpd", "smps").
  for (const auto& name : subject_words_) {
    if (w == name) return w;
    if (w.starts_with(name) && w.size() <= name.size() + 2 && (w.ends_with("s") || w.ends_with("d"))) return name;
    if (name.size() >= 10 && edit_distance(w, name, 2) <= 2) return name;
  }
  if (spelling_.contains(w)) return w;
  // Patients misspell the same words again and again; each is mended once. Bounded, since
  // questions may hold any string at all.
  if (auto it = corrections_.find(w); it != corrections_.end()) return it->second;
  std::string fixed = spelling_.correct(w).value_or(w);
  // A known word with an ending added is a different word, not a typo ("blisteringly").
  if (fixed.size() + 2 <= w.size() && w.starts_with(fixed)) fixed = w;
  if (corrections_.size() >= 10'000) corrections_.clear();
  corrections_.emplace(w, fixed);
  return fixed;
}

bool question_analyser::everyday_adverb(const std::string& w) const {
  // An adverb made from an everyday word ("mainly", "honestly", "simply", "happily") says how,
  // not what: unless the documents use it, it is chat, not a topic they lack.
  if (w.size() < 5 || !w.ends_with("ly") || vocab_.contains(w) || !common_words_.contains(w)) return false;
  const std::string base = w.substr(0, w.size() - 2);
  const std::string from_y = w.ends_with("ily") ? w.substr(0, w.size() - 3) + "y" : "";
  const std::string from_le = w.substr(0, w.size() - 1) + "e";
  const std::string from_al = w.ends_with("ally") ? w.substr(0, w.size() - 4) : "";
  for (const auto& b : {base, from_y, from_le, from_al})
    if (b.size() >= 3 && common_words_.contains(b)) return true;
  return false;
}

term_group question_analyser::make_group(std::string origin, std::vector<std::string> terms) const {
  term_group g;
  g.origin = std::move(origin);
  if (terms.size() > max_terms_per_group) terms.resize(max_terms_per_group);
  double known_weight = 0;
  int known_terms = 0;
  for (const auto& t : terms) {
    // A phrase is as telling as its rarest word.
    double phrase_weight = 0;
    bool phrase_known = true;
    for (const auto& w : split_words(t)) {
      if (!vocab_.contains(w)) phrase_known = false;
      phrase_weight = std::max(phrase_weight, vocab_.weight(w));
    }
    if (phrase_known) {
      known_weight += phrase_weight;
      ++known_terms;
    }
  }
  g.known = known_terms > 0;
  // Several synonyms stand for one idea: it weighs their average, not their sum.
  g.weight = g.known ? std::min(known_weight / known_terms, weights_.known_cap) : weights_.unknown;
  g.terms = std::move(terms);
  return g;
}

analysed_question question_analyser::analyse(const std::vector<word>& input) const {
  analysed_question q;
  q.words.reserve(input.size());
  std::vector<std::uint8_t> pauses;  // the punctuation before each word, for the sign reader
  pauses.reserve(input.size());
  for (const auto& w : input) {
    pauses.push_back(w.pause);
    if (auto it = respellings_.find(w.text); it != respellings_.end()) {
      q.words.insert(q.words.end(), it->second.begin(), it->second.end());
      pauses.resize(q.words.size(), 0);
      continue;
    }
    if (auto expanded = expanded_contraction(w.text)) {
      q.words.insert(q.words.end(), expanded->begin(), expanded->end());
      pauses.resize(q.words.size(), 0);
      continue;
    }
    q.words.push_back(spell(w.text));
  }
  const auto& ws = q.words;

  // Small talk: words covered by greeting/thanks/... phrases are not the question's content.
  std::vector<bool> talk(ws.size(), false);
  auto mark_talk = [&](const phrase_list& list, small_talk kind) {
    for (std::size_t i = 0; i < ws.size(); ++i) {
      if (std::size_t n = list.match(ws, i)) {
        std::fill_n(talk.begin() + static_cast<std::ptrdiff_t>(i), n, true);
        if (q.talk == small_talk::none) q.talk = kind;
      }
    }
  };
  mark_talk(identity_, small_talk::identity);
  mark_talk(greetings_, small_talk::greeting);
  mark_talk(thanks_, small_talk::thanks);
  mark_talk(goodbyes_, small_talk::goodbye);

  std::vector<bool> asked_by;
  q.intents = intents_.read(ws, &asked_by);
  std::vector<std::size_t> stop_positions;
  for (std::size_t i = 0; i < ws.size() && q.groups.size() < max_groups;) {
    if (talk[i]) {
      ++i;
      continue;
    }
    // A word not known as it stands may be a synonym key in another form ("scarred").
    if (!synonym_keys_.match(ws, i) && !vocab_.contains(ws[i]) && !stop_words_.contains(ws[i])) {
      if (auto group = inflected_synonym(ws[i])) {
        q.groups.push_back(std::move(*group));
        ++i;
        continue;
      }
    }
    if (std::size_t n = subject_.match(ws, i)) {
      std::string key = join(ws, i, n);
      if (auto it = singular_names_.find(key); it != singular_names_.end()) key = it->second;
      term_group g;
      if (auto it = synonym_groups_.find(key); it != synonym_groups_.end()) {
        g = it->second;
      } else {
        std::string content;
        for (const auto& w : split_words(key))
          if (!stop_words_.contains(w)) content += (content.empty() ? "" : " ") + w;
        g = make_group(key, {content.empty() ? key : content});
      }
      g.subject = true;
      q.groups.push_back(std::move(g));
      i += n;
      continue;
    }
    if (std::size_t n = synonym_keys_.match(ws, i)) {
      q.groups.push_back(synonym_groups_.at(join(ws, i, n)));
      i += n;
      continue;
    }
    // A word of an intent's cue that the index does not know is the question's form, which the
    // intent already carries ("contra indications", "what factors"), not a topic the documents lack.
    if (asked_by[i] && !vocab_.contains(ws[i])) {
      ++i;
      continue;
    }
    if (stop_words_.contains(ws[i]) || everyday_adverb(ws[i])) {
      stop_positions.push_back(i);
    } else {
      term_group g = content_group(ws[i]);
      // Everyday words say little, known or not: an unknown one is more often chat filler
      // ("roughly", "basically") than a topic the documents lack, which tend to be rarer
      // words ("minoxidil", "financing").
      if (common_words_.contains(ws[i])) g.weight *= g.known ? weights_.common : weights_.unknown_common;
      // A number is a detail of the patient's case ("3 days after", "I'm 25"), seldom what
      // the question is about: it weighs as an everyday word.
      else if (std::all_of(ws[i].begin(), ws[i].end(), [](char c) { return c >= '0' && c <= '9'; })) g.weight *= weights_.common;
      q.groups.push_back(std::move(g));
    }
    ++i;
  }
  // A question of nothing but stop words ("will people be able to tell?") is still a question:
  // its longer words are searched for rather than nothing at all.
  if (q.groups.empty() && q.talk == small_talk::none) {
    for (std::size_t i : stop_positions) {
      if (ws[i].size() < 4 || !vocab_.contains(ws[i])) continue;
      term_group g = make_group(ws[i], {ws[i]});
      g.weight *= weights_.common;
      q.groups.push_back(std::move(g));
    }
  }
  // The same idea asked twice counts once, whether in the same words or in two that share a
  // meaning ("how much" and "price" both mean cost).
  std::vector<term_group> unique;
  for (auto& g : q.groups) {
    auto same = std::find_if(unique.begin(), unique.end(), [&](const term_group& u) {
      return u.origin == g.origin || std::any_of(g.terms.begin(), g.terms.end(), [&](const std::string& t) {
               return std::find(u.terms.begin(), u.terms.end(), t) != u.terms.end();
             });
    });
    if (same == unique.end()) {
      unique.push_back(std::move(g));
      continue;
    }
    for (auto& t : g.terms)
      if (same->terms.size() < max_terms_per_group && std::find(same->terms.begin(), same->terms.end(), t) == same->terms.end())
        same->terms.push_back(std::move(t));
    same->weight = std::max(same->weight, g.weight);
    same->known = same->known || g.known;
    same->subject = same->subject && g.subject;
  }
  q.groups = std::move(unique);
  // The treatment's own name tells facts apart only when nothing else is asked ("what is SMP?").
  if (std::any_of(q.groups.begin(), q.groups.end(), [](const term_group& g) { return !g.subject; }))
    for (auto& g : q.groups)
      if (g.subject) g.weight *= weights_.subject;

  // Phrasings say "smp" where questions say "scalp micropigmentation" or "the procedure": to
  // the phrasing matcher every name is the lexicon's last one-word name.
  for (std::size_t i = 0; i < ws.size();) {
    if (std::size_t n = subject_.match(ws, i)) {
      q.phrased.push_back(subject_words_.empty() ? ws[i] : subject_words_.back());
      i += n;
    } else {
      q.phrased.push_back(phrasing_stem(ws[i++]));
    }
  }
  q.only_small_talk = q.talk != small_talk::none && q.groups.empty();
  const sign_reading reading = signs_.read(ws, pauses);
  q.red_flag = reading.urgent;
  q.symptoms = reading.symptoms;
  q.sign = reading.sign;
  q.calm = reading.calm;
  q.follow_up = follow_up_.found_in(ws);
  // "and" opening a message leans on the last one; inside it, it joins two parts.
  for (std::size_t i = 1; i < ws.size() && !q.joined; ++i) q.joined = joiners_.match(ws, i) > 0;
  for (std::size_t i = 0; i < ws.size() && !q.personal; ++i) q.personal = personal_.match(ws, i) > 0;
  return q;
}

}  // namespace cited
