#include "sign_reader.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <unordered_set>

#include "warning_signs.hpp"

namespace cited {
namespace {

// A body temperature that is a fever, in Celsius or Fahrenheit: "38.9", "101.5".
bool fever_number(const std::string& w) {
  if (w.empty() || w.front() < '0' || w.front() > '9') return false;
  double value = 0;
  const auto [end, error] = std::from_chars(w.data(), w.data() + w.size(), value);
  if (error != std::errc() || end != w.data() + w.size()) return false;
  return (value >= 37.8 && value <= 43.0) || (value >= 100.4 && value <= 110.0);
}

}  // namespace

struct sign_reader::context {
  std::vector<std::size_t> sentence_of;  // per word
  std::vector<std::size_t> part_of;      // per word: stretches between any punctuation
  std::vector<std::size_t> clause_of;    // per word: parts split further at "but", "and", ...
  std::vector<span> sentences, parts, clauses;
  std::array<std::vector<span>, cue_kinds> cues;  // by kind, in order; not-cues taken out
  std::vector<bool> opens_with_or;                // per clause: "no pus or swelling" is one denial
  // per clause: opens with "and"/"or" and no punctuation, so a condition or a modal before it
  // runs on ("if it gets red and hot and spreads"), unless a report starts it ("and my head").
  std::vector<bool> runs_on;
  // per part: it speaks of the rest of the scalp ("the rest of it is flat", "everywhere else")
  std::vector<bool> of_the_rest;
};

sign_reader::sign_reader(const warning_sign_list& list, const folder& fold) {
  const auto& kinds = calm_cue_kinds();
  if (kinds.size() != cue_kinds) throw std::logic_error("sign_reader: cue kinds out of step with calm_cue_kinds()");
  for (const auto& [kind, phrases] : list.calm) {
    const auto at = std::find(kinds.begin(), kinds.end(), kind);
    if (at == kinds.end()) continue;  // check() reports it; the reader ignores what it cannot use
    const auto k = static_cast<cue>(at - kinds.begin());
    for (const auto& p : phrases) {
      auto ws = fold(p);
      if (ws.empty()) continue;
      auto& bucket = cues_[ws.front()];
      if (std::find(bucket.begin(), bucket.end(), std::pair{ws, k}) == bucket.end()) bucket.emplace_back(std::move(ws), k);
    }
  }
  for (const auto& s : list.signs) {
    const auto sign_index = static_cast<std::uint32_t>(signs_.size());
    signs_.push_back({s.name, s.local});
    for (const auto& p : s.patterns) {
      if (p.slots.empty() || p.slots.size() >= 32) continue;  // a slot is a bit of a 32-bit mask; check() allows 8
      const auto pattern_index = static_cast<std::uint32_t>(patterns_.size());
      patterns_.push_back({sign_index, static_cast<std::uint32_t>(p.slots.size()), p.within ? p.within : list.window,
                           p.graded || p.slots.size() > 1});
      for (std::size_t k = 0; k < p.slots.size(); ++k) {
        const auto slot = static_cast<std::uint32_t>(k);
        auto add = [&](const std::string& written) {
          auto ws = fold(written);
          if (ws.empty()) return;
          auto& bucket = slots_[ws.front()];
          const bool known = std::any_of(bucket.begin(), bucket.end(), [&](const slot_phrase& e) {
            return e.pattern == pattern_index && e.slot == slot && e.words == ws;
          });
          if (!known) bucket.push_back({std::move(ws), pattern_index, slot});
        };
        for (const auto& alternative : p.slots[k]) {
          if (alternative == "#temperature") {
            temperature_slots_.emplace_back(pattern_index, slot);
          } else if (!alternative.empty() && alternative.front() == '@') {
            if (auto set = list.sets.find(alternative.substr(1)); set != list.sets.end())
              for (const auto& member : set->second) add(member);
          } else {
            add(alternative);
          }
        }
      }
    }
  }
}

std::vector<std::string> sign_reader::vocabulary() const {
  std::vector<std::string> out;
  for (const auto& [first, phrases] : slots_)
    for (const auto& p : phrases) out.insert(out.end(), p.words.begin(), p.words.end());
  for (const auto& [first, phrases] : cues_)
    for (const auto& p : phrases) out.insert(out.end(), p.first.begin(), p.first.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool sign_reader::matches(const std::vector<std::string>& words, std::size_t i, const phrase& p) {
  if (i + p.size() > words.size()) return false;
  return std::equal(p.begin(), p.end(), words.begin() + static_cast<std::ptrdiff_t>(i),
                    [](const std::string& written, const std::string& w) { return w == written || plural_of(w, written); });
}

bool sign_reader::plural_of(const std::string& w, const std::string& written) {
  // The list names a thing once ("area", "lump", "blister"); patients write "areas", "lumps".
  // Words of three letters or more only: "is" is not "i", nor "its" "it".
  return written.size() >= 3 && w.size() == written.size() + 1 && w.back() == 's' && w.starts_with(written);
}

template <typename Map>
auto sign_reader::starting_with(const Map& by_first, const std::string& w) -> decltype(by_first.end()) {
  auto it = by_first.find(w);
  if (it == by_first.end() && w.size() >= 4 && w.back() == 's') it = by_first.find(w.substr(0, w.size() - 1));
  return it;
}

sign_reader::context sign_reader::read_context(const std::vector<std::string>& words,
                                               const std::vector<std::uint8_t>& pauses) const {
  context c;
  std::array<std::vector<span>, cue_kinds> found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = starting_with(cues_, words[i]);
    if (it == cues_.end()) continue;
    for (const auto& [p, kind] : it->second)
      if (matches(words, i, p)) found[static_cast<std::size_t>(kind)].push_back({i, i + p.size()});
  }
  // "not just", "a bit of", "ever since": words that would be cues, but not here.
  const auto& not_cues = found[static_cast<std::size_t>(cue::not_cue)];
  for (std::size_t k = 0; k < cue_kinds; ++k) {
    if (k == static_cast<std::size_t>(cue::not_cue) || k == static_cast<std::size_t>(cue::figurative)) {
      c.cues[k] = found[k];
      continue;
    }
    for (const span& s : found[k])
      if (std::none_of(not_cues.begin(), not_cues.end(), [&](const span& n) { return n.begin < s.end && s.begin < n.end; }))
        c.cues[k].push_back(s);
  }

  std::vector<bool> clause_word(words.size(), false), report_word(words.size(), false);
  for (const span& s : c.cues[static_cast<std::size_t>(cue::clause_word)]) clause_word[s.begin] = true;
  for (const span& s : c.cues[static_cast<std::size_t>(cue::report_start)]) report_word[s.begin] = true;
  c.sentence_of.resize(words.size());
  c.part_of.resize(words.size());
  c.clause_of.resize(words.size());
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::uint8_t pause = i < pauses.size() ? pauses[i] : 0;
    if (i == 0 || pause >= 2) c.sentences.push_back({i, i});
    if (i == 0 || pause >= 1) c.parts.push_back({i, i});
    if (i == 0 || pause >= 1 || clause_word[i]) {
      c.clauses.push_back({i, i});
      const bool joins = pause == 0 && (words[i] == "and" || words[i] == "or" || words[i] == "nor");
      c.opens_with_or.push_back(joins && words[i] != "and");
      c.runs_on.push_back(joins && !(i + 1 < words.size() && report_word[i + 1]));
    }
    if (c.of_the_rest.size() < c.parts.size()) c.of_the_rest.push_back(false);
    if ((words[i] == "rest" && i > 0 && words[i - 1] == "the") || (words[i] == "else" && i > 0 && words[i - 1] == "everywhere"))
      c.of_the_rest.back() = true;
    c.sentences.back().end = c.parts.back().end = c.clauses.back().end = i + 1;
    c.sentence_of[i] = c.sentences.size() - 1;
    c.part_of[i] = c.parts.size() - 1;
    c.clause_of[i] = c.clauses.size() - 1;
  }
  return c;
}

const char* sign_reader::calm_reason(const std::vector<span>& match, const pattern_info& pattern, const context& c) const {
  const sign_info& sign = signs_[pattern.sign];
  std::size_t first = match.front().begin, last_end = match.front().end;
  for (const span& m : match) {
    first = std::min(first, m.begin);
    last_end = std::max(last_end, m.end);
  }
  const std::size_t last = last_end - 1;
  auto in_match = [&](const span& s) {
    return std::any_of(match.begin(), match.end(), [&](const span& m) { return s.begin < m.end && m.begin < s.end; });
  };
  auto cues = [&](cue kind) -> const std::vector<span>& { return c.cues[static_cast<std::size_t>(kind)]; };
  auto any_cue = [&](cue kind, auto&& where) {
    const auto& list = cues(kind);
    return std::any_of(list.begin(), list.end(), [&](const span& s) { return !in_match(s) && where(s); });
  };
  auto everywhere = [](const span&) { return true; };
  // Words just before a sign's word that deny it: "no pus", "not swollen", "never had a rash".
  // A denial runs on through "or": "no bubbles or blisters", "no fever or chills".
  auto same_denial = [&](std::size_t a, std::size_t b) {
    for (std::size_t k = c.clause_of[a] + 1; k <= c.clause_of[b]; ++k)
      if (!c.opens_with_or[k]) return false;
    return true;
  };
  auto negated_at = [&](std::size_t at, std::size_t gap) {
    return any_cue(cue::negation, [&](const span& n) { return n.end <= at && at - n.end <= gap && same_denial(n.begin, at); });
  };

  if (any_cue(cue::disclaimer, everywhere)) return "said to be unrelated";
  for (const span& m : match)
    if (negated_at(m.begin, 3)) return "negated";
  // A denial told after the sign, as the answer to it: "fever? no.", "pus - none".
  if (last_end < c.part_of.size() && c.part_of[last_end] != c.part_of[last]) {
    const span answer = c.parts[c.part_of[last_end]];
    if (answer.end - answer.begin <= 2 && any_cue(cue::negation, [&](const span& n) { return n.begin == answer.begin; }))
      return "negated";
  }
  // "slightly raised", "a bit puffy", "a bit dizzy": a degree, for the signs told with one (every
  // pattern of several slots, and those marked graded); "a slight fever" is still a fever.
  if (pattern.graded)
    for (const span& m : match)
      if (any_cue(cue::mild, [&](const span& x) { return x.end == m.begin; })) return "mild";

  // A sentence that opens by asking in general ("can smp get infected?") asks about the sign,
  // up to a new report inside it ("what do i do my head is bleeding").
  const span sentence = c.sentences[c.sentence_of[first]];
  std::size_t start = sentence.begin;
  for (bool skipped = true; skipped && start < sentence.end;) {
    skipped = false;
    for (const span& f : cues(cue::filler))
      if (f.begin == start && f.end <= sentence.end) {
        start = f.end;
        skipped = true;
        break;
      }
  }
  for (const span& o : cues(cue::opener)) {
    if (o.begin != start || in_match(o)) continue;
    std::size_t reach = c.parts[c.part_of[o.begin]].end;
    for (const span& r : cues(cue::report_start)) {
      if (r.begin < o.begin + 3 || r.begin >= reach) continue;
      const bool after_preposition = std::any_of(cues(cue::preposition).begin(), cues(cue::preposition).end(),
                                                 [&](const span& p) { return p.end == r.begin; });
      if (!after_preposition) {
        reach = r.begin;
        break;
      }
    }
    if (first >= o.begin && first < reach) return "a general question";
  }

  const std::size_t clause = c.clause_of[first];
  // The cue's clause, or one run on from it by "and"/"or": "if it gets red and hot and spreads".
  auto reaches = [&](const span& k) {
    for (std::size_t j = c.clause_of[k.begin] + 1; j <= clause; ++j)
      if (!c.runs_on[j]) return false;
    return c.clause_of[k.begin] <= clause;
  };
  // "wondering if", "not sure whether": a question put inside a sentence asks in general, up to
  // a report ("just wondering if its normal that my scalp is oozing"); its "if" is no condition.
  const auto& asks = cues(cue::asks_whether);
  auto inside_ask = [&](const span& k) {
    return std::any_of(asks.begin(), asks.end(), [&](const span& a) { return a.begin < k.end && k.begin < a.end; });
  };
  auto report_between = [&](std::size_t a, std::size_t b) {
    return any_cue(cue::report_start, [&](const span& r) { return r.begin >= a && r.begin < b; });
  };
  if (any_cue(cue::asks_whether, [&](const span& a) { return a.end <= first && reaches(a) && !report_between(a.end, first); }))
    return "a general question";
  if (any_cue(cue::conditional, [&](const span& k) { return k.end <= first && reaches(k) && !inside_ask(k); }))
    return "a condition";
  const std::size_t from = c.sentences[c.sentence_of[first]].begin, to = c.sentences[c.sentence_of[last]].end;
  if (any_cue(cue::hypothetical, [&](const span& h) { return h.begin >= from && h.end <= to; })) return "hypothetical";
  if (any_cue(cue::generic_person, [&](const span& g) {
        return g.end <= first && reaches(g) && !report_between(g.end, first);
      }))
    return "people in general";
  if (any_cue(cue::modal, [&](const span& m) {
        return m.end <= first && reaches(m) && !report_between(m.end, first) &&
               !any_cue(cue::hedge, [&](const span& h) { return h.end <= m.begin && c.clause_of[h.begin] == c.clause_of[m.begin]; });
      }))
    return "future or hypothetical";

  const std::size_t region_begin = c.clauses[clause].begin, region_end = c.clauses[c.clause_of[last]].end;
  auto in_region = [&](const span& s) { return s.begin >= region_begin && s.end <= region_end; };
  // Told as past in its sentence ("burned it in the sun last summer and it blistered"), unless
  // its own clause says now ("had smp last month and theres pus", "recently it has gone lumpy").
  const bool now = any_cue(cue::present_time, in_region);
  // A time in a clause about the session dates the session, not the sign: "had my first session
  // a month ago, but one area has been an open sore ever since".
  auto dates_the_session = [&](const span& p) {
    const std::size_t k = c.clause_of[p.begin];
    // Outside the sign's own clauses: "9/10" is two clauses at the slash, one sign.
    return (k < clause || k > c.clause_of[last]) && any_cue(cue::session, [&](const span& x) { return c.clause_of[x.begin] == k; });
  };
  if (!now && any_cue(cue::past_time, [&](const span& p) { return p.begin >= from && p.end <= to && !dates_the_session(p); }))
    return "past";
  // A habit or a known condition colours everything up to the next punctuation: "i get hay
  // fever and hives from cats".
  const std::size_t part_begin = c.parts[c.part_of[first]].begin, part_end = c.parts[c.part_of[last]].end;
  auto in_part = [&](const span& s) { return s.begin >= part_begin && s.end <= part_end; };
  // ... unless it is going on right now ("keeps bleeding whenever i touch it, for hours now").
  if (!any_cue(cue::right_now, [&](const span& r) { return r.begin >= from && r.end <= to; }) && any_cue(cue::habitual, in_part))
    return "habitual";
  if (any_cue(cue::condition, [&](const span& k) { return in_part(k) && !negated_at(k.begin, 3); })) return "a known condition";
  // Someone else's, told in the past: the verb may be the sign's own ("my brother came out in hives").
  const auto& past_verbs = cues(cue::past_verb);
  if (!now && any_cue(cue::other_person, in_region) && std::any_of(past_verbs.begin(), past_verbs.end(), in_region))
    return "someone else, in the past";
  // A thing, not a body, is the sign's subject: "my ego has swollen", "the wait is agony".
  if (any_cue(cue::figurative_subject, [&](const span& f) {
        return f.end <= first && c.clause_of[f.begin] == clause && !any_cue(cue::on_scalp, [&](const span& b) { return b.begin >= f.end && b.end <= first; });
      }))
    return "a figure of speech";
  // Someone else is the sign's subject, and nothing turns it back to the writer ("my son's come
  // down with a fever", "my mum gets migraines with flashing lights"; not "my wife says my
  // scalp is oozing"), unless that someone is the one who had the session ("my husband had
  // smp on monday, ...").
  auto own_word_between = [&](std::size_t a, std::size_t b) {
    return any_cue(cue::own_word, [&](const span& w) { return w.begin >= a && w.end <= b; });
  };
  // Their session is one told as had ("had", "since his"), not asked about or still to come.
  auto their_session = [&](const span& o) {
    return any_cue(cue::session, [&](const span& x) {
      const std::size_t k = c.clause_of[x.begin];
      auto between = [&](const span& q) { return q.begin >= o.end && q.end <= x.begin && c.clause_of[q.begin] == k; };
      auto told_as_had = [&](const span& v) { return v.begin >= o.end && v.end <= x.begin; };
      return x.begin >= o.end && !own_word_between(o.end, x.begin) && !any_cue(cue::opener, between) &&
             !any_cue(cue::modal, between) && std::any_of(past_verbs.begin(), past_verbs.end(), told_as_had);
    });
  };
  if (any_cue(cue::someone_elses, [&](const span& o) {
        return o.end <= first && c.part_of[o.begin] == c.part_of[first] && !own_word_between(o.end, first);
      }) &&
      !any_cue(cue::someone_elses, their_session))
    return "someone else";
  // "my heel is blistered" is elsewhere; "the crown is hot when i put my hand on it" is not.
  // The body part may stand in an earlier clause the sign's "it" refers back to: "cut my finger
  // and it bled loads" (not one told after it: "theres pus and i touched it with my hand").
  auto before_in_part = [&](const span& s) { return in_region(s) || (s.begin >= part_begin && s.end <= first); };
  // The scalp named only to be denied ("on my heel, not the scalp") does not bring the sign back.
  auto on_the_scalp_here = [&](const span& s) { return before_in_part(s) && !negated_at(s.begin, 2); };
  if (sign.local && any_cue(cue::elsewhere, before_in_part) && !any_cue(cue::on_scalp, on_the_scalp_here))
    return "elsewhere on the body";
  // "it stopped straight away", "long gone now": told after the sign as a fact ("when will it
  // go down?", "until it settles" resolve nothing), in its sentence or in the next when that
  // one speaks of it again ("woke up with some swelling. It's much better today"; not "The
  // rest healed weeks ago").
  std::size_t sentence_end = c.sentences[c.sentence_of[last]].end;
  if (const std::size_t next = c.sentence_of[last] + 1; next < c.sentences.size())
    if (any_cue(cue::report_start, [&](const span& r) { return r.begin == c.sentences[next].begin; }))
      sentence_end = c.sentences[next].end;
  // An opener asks only where it opens a stretch ("theres pus, when will it clear?"); inside one
  // it joins ("weeping on day 1 which stopped by day 2").
  auto asked_before = [&](const span& r) {
    for (cue kind : {cue::opener, cue::modal, cue::conditional})
      if (any_cue(kind, [&](const span& q) {
            return q.begin >= last_end && q.end <= r.begin && c.clause_of[q.begin] == c.clause_of[r.begin] &&
                   (kind != cue::opener || c.parts[c.part_of[q.begin]].begin == q.begin);
          }))
        return true;
    return false;
  };
  // A stretch about the rest of the scalp resolves nothing of the sign: "hard lumps that seem
  // to be getting bigger, the rest of the scalp is flat".
  auto of_the_rest = [&](const span& r) { return c.of_the_rest[c.part_of[r.begin]] && c.part_of[r.begin] != c.part_of[first]; };
  // A denial two words before it ("not getting any smaller", "hasnt really gone down") undoes it.
  if (any_cue(cue::resolved, [&](const span& r) {
        return r.begin >= last_end && r.begin < sentence_end && !negated_at(r.begin, 2) && !asked_before(r) && !of_the_rest(r);
      }))
    return "resolved";
  return nullptr;
}

sign_reading sign_reader::read(const std::vector<std::string>& words, const std::vector<std::uint8_t>& pauses) const {
  sign_reading out;
  std::vector<occurrence> found;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (auto it = starting_with(slots_, words[i]); it != slots_.end()) {
      for (const auto& p : it->second)
        if (matches(words, i, p.words)) found.push_back({p.pattern, p.slot, {i, i + p.words.size()}});
    } else if (!temperature_slots_.empty() && fever_number(words[i])) {
      for (const auto& [pattern, slot] : temperature_slots_) found.push_back({pattern, slot, {i, i + 1}});
    }
  }
  if (found.empty()) return out;
  std::vector<std::uint32_t> seen(patterns_.size(), 0);
  for (const auto& o : found) seen[o.pattern] |= std::uint32_t{1} << o.slot;
  auto complete = [&](std::uint32_t p) { return seen[p] == (std::uint32_t{1} << patterns_[p].slots) - 1; };
  bool any = false;
  for (std::uint32_t p = 0; p < patterns_.size() && !any; ++p) any = complete(p);
  if (!any) return out;

  const context c = read_context(words, pauses);
  // A sign's words inside a figure of speech are none ("hay fever"), unless the sign's phrase
  // holds the whole figure and says more ("allergic to the ink" beside "allergic to").
  const auto& figures = c.cues[static_cast<std::size_t>(cue::figurative)];
  auto figurative = [&](const span& s) {
    return std::any_of(figures.begin(), figures.end(), [&](const span& f) {
      const bool holds = s.begin <= f.begin && f.end <= s.end && s.end - s.begin > f.end - f.begin;
      return f.begin < s.end && s.begin < f.end && !holds;
    });
  };
  for (std::uint32_t p = 0; p < patterns_.size(); ++p) {
    if (!complete(p)) continue;
    const pattern_info& info = patterns_[p];
    for (const auto& head : found) {
      if (head.pattern != p || head.slot != 0 || figurative(head.at)) continue;
      // Each further slot takes its nearest words that are free.
      std::vector<span> match{head.at};
      for (std::uint32_t k = 1; k < info.slots; ++k) {
        const occurrence* best = nullptr;
        std::size_t best_distance = 0;
        for (const auto& o : found) {
          if (o.pattern != p || o.slot != k || figurative(o.at)) continue;
          if (std::any_of(match.begin(), match.end(), [&](const span& m) { return o.at.begin < m.end && m.begin < o.at.end; }))
            continue;
          const std::size_t distance = o.at.begin >= head.at.end ? o.at.begin - head.at.end : head.at.begin - o.at.end;
          if (!best || distance < best_distance) {
            best = &o;
            best_distance = distance;
          }
        }
        if (!best) break;
        match.push_back(best->at);
      }
      if (match.size() != info.slots) continue;
      std::size_t begin = head.at.begin, end = head.at.end;
      for (const span& m : match) {
        begin = std::min(begin, m.begin);
        end = std::max(end, m.end);
      }
      // An aside between the sign's words is no distance between them: "the puffiness of my
      // forehead, which I was told would settle within a day or two, has increased".
      std::size_t aside = 0;
      for (std::size_t k = c.part_of[begin] + 1; k < c.parts.size() && c.parts[k].end < end; ++k) {
        static const std::unordered_set<std::string> relatives{"which", "who", "whom", "whose"};
        const span& part = c.parts[k];
        if (relatives.contains(words[part.begin]) &&
            std::none_of(match.begin(), match.end(), [&](const span& m) { return m.begin < part.end && part.begin < m.end; }))
          aside += part.end - part.begin;
      }
      if (info.slots > 1 && end - begin - aside > info.within) continue;
      const sign_info& sign = signs_[info.sign];
      if (const char* why = calm_reason(match, info, c)) {
        if (out.sign.empty()) {
          out.sign = sign.name;
          out.calm = why;
        }
        continue;
      }
      out.urgent = true;
      out.sign = sign.name;
      out.calm.clear();
      out.symptoms.assign(words.begin() + static_cast<std::ptrdiff_t>(head.at.begin), words.begin() + static_cast<std::ptrdiff_t>(head.at.end));
      return out;
    }
  }
  return out;
}

}  // namespace cited
