#include "answer_engine.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <regex>

#include "utf8.hpp"
#include "verbatim.hpp"

namespace cited {
namespace {

double total_weight(const std::vector<term_group>& groups) {
  double sum = 0;
  for (const auto& g : groups) sum += g.weight;
  return sum;
}

double matched_weight(const std::vector<term_group>& groups, std::uint64_t matched, std::size_t offset) {
  double sum = 0;
  for (std::size_t i = 0; i < groups.size() && i + offset < 64; ++i)
    if (matched & (std::uint64_t{1} << (i + offset))) sum += groups[i].weight;
  return sum;
}

// Words found in a fact's phrasings or answer count fully; words found only in its quotes,
// which are whole source sentences with much besides the point, count for less.
double credited_weight(const std::vector<term_group>& groups, const search_hit& h, std::size_t offset, double quote_credit) {
  const double in_point = matched_weight(groups, h.matched_in_point, offset);
  const double quote_only = matched_weight(groups, h.matched & ~h.matched_in_point, offset);
  return in_point + quote_credit * quote_only;
}

// "[2]" -> "[2 + offset]" so two facts' citations number on from each other.
std::string renumber(const std::string& text, int offset) {
  if (offset == 0) return text;
  static const std::regex marker(R"(\[(\d+)\])");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), marker), end; it != end; ++it) {
    out.append(last, (*it)[0].first);
    out += "[" + std::to_string(std::stoi((*it)[1].str()) + offset) + "]";
    last = (*it)[0].second;
  }
  out.append(last, text.cend());
  return out;
}

// A general article's fact still has its say after the clinic's own where the two part: its
// sources disagree among themselves, or it states other figures than the clinic's ("most
// clinics charge $500 to $3000" beside "a session here costs 450 pounds").
bool disagrees_with_clinic(const fact& clinic, const fact& general) {
  if (general.conflict) return true;
  auto figures = [](const fact& f) {
    std::vector<std::string> n = numbers_in(f.answer);
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
    return n;
  };
  return figures(clinic) != figures(general);
}

}  // namespace

answer_engine::answer_engine(std::shared_ptr<const knowledge_base> kb, std::shared_ptr<const vocabulary> vocab,
                             std::unique_ptr<retriever> search, const engine_tuning& tuning)
    : kb_(std::move(kb)),
      vocab_(std::move(vocab)),
      search_(std::move(search)),
      tuning_(tuning),
      analyser_(kb_->words, *vocab_, normaliser_,
                {tuning.unknown_weight, tuning.common_weight, tuning.unknown_common_weight, tuning.known_weight_cap, tuning.subject_weight}),
      phrasings_(*kb_, [this](const std::string& p) { return analyser_.analyse(normaliser_.words(p)).phrased; }),
      ids_(std::random_device{}()) {
  static std::atomic<std::uint64_t> made{0};
  instance_ = made.fetch_add(1, std::memory_order_relaxed) + 1;
  // A fact answers the kinds of question its phrasings ask.
  fact_intents_.reserve(kb_->facts.size());
  for (const auto& f : kb_->facts) {
    intent_set asks = 0;
    for (const auto& p : f.questions) asks |= analyser_.analyse(normaliser_.words(p)).intents;
    fact_intents_.push_back(asks);
  }
}

analysed_question answer_engine::read(std::string_view text) const {
  analysed_question q = analyser_.analyse(normaliser_.words(text));
  // Each kind of answer asked for is an idea of the question like its words: a fact that does
  // not answer that kind of question leaves it uncovered.
  for (int i = 0; i < intent_count && q.groups.size() < question_analyser::max_groups; ++i) {
    const auto asks = static_cast<intent>(i);
    if (!(q.intents & bit(asks))) continue;
    term_group g;
    g.origin = std::string(name_of(asks));
    g.weight = tuning_.intent_weight;
    g.known = true;
    g.asks = asks;
    q.groups.push_back(std::move(g));
  }
  return q;
}

namespace {
// What a conversation remembers of a question: its words' ideas, not the kind of answer it asked.
std::vector<term_group> remembered(const std::vector<term_group>& groups) {
  std::vector<term_group> out;
  for (const auto& g : groups)
    if (!g.asks) out.push_back(g);
  return out;
}
}  // namespace

std::string answer_engine::next_answer_id() const {
  char buf[24];
  std::snprintf(buf, sizeof buf, "a-%016llx", static_cast<unsigned long long>(ids_()));
  return buf;
}

answer answer_engine::ask(std::string_view raw) {
  conversation none;
  return ask(raw, none);
}

answer answer_engine::ask_after(std::string_view said, std::string_view raw) {
  conversation context;
  turn told;
  told.groups = remembered(read(sanitize_utf8(utf8_prefix(said, tuning_.max_question_bytes))).groups);
  told.told = true;
  context.remember(std::move(told));
  return ask(raw, context);
}

std::vector<answer_engine::scored_hit> answer_engine::rank(const analysed_question& q_in,
                                                           const std::vector<term_group>& carried) {
  // Unknown words beyond the first weigh less and less: an off-topic question shows itself in
  // a word or two ("financing", "parking"); a long message's further unknown words are chatter.
  analysed_question q = q_in;
  std::vector<term_group*> unknown;
  for (auto& g : q.groups)
    if (!g.known) unknown.push_back(&g);
  std::stable_sort(unknown.begin(), unknown.end(), [](auto* a, auto* b) { return a->weight > b->weight; });
  double factor = 1;
  for (auto* g : unknown) {
    g->weight *= factor;
    factor *= tuning_.further_unknown_share;
  }
  std::vector<term_group> groups = q.groups;
  groups.insert(groups.end(), carried.begin(), carried.end());
  const double own_total = total_weight(q.groups);
  const double carried_total = total_weight(carried);

  // An idea in most facts ("scalp micropigmentation") tells facts apart hardly at all, yet it
  // makes every fact a match that the index must score. When rarer ideas are there, it is not
  // searched for and counts as found in every fact.
  std::vector<term_group> searched;
  std::vector<std::size_t> searched_index;
  std::uint64_t everywhere = 0;
  std::vector<std::pair<std::size_t, intent>> asked;  // intent groups: covered by what a fact answers
  for (std::size_t i = 0; i < groups.size() && i < 64; ++i) {
    if (groups[i].asks) {
      asked.emplace_back(i, *groups[i].asks);
    } else if (is_ubiquitous(groups[i])) {
      everywhere |= std::uint64_t{1} << i;
    } else {
      searched.push_back(groups[i]);
      searched_index.push_back(i);
    }
  }
  if (searched.empty() || std::none_of(searched_index.begin(), searched_index.end(), [&](std::size_t i) { return i < q.groups.size(); })) {
    searched.clear();
    searched_index.clear();
    for (std::size_t i = 0; i < groups.size() && i < 64; ++i) {
      if (groups[i].asks) continue;
      searched.push_back(groups[i]);
      searched_index.push_back(i);
    }
    everywhere = 0;
  }

  std::vector<scored_hit> hits;
  const phrasing_matcher::question phrased = phrasings_.read(q.phrased);
  for (search_hit h : search_->search(searched, tuning_.candidates)) {
    search_hit full{h.fact, h.relevance, everywhere, everywhere};
    for (const auto& [i, asks] : asked)
      if (fact_intents_[h.fact] & bit(asks)) {
        full.matched |= std::uint64_t{1} << i;
        full.matched_in_point |= std::uint64_t{1} << i;
      }
    for (std::size_t k = 0; k < searched_index.size() && k < 64; ++k) {
      if (h.matched & (std::uint64_t{1} << k)) full.matched |= std::uint64_t{1} << searched_index[k];
      if (h.matched_in_point & (std::uint64_t{1} << k)) full.matched_in_point |= std::uint64_t{1} << searched_index[k];
    }
    h = full;
    scored_hit s{h};
    const double credit = tuning_.quote_only_credit;
    s.coverage = own_total > 0 ? credited_weight(q.groups, h, 0, credit) / own_total : 0;
    const double context = carried_total > 0 ? credited_weight(carried, h, q.groups.size(), credit) / carried_total : 0;
    s.phrasing = phrasings_.similarity(phrased, h.fact);
    s.score = s.coverage + tuning_.context_bonus * context + tuning_.phrasing_bonus * s.phrasing;
    hits.push_back(s);
  }
  const double top_relevance = hits.empty() ? 0 : std::max_element(hits.begin(), hits.end(), [](auto& a, auto& b) {
                                 return a.hit.relevance < b.hit.relevance;
                               })->hit.relevance;
  for (auto& s : hits)
    if (top_relevance > 0) s.score += tuning_.relevance_bonus * s.hit.relevance / top_relevance;
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  // Where the sources disagree, the fact that shows every side is the honest answer: it wins
  // over a one-sided fact of the same topic that covers the question hardly better.
  if (hits.size() > 1 && !kb_->facts[hits.front().hit.fact].conflict) {
    const std::string& topic = kb_->facts[hits.front().hit.fact].topic;
    for (std::size_t i = 1; i < hits.size(); ++i) {
      const fact& f = kb_->facts[hits[i].hit.fact];
      if (f.conflict && f.topic == topic && hits[i].coverage + tuning_.conflict_margin >= hits.front().coverage &&
          hits[i].score + tuning_.conflict_margin >= hits.front().score) {
        std::rotate(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(i), hits.begin() + static_cast<std::ptrdiff_t>(i) + 1);
        break;
      }
    }
  }
  // The clinic's own fact leads where it answers the question too, nearly as fully: a patient
  // asking this clinic wants its prices before the articles' ranges.
  if (hits.size() > 1 && !kb_->facts[hits.front().hit.fact].clinic) {
    for (std::size_t i = 1; i < hits.size(); ++i) {
      if (!kb_->facts[hits[i].hit.fact].clinic) continue;
      if (hits[i].coverage >= coverage_needed(hits[i]) && hits[i].coverage + tuning_.clinic_margin >= hits.front().coverage)
        std::rotate(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(i), hits.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      break;
    }
  }
  return hits;
}

// A question that comes close to one of a fact's own phrasings was asked about that fact in
// other words; its leftover words are more likely the patient's chat than a missing topic.
double answer_engine::coverage_needed(const scored_hit& h) const {
  return h.phrasing >= tuning_.phrased_min_phrasing ? tuning_.phrased_min_coverage : tuning_.min_coverage;
}

bool answer_engine::is_ubiquitous(const term_group& g) const {
  if (!g.known) return false;
  const int half = vocab_->total_documents() / 2;
  for (const auto& term : g.terms) {
    std::size_t start = 0;
    int rarest = std::numeric_limits<int>::max();
    while (start < term.size()) {
      const std::size_t space = term.find(' ', start);
      const std::string_view w(term.data() + start, (space == std::string::npos ? term.size() : space) - start);
      rarest = std::min(rarest, vocab_->document_count(w));
      start = space == std::string::npos ? term.size() : space + 1;
    }
    if (rarest <= half) return false;
  }
  return true;
}

answer answer_engine::ask(std::string_view raw, conversation& context) {
  const std::string text = sanitize_utf8(utf8_prefix(raw, tuning_.max_question_bytes));
  const analysed_question q = read(text);

  if (q.red_flag) {
    answer a = urgent(q);
    context.remember({remembered(q.groups), std::nullopt, "risks"});
    return a;
  }
  if (q.only_small_talk) return small_talk_reply(q.talk);
  if (q.groups.empty()) {
    if (q.talk != small_talk::none) return small_talk_reply(q.talk);
    return no_answer({});
  }
  // The clinic's own opinion or experience is not in any source, however many of the question's
  // words a fact shares: "what are the best results you have seen?" is not the price list.
  if (q.personal) {
    context.remember({remembered(q.groups), std::nullopt, std::nullopt});
    return no_answer({});
  }

  // A follow-up ("and does it hurt?") borrows the last answered question's ideas; they steer
  // the choice between facts but never make up for what the question itself leaves uncovered.
  std::vector<term_group> carried;
  const turn* previous = context.last_answered();
  if (previous && (q.follow_up || q.groups.size() <= 2)) carried = previous->groups;

  const auto hits = rank(q, carried);
  // A message may ask two things ("does it hurt and what does it cost"): a second fact joins
  // when it covers most of what the first left open, and the two together must cover enough.
  std::vector<const fact*> chosen;
  double covered = 0;
  const bool asks_several = q.joined || std::count(text.begin(), text.end(), '?') >= 2;
  const double needed = hits.empty() ? tuning_.min_coverage : coverage_needed(hits.front());
  if (!hits.empty() && (hits.front().coverage >= needed || (asks_several && hits.front().coverage >= tuning_.min_coverage / 2))) {
    chosen.push_back(&kb_->facts[hits.front().hit.fact]);
    covered = hits.front().coverage;
    // After the clinic's own answer, the best general one that answers as well, where they part.
    if (chosen.front()->clinic)
      for (std::size_t i = 1; i < hits.size(); ++i) {
        const fact& general = kb_->facts[hits[i].hit.fact];
        if (general.clinic) continue;
        if (hits[i].coverage >= coverage_needed(hits[i]) && disagrees_with_clinic(*chosen.front(), general)) chosen.push_back(&general);
        break;
      }
    // A broad question that two facts of different topics answer fully and alike ("what are
    // the downsides?": the risks, and the limitations) is answered by both.
    if (chosen.size() == 1 && hits.size() > 1 && hits.front().coverage >= tuning_.tie_min_coverage &&
        hits[1].coverage >= tuning_.tie_min_coverage && hits[1].score >= hits.front().score - tuning_.tie_margin &&
        kb_->facts[hits[1].hit.fact].topic != chosen.front()->topic)
      chosen.push_back(&kb_->facts[hits[1].hit.fact]);
    const double own_total = total_weight(q.groups);
    const search_hit& first = hits.front().hit;
    const double left_open = own_total * (1.0 - covered);
    for (std::size_t i = 1; asks_several && i < hits.size() && left_open > 1e-9; ++i) {
      if (std::find(chosen.begin(), chosen.end(), &kb_->facts[hits[i].hit.fact]) != chosen.end()) continue;
      search_hit fresh = hits[i].hit;
      fresh.matched &= ~first.matched;
      fresh.matched_in_point &= ~first.matched;
      const double added = credited_weight(q.groups, fresh, 0, tuning_.quote_only_credit);
      if (added >= tuning_.second_fact_share * left_open && hits[i].coverage >= tuning_.second_fact_min_coverage) {
        chosen.push_back(&kb_->facts[hits[i].hit.fact]);
        covered += added / own_total;
        break;
      }
    }
  }
  // The question's weightiest idea must be what the fact is about (its phrasings or answer), not
  // a word that happens to stand in one of its quotes: "can SMP be removed?" is not answered by
  // "a strip of skin was removed".
  if (!chosen.empty() && tuning_.focus_gate > 0) {
    std::size_t focus = q.groups.size();
    for (std::size_t i = 0; i < q.groups.size() && i < 64; ++i)
      if (!q.groups[i].subject && !q.groups[i].asks && (focus == q.groups.size() || q.groups[i].weight > q.groups[focus].weight)) focus = i;
    std::uint64_t in_point = 0, anywhere = 0;
    for (const auto& h : hits)
      for (const fact* f : chosen)
        if (&kb_->facts[h.hit.fact] == f) {
          in_point |= h.hit.matched_in_point;
          anywhere |= h.hit.matched;
        }
    // An idea found nowhere is the coverage threshold's to judge; one found only in a quote is
    // a coincidence of words.
    const std::uint64_t focus_bit = std::uint64_t{1} << focus;
    if (focus < q.groups.size() && (anywhere & focus_bit) && !(in_point & focus_bit)) chosen.clear();
  }
  if (chosen.empty() || covered < needed) {
    answer a = no_answer(hits);
    context.remember({remembered(q.groups), std::nullopt, std::nullopt});
    return a;
  }
  answer a = compose(chosen);
  a.confidence = covered;
  // The clinic's answer and an article's that parts from it: the sources disagree.
  if (chosen.size() > 1 && chosen[0]->clinic && !chosen[1]->clinic && disagrees_with_clinic(*chosen[0], *chosen[1])) a.conflict = true;
  context.remember({remembered(q.groups), chosen.front()->id, chosen.front()->topic});
  return a;
}

nlohmann::json answer_engine::explain(std::string_view raw) {
  const std::string text = sanitize_utf8(utf8_prefix(raw, tuning_.max_question_bytes));
  const analysed_question q = read(text);
  nlohmann::json out;
  out["words"] = q.words;
  out["red_flag"] = q.red_flag;
  out["sign"] = q.sign;
  out["calm"] = q.calm;
  out["small_talk"] = q.talk != small_talk::none;
  out["follow_up"] = q.follow_up;
  out["personal"] = q.personal;
  auto& groups = out["groups"] = nlohmann::json::array();
  for (const auto& g : q.groups) groups.push_back({{"origin", g.origin}, {"terms", g.terms}, {"weight", g.weight}, {"known", g.known}});
  auto& hits = out["hits"] = nlohmann::json::array();
  for (const auto& h : rank(q, {}))
    hits.push_back({{"fact", kb_->facts[h.hit.fact].id}, {"coverage", h.coverage}, {"phrasing", h.phrasing}, {"score", h.score}, {"bm25", h.hit.relevance},
                    {"matched", h.hit.matched}, {"matched_in_point", h.hit.matched_in_point}});
  return out;
}

answer answer_engine::compose(const std::vector<const fact*>& facts) const {
  answer a;
  a.status = answer_status::answered;
  int offset = 0;
  for (const fact* f : facts) {
    if (!a.text.empty()) a.text += ' ';
    a.text += renumber(f->answer, offset);
    for (const auto& c : f->citations) {
      const source_document* src = kb_->find_source(c.source);
      a.citations.push_back({++offset, c.source, src ? src->title : c.source, c.quote});
    }
    a.conflict = a.conflict || f->conflict;
    a.facts.push_back(f->id);
  }
  a.topic = facts.front()->topic;
  a.suggestions = suggestions_for(*facts.front());
  a.answer_id = next_answer_id();
  return a;
}

std::vector<std::string> answer_engine::suggestions_for(const fact& f) const {
  std::vector<std::string> out;
  auto offer = [&](const fact* other) {
    if (!other || other->id == f.id || other->questions.empty() || out.size() >= 3) return;
    if (std::find(out.begin(), out.end(), other->questions.front()) == out.end())
      out.push_back(other->questions.front());
  };
  for (const auto& id : f.related) offer(kb_->find_fact(id));
  for (const auto& other : kb_->facts)
    if (other.topic == f.topic) offer(&other);
  return out;
}

answer answer_engine::urgent(const analysed_question& q) {
  answer a;
  a.status = answer_status::urgent;
  a.text = kb_->words.replies.urgent;
  a.topic = "risks";
  // A fact the sign names in the lexicon follows the warning, with its sources ("signs of
  // infection include ... pus"); a risks fact that merely shares a word ("redness and
  // swelling usually clear up within a few days") would undercut it.
  const auto& signs = kb_->words.warning_signs.signs;
  const auto sign = std::find_if(signs.begin(), signs.end(), [&](const warning_sign& s) { return s.name == q.sign; });
  for (const auto& id : sign == signs.end() ? std::vector<std::string>{} : sign->facts) {
    const fact* f = kb_->find_fact(id);
    if (!f) continue;
    answer sourced = compose({f});
    a.text += "\n\n" + sourced.text;
    a.citations = std::move(sourced.citations);
    a.facts = std::move(sourced.facts);
    break;
  }
  a.answer_id = next_answer_id();
  return a;
}

answer answer_engine::small_talk_reply(small_talk kind) const {
  answer a;
  a.status = answer_status::smalltalk;
  const auto& r = kb_->words.replies;
  switch (kind) {
    case small_talk::thanks: a.text = r.thanks; break;
    case small_talk::goodbye: a.text = r.goodbye; break;
    case small_talk::identity: a.text = r.identity; break;
    default: a.text = r.greeting; break;
  }
  for (const auto& id : kb_->words.starter_facts)
    if (const fact* f = kb_->find_fact(id); f && !f->questions.empty() && a.suggestions.size() < 3)
      a.suggestions.push_back(f->questions.front());
  if (a.suggestions.empty())
    for (std::size_t i = 0; i < kb_->facts.size() && a.suggestions.size() < 3; ++i)
      if (!kb_->facts[i].questions.empty()) a.suggestions.push_back(kb_->facts[i].questions.front());
  a.answer_id = next_answer_id();
  return a;
}

answer answer_engine::no_answer(const std::vector<scored_hit>& near_misses) const {
  answer a;
  a.status = answer_status::no_answer;
  a.text = kb_->words.replies.no_answer;
  // Offer what the sources do cover nearby, so the patient can rephrase in one tap.
  for (const auto& h : near_misses) {
    if (h.coverage <= 0 || a.suggestions.size() >= 3) continue;
    const fact& f = kb_->facts[h.hit.fact];
    if (!f.questions.empty()) a.suggestions.push_back(f.questions.front());
  }
  // Nearly answered by two or three facts alike: asking which one was meant beats a wrong
  // answer or a flat refusal. It is still no answer, so nothing unsourced is said.
  const auto& asked = kb_->words.replies.did_you_mean;
  if (!asked.empty() && near_misses.size() >= 2 && a.suggestions.size() >= 2 &&
      near_misses.front().coverage >= tuning_.did_you_mean_coverage &&
      near_misses[1].score >= near_misses.front().score - tuning_.did_you_mean_margin)
    a.text = asked;
  a.answer_id = next_answer_id();
  return a;
}

}  // namespace cited
