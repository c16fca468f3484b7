#include "email_questions.hpp"

#include <algorithm>
#include <iterator>

#include "email_question_words.hpp"
#include "email_text.hpp"

namespace cited::email_detail {

namespace {

bool interrogative_at(const std::vector<token>& toks, std::size_t i, bool has_qmark) {
  if (i >= toks.size()) return false;
  const std::string& w = toks[i].w;
  const std::string* next = i + 1 < toks.size() ? &toks[i + 1].w : nullptr;
  if (wh_words().count(w)) {
    if (!next) return has_qmark;
    return has_qmark || wh_contraction(w) || aux_words().count(*next) || wh_followers().count(*next);
  }
  if (aux_words().count(w) && next && subject_words().count(*next)) {
    if ((w == "have" || w == "has" || w == "had") && (*next == "a" || *next == "an")) return false;
    return true;
  }
  return false;
}

bool if_clause_at(const std::vector<token>& toks, std::size_t i) {
  if (i >= toks.size()) return false;
  if (toks[i].w == "whether") return true;
  if (toks[i].w != "if" || i + 1 >= toks.size()) return false;
  const std::string& n = toks[i + 1].w;
  return n != "so" && n != "not" && n != "possible" && n != "needed" && n != "necessary" && n != "any";
}

const word_set& clause_joiners() {
  static const word_set w{"so", "but", "and", "also", "plus", "then", "or", "because"};
  return w;
}

bool punct_between(std::string_view s, std::size_t from, std::size_t to, std::string_view marks) {
  for (std::size_t i = from; i < to && i < s.size(); ++i)
    if (marks.find(s[i]) != std::string_view::npos) return true;
  // Dashes written as U+2013 / U+2014.
  const std::string_view gap = s.substr(from, to > from ? to - from : 0);
  return contains(gap, "\xE2\x80\x93") || contains(gap, "\xE2\x80\x94");
}

std::string capitalise(std::string s) {
  for (char& c : s) {
    if (is_alpha(c)) {
      c = to_upper(c);
      break;
    }
    if (!is_space(c) && c != '"' && c != '(') break;
  }
  return s;
}

std::string strip_end_punct(std::string_view s) {
  s = trim(s);
  while (!s.empty() && (s.back() == '?' || s.back() == '.' || s.back() == ',' || s.back() == ';' ||
                        s.back() == ':' || s.back() == '!' || s.back() == '-' || is_space(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> sorted_content(std::string_view s) {
  auto words = content_words(s);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

bool repeats(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return false;
  if (a == b) return true;
  std::vector<std::string> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  const double jaccard = static_cast<double>(common.size()) / static_cast<double>(a.size() + b.size() - common.size());
  return common.size() >= 2 && jaccard >= 0.75;
}

struct segment {
  std::size_t a = 0, b = 0;  // token range
};

// s[toks[from].b, end) with misspelt question words put right ("hw much dose it cost" ->
// "how much does it cost"), so the engine reads what the patient meant.
std::string respelled(std::string_view s, const std::vector<token>& toks, std::size_t from, std::size_t end) {
  std::string out;
  std::size_t at = toks[from].b;
  for (std::size_t i = from; i < toks.size() && toks[i].e <= end; ++i) {
    const std::string original = lower(s.substr(toks[i].b, toks[i].e - toks[i].b));
    if (original == toks[i].w) continue;
    // "a dose of anaesthesia" is no typo: only a question word followed by its subject is.
    const bool as_question_word = original != "dose" && original != "doe" ? true
                                  : (i + 1 < toks.size() && subject_words().count(toks[i + 1].w));
    if (!as_question_word) continue;
    out.append(s.substr(at, toks[i].b - at));
    out += toks[i].w;
    at = toks[i].e;
  }
  out.append(s.substr(at, end > at ? end - at : 0));
  return strip_end_punct(out);
}

// True when what a request asks is more than the subject of every email here ("the procedure").
bool asks_generic_ok(std::string_view ask) {
  static const word_set generic{"procedure", "treatment", "process", "smp", "scalp", "micropigmentation", "properly",
                                "everything", "fully", "better", "options", "basics", "whole", "it", "all"};
  for (const auto& w : content_words(ask))
    if (!generic.count(w)) return true;
  return false;
}

// "Is this normal?": one idea and a pronoun pointing back at what the patient just said.
bool leans_on_context(std::string_view ask) {
  static const word_set pointers{"this", "that", "these", "those", "so"};
  if (content_words(ask).size() > 1) return false;
  for (const auto& t : tokens(ask))
    if (pointers.count(t.w)) return true;
  return false;
}

// The questions in one sentence, in order.
std::vector<email_question> questions_in(std::string_view s, std::size_t index, bool list_item) {
  std::vector<email_question> out;
  const auto toks = tokens(s);
  if (toks.empty()) return out;
  const bool qmark = contains(s, "?");
  const bool exclaims = !qmark && ends_with(trim(s), "!");

  std::size_t f = 0;
  for (;;) {
    if (f >= toks.size() || frames().match(toks, f, toks.size())) break;
    if (std::size_t n = filler_phrases().match(toks, f, toks.size())) f += n;
    else if (fillers().count(toks[f].w)) ++f;
    else break;
  }
  if (f >= toks.size()) return out;
  // "Hope you're well?", "Sorry to chase, ... maybe it went to spam?"
  if (pleasantries().match(toks, 0, toks.size()) || pleasantries().match(toks, f, toks.size())) {
    bool asks_more = false;
    for (std::size_t i = f + 1; i < toks.size() && !asks_more; ++i)
      asks_more = frames().match(toks, i, toks.size()) || interrogative_at(toks, i, false);
    if (!asks_more) return out;
  }

  // A clause starts the sentence, or follows a comma or dash, or a joining word ("so does it").
  std::vector<bool> clause_start(toks.size(), false);
  for (std::size_t i = f; i < toks.size(); ++i) {
    if (i == f) clause_start[i] = true;
    else if (punct_between(s, toks[i - 1].e, toks[i].b, ",;:()-")) clause_start[i] = true;
    else if (clause_joiners().count(toks[i - 1].w)) clause_start[i] = true;
    else if (fillers().count(toks[i - 1].w) && clause_start[i - 1]) clause_start[i] = true;
  }

  std::size_t frame_at = toks.size();
  for (std::size_t i = f; i < toks.size(); ++i)
    if (frames().match(toks, i, toks.size())) {
      frame_at = i;
      break;
    }
  std::size_t ask_at = toks.size();
  if (!exclaims)
    for (std::size_t i = f; i < toks.size(); ++i)
      if (clause_start[i] && interrogative_at(toks, i, qmark)) {
        ask_at = i;
        break;
      }
  // "If it does fade how often would I need touch ups?": the question follows a clause that
  // has no comma to mark its end.
  if (qmark && ask_at == toks.size())
    for (std::size_t i = f + 1; i + 1 < toks.size(); ++i)
      if (interrogative_at(toks, i, false)) {
        ask_at = i;
        break;
      }
  const bool staff_request = staff_phrases().found(toks, f, toks.size()) &&
                             (toks[f].w == "please" || (f > 0 && toks[f - 1].w == "please") ||
                              [&] {
                                for (std::string_view p : {"call", "ring", "phone", "text", "email", "contact", "send",
                                                           "book", "get", "message"})
                                  if (toks[f].w == p) return true;
                                return false;
                              }());

  std::size_t start;
  if (frame_at < toks.size() && frame_at <= ask_at) start = frame_at;
  else if (ask_at < toks.size()) start = ask_at;
  // A "?" with no question word is a question when short ("Price?", "SMP for women?"); a long
  // one is a remark ("... maybe it went to spam?").
  else if ((qmark && toks.size() - f <= 12) || staff_request || list_item) start = f;
  else return out;

  // Where one clause asks two things: "... and whether it hurts", ", how long does it last".
  const bool framed = start == frame_at;
  std::vector<segment> segments{{start, toks.size()}};
  for (std::size_t q = start + 1; q + 1 < toks.size(); ++q) {
    const bool after_and = toks[q - 1].w == "and" || toks[q - 1].w == "plus" ||
                           punct_between(s, toks[q - 1].e, toks[q].b, "&") ||
                           (toks[q - 1].w == "also" && q >= 2 && toks[q - 2].w == "and") ||
                           (toks[q - 1].w == "as" && q >= 3 && toks[q - 2].w == "well" && toks[q - 3].w == "as");
    const bool after_comma = punct_between(s, toks[q - 1].e, toks[q].b, ",;");
    if (!after_and && !after_comma) continue;
    bool asks = frames().match(toks, q, toks.size()) || if_clause_at(toks, q) ||
                (aux_words().count(toks[q].w) && interrogative_at(toks, q, true)) ||
                (wh_words().count(toks[q].w) && (after_and || interrogative_at(toks, q, qmark)));
    if (!asks && framed && after_and) {
      static const word_set determiners{"the", "your", "any", "its", "what", "how", "whether", "a", "an"};
      bool comparing = false;
      for (std::size_t k = segments.back().a; k < q; ++k) comparing = comparing || comparison_words().count(toks[k].w);
      asks = determiners.count(toks[q].w) && !comparing;
    }
    if (!asks) continue;
    // The joining words belong to neither side.
    std::size_t left_end = q;
    while (left_end > segments.back().a + 1 && (toks[left_end - 1].w == "and" || toks[left_end - 1].w == "plus" ||
                                                toks[left_end - 1].w == "also" || toks[left_end - 1].w == "as" ||
                                                toks[left_end - 1].w == "well"))
      --left_end;
    if (left_end <= segments.back().a) continue;
    segments.back().b = left_end;
    segments.push_back({q, toks.size()});
  }

  std::string context;
  if (start > f) context = strip_end_punct(s.substr(toks[f].b, toks[start].b - toks[f].b));
  // "If I go ahead with SMP, could I still get a transplant?" is asked whole.
  static const word_set subordinators{"if", "when", "once", "after", "before", "since", "because", "although",
                                      "while", "though", "given", "assuming", "say"};
  const bool conditional = start > f && subordinators.count(toks[f].w) && start - f <= 10;

  std::string carried_frame;  // "I'd like to know", lent to the parts after it
  bool frame_asks = false;    // the frame is itself a question ("Could you tell me ...")
  for (const auto& seg : segments) {
    const std::size_t text_end = seg.b < toks.size() ? toks[seg.b - 1].e : s.size();
    std::string text = strip_end_punct(s.substr(toks[seg.a].b, text_end - toks[seg.a].b));
    std::size_t content = seg.a;
    bool direct = false;
    if (std::size_t n = frames().match(toks, seg.a, seg.b)) {
      carried_frame = strip_end_punct(s.substr(toks[seg.a].b, toks[seg.a + n - 1].e - toks[seg.a].b));
      frame_asks = aux_words().count(toks[seg.a].w) || wh_words().count(toks[seg.a].w);
      content = seg.a + n;
    } else if (interrogative_at(toks, seg.a, true) && !(wh_words().count(toks[seg.a].w) && !carried_frame.empty())) {
      direct = aux_words().count(toks[seg.a].w) || carried_frame.empty();
    }
    if (!direct && !carried_frame.empty() && content == seg.a) text.insert(0, carried_frame + " ");
    if (conditional && seg.a == start) text = strip_end_punct(s.substr(toks[f].b, text_end - toks[f].b));
    const bool framed_here = content > seg.a || !carried_frame.empty();
    while (framed_here && content < seg.b && (frame_connectors().count(toks[content].w) ||
                               (toks[content].w == "or" && content + 1 < seg.b && toks[content + 1].w == "not") ||
                               (toks[content].w == "not" && content > seg.a && toks[content - 1].w == "or")))
      ++content;
    if (content >= seg.b) continue;
    const std::size_t ask_end = seg.b < toks.size() ? toks[seg.b - 1].e : s.size();
    // A remark after the question ("..., we're off to Spain in August") is context, not question.
    std::size_t remark = seg.b;
    for (std::size_t c = content + 2; c < seg.b && remark == seg.b; ++c) {
      static const word_set speaker{"i", "i'm", "im", "i've", "ive", "i'd", "we", "we're", "were", "we've", "my",
                                    "lol", "haha"};
      static const word_set because{"as", "because", "since", "cos", "coz", "cause"};
      const bool after_pause = punct_between(s, toks[c - 1].e, toks[c].b, ",;-(");
      if ((after_pause && (speaker.count(toks[c].w) || because.count(toks[c].w))) ||
          (because.count(toks[c].w) && c + 1 < seg.b && speaker.count(toks[c + 1].w)))
        remark = c;
    }
    const std::size_t asked_end = remark < seg.b ? toks[remark - 1].e : ask_end;
    std::string ask = respelled(s, toks, content, asked_end);
    std::string said = context;
    if (remark < seg.b) {
      if (!said.empty()) said += ". ";
      said += strip_end_punct(s.substr(toks[remark].b, ask_end - toks[remark].b));
    }

    email_question q;
    // "Before I commit I want to understand the procedure properly." prefaces the questions.
    if (content > seg.a && !frame_asks && !asks_generic_ok(ask)) continue;
    q.follow_up = leans_on_context(ask);
    q.for_staff = staff_phrases().found(toks, seg.a, seg.b) ||
                  (!carried_frame.empty() && staff_phrases().found(tokens(carried_frame), 0, tokens(carried_frame).size()));
    if (content_words(ask).empty()) {
      // "I have psoriasis on my scalp, can I still get it?": the clause leans on what came before.
      if (said.empty() || content_words(said).empty()) {
        if (!q.for_staff) continue;
      } else {
        text = strip_end_punct(s.substr(toks[f].b, text_end - toks[f].b));
        ask.insert(0, said + " ");
      }
    }
    const auto seg_toks = tokens(text);
    if (pleasantries().match(seg_toks, 0, seg_toks.size()) ||
        (seg_toks.size() > 1 && pleasantries().match(seg_toks, 1, seg_toks.size()) && fillers().count(seg_toks[0].w)))
      continue;
    text = capitalise(text);
    if (direct || (frame_asks && !carried_frame.empty()) || (!framed && qmark)) text += "?";
    q.text = std::move(text);
    q.ask = std::move(ask);
    q.context = said;
    q.sentence_index = index;
    out.push_back(std::move(q));
  }
  return out;
}

}  // namespace

std::vector<email_question> find_questions(const std::vector<std::string>& sentences,
                                           const std::vector<bool>& list_items, std::size_t max_questions) {
  std::vector<email_question> questions;
  std::vector<std::vector<std::string>> keys;
  bool list_asks = false;
  for (std::size_t i = 0; i < sentences.size(); ++i) {
    const std::string& s = sentences[i];
    const bool item = list_items[i];
    if (!item) {
      // "A few questions:" opens a list of them; "About me:" does not.
      const std::string ls = lower(s);
      list_asks = ends_with(ls, ":") && (contains(ls, "question") || contains(ls, "know") || contains(ls, "ask") ||
                                         contains(ls, "wondering") || contains(ls, "quer") || contains(ls, "info") ||
                                         contains(ls, "following") || contains(ls, "curious"));
    }
    for (auto& q : questions_in(s, i, item && list_asks)) {
      if (q.follow_up && q.context.empty() && i > 0) q.context = sentences[i - 1];
      auto key = sorted_content(q.ask);
      const bool repeat = std::any_of(keys.begin(), keys.end(), [&](const auto& k) { return repeats(k, key); });
      if (repeat) continue;
      keys.push_back(std::move(key));
      questions.push_back(std::move(q));
      if (questions.size() >= max_questions) return questions;
    }
  }
  return questions;
}

}  // namespace cited::email_detail

namespace cited {

using namespace email_detail;

bool same_question(std::string_view first, std::string_view second) {
  const auto a = sorted_content(first), b = sorted_content(second);
  return std::includes(a.begin(), a.end(), b.begin(), b.end());
}

}  // namespace cited
