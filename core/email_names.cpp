#include "email_names.hpp"

#include <algorithm>

#include "email_reader.hpp"
#include "email_text.hpp"

namespace cited::email_detail {

namespace {

const word_set& not_names() {
  static const word_set w{
      "smp", "thanks", "thank", "sent", "regards", "best", "cheers", "me", "you", "all", "everyone", "team", "again",
      "advance", "mate", "guys", "so", "much", "lot", "love", "x", "xx", "xxx", "the", "hi", "hello", "hey",
      "iphone", "android", "ps", "p.s", "p.s.", "dear", "yes", "no", "ok", "okay", "sorry", "please", "hope",
      "looking", "clinic", "sir", "madam", "kind", "warm", "many", "god", "bless", "speak", "soon", "talk", "take",
      "care", "have", "a", "great", "day", "weekend", "morning", "evening", "afternoon", "regards,", "sincerely",
      "yours", "truly", "faithfully", "again.", "much.", "ty", "thx", "ta", "lol", "haha", "help", "anyway", "just",
      "not", "very", "really", "so", "interested", "considering", "thinking", "writing", "emailing", "contacting",
      "currently", "still", "new", "here", "back", "ready", "keen", "sure", "unsure", "worried", "nervous", "glad",
      "happy", "hoping", "going", "getting", "trying", "wondering", "an", "in", "on", "at", "from", "over", "about",
      "almost", "now", "finally", "bit", "quite", "pretty", "english", "british", "american", "irish", "scottish",
      "welsh", "asian", "black", "white", "indian", "african", "australian", "canadian", "catholic", "muslim",
      "jewish", "christian", "bald", "balding", "male", "female", "single", "married", "afraid", "aware", "also",
      "and", "or", "but", "if", "it", "is", "my", "your", "our", "their", "his", "her", "monday", "tuesday",
      "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow", "thank-you", "regard",
      "appreciated", "scalp", "micropigmentation", "hair", "loss", "question", "questions", "info", "price",
      "wife", "husband", "mum", "dad", "son", "daughter", "partner", "girlfriend", "boyfriend", "one", "two",
      "three", "mobile", "phone", "tel", "email", "www", "http", "https", "confused", "excited", "desperate"};
  return w;
}

const word_set& titles() {
  static const word_set w{"mr", "mrs", "ms", "miss", "dr", "mx", "prof", "sir"};
  return w;
}

const std::vector<std::string_view>& sign_off_phrases() {
  static const std::vector<std::string_view> p = [] {
    std::vector<std::string_view> v{
        "thanks in advance", "thank you in advance", "many thanks in advance", "thanks again", "thank you again",
        "thank you so much", "thanks so much", "thank you very much", "thanks very much", "many thanks",
        "thanks a lot", "thanks a million", "thank you", "thanks", "thank u", "thx", "ty", "ta", "cheers",
        "best wishes", "best regards", "kind regards", "kindest regards", "warm regards", "warmest regards",
        "warm wishes", "regards", "all the best", "best", "sincerely", "yours sincerely", "yours faithfully",
        "yours truly", "yours", "take care", "speak soon", "talk soon", "respectfully", "cordially",
        "much appreciated", "appreciate it", "love", "with thanks", "with gratitude", "god bless", "have a great day",
        "have a good day", "have a nice day", "hope to hear from you soon", "hope to hear from you",
        "look forward to hearing from you", "looking forward to hearing from you", "looking forward to your reply",
        "thanks for your time", "thank you for your time", "thanks for your help", "thank you for your help",
        "many thanks for your help", "thanks for reading", "thank you for reading", "cheers mate", "thanks mate",
        "best wishes and thanks", "many many thanks", "thanks heaps", "thanks!!", "kind regards and thanks", "appreciate any help",
        "any help appreciated", "any help would be appreciated", "any help is appreciated", "appreciate your help",
        "hope you can help", "hope you can help me", "thanks for any help", "thank you for any help",
        "thanks for any advice", "thank you for any advice", "with thanks", "many thanks again"};
    std::stable_sort(v.begin(), v.end(), [](auto a, auto b) { return a.size() > b.size(); });
    return v;
  }();
  return p;
}

bool looks_like_contact_detail(std::string_view t) {
  // Phone numbers, addresses of mail and web, in a signature block.
  std::size_t digits = 0;
  for (char c : t) digits += is_digit(c) ? 1 : 0;
  return digits >= 6 || contains(t, "@") || contains(t, "www.") || contains(t, "http") || contains(t, ".com");
}

}  // namespace

bool name_like(std::string_view s, bool allow_lowercase) {
  s = trim(s);
  if (s.empty() || s.size() > 40) return false;
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > b) words.push_back(s.substr(b, i - b));
  }
  if (words.empty() || words.size() > 3) return false;
  for (std::size_t k = 0; k < words.size(); ++k) {
    const auto w = words[k];
    if (w.size() > 20) return false;
    std::string lw = lower(w);
    while (!lw.empty() && lw.back() == '.') lw.pop_back();
    if (not_names().count(lw) && !(titles().count(lw) && k == 0 && words.size() > 1)) return false;
    for (char c : w)
      if (!(is_alpha(c) || c == '\'' || c == '-' || c == '.' || static_cast<unsigned char>(c) >= 0x80)) return false;
    const bool capital = is_upper(w.front()) || static_cast<unsigned char>(w.front()) >= 0x80;
    if (!capital && !(allow_lowercase && words.size() == 1 && w.size() >= 2)) return false;
    if (!capital && !is_lower(w.front())) return false;
  }
  return true;
}

std::string greeting_name(std::string_view s) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : trim(s)) {
    if (c == ' ') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) words.push_back(cur);
  if (words.empty()) return {};
  std::string first = lower(words.front());
  while (!first.empty() && first.back() == '.') first.pop_back();
  std::string name = (titles().count(first) && words.size() > 1) ? words.front() + " " + words.back() : words.front();
  if (!name.empty()) name.front() = to_upper(name.front());
  return name;
}

std::string strip_name_decoration(std::string_view s) {
  s = trim(s);
  while (!s.empty() && (s.front() == '-' || s.front() == '~' || s.front() == '*')) s = trim(s.substr(1));
  for (std::string_view tail : {":)", ":-)", "x", "xx", "xxx", "X", "XX"}) {
    if (s.size() > tail.size() + 1 && ends_with(s, tail) && s[s.size() - tail.size() - 1] == ' ') {
      s = trim(s.substr(0, s.size() - tail.size()));
      break;
    }
  }
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == '!' || s.back() == '*')) s.remove_suffix(1);
  return std::string(trim(s));
}

std::optional<std::string> take_closing_name(std::vector<std::string>& own) {
  std::optional<std::string> name;
  while (!own.empty() && trim(own.back()).empty()) own.pop_back();
  // The sign-off: "Thanks,\nSam\n07700 900123" at the end, and the name in it.
  std::size_t seen = 0;
  for (std::size_t i = own.size(); i-- > 0;) {
    const std::string_view t = trim(own[i]);
    if (t.empty()) continue;
    if (++seen > 6) break;
    // A sign-off broken over two lines ("thank\nyou\nAhmed").
    std::size_t names_from = i + 1;
    auto s = sign_off(t);
    if (!s && i + 1 < own.size() && word_count(t) <= 2 && word_count(own[i + 1]) <= 2) {
      s = sign_off(std::string(t) + " " + std::string(trim(own[i + 1])));
      if (s && s->empty()) names_from = i + 2;
      else s.reset();
    }
    if (s) {
      if (!s->empty()) {
        name = *s;
      } else {
        for (std::size_t k = names_from; k < own.size() && !name; ++k) {
          const std::string n = strip_name_decoration(own[k]);
          if (name_like(n, false)) name = greeting_name(n);
        }
      }
      own.resize(i);
      break;
    }
    const bool signature_like = word_count(t) <= 5 && !contains(t, "?");
    if (!(signature_like || looks_like_contact_detail(t))) break;
  }
  while (!own.empty() && trim(own.back()).empty()) own.pop_back();
  if (!name && !own.empty()) {
    // A bare name closing the email ("... let me know.\n\nSam").
    const std::string n = strip_name_decoration(own.back());
    const std::string_view before = own.size() >= 2 ? trim(own[own.size() - 2]) : std::string_view{};
    const bool alone = own.size() >= 2 && (before.empty() || word_count(before) <= 6 ||
                                           std::string_view(".!?,").find(before.back()) != std::string_view::npos);
    if (alone && name_like(n, false) && word_count(n) <= 3) {
      name = greeting_name(n);
      own.pop_back();
    }
  }
  return name;
}

std::optional<std::string> name_in_sentence(std::string_view s, bool near_start) {
  const auto toks = tokens(s);
  auto take = [&](std::size_t i, bool allow_lowercase) -> std::optional<std::string> {
    if (i >= toks.size()) return std::nullopt;
    // One or two capitalised words, then the end of the clause.
    for (std::size_t n : {std::size_t{2}, std::size_t{1}}) {
      if (i + n > toks.size()) continue;
      const std::string_view words = s.substr(toks[i].b, toks[i + n - 1].e - toks[i].b);
      if (contains(words, ",")) continue;
      if (!name_like(words, allow_lowercase && n == 1)) continue;
      const std::size_t end = toks[i + n - 1].e;
      const std::string_view after = trim(s.substr(end));
      const bool clause_ends = after.empty() || after.front() == ',' || after.front() == '.' || after.front() == '!' ||
                               after.front() == '-' || after.front() == '(' || starts_with(lower(after), "and ") ||
                               starts_with(lower(after), "from ") || starts_with(lower(after), "here") ||
                               after.front() == ';';
      if (clause_ends || allow_lowercase) return greeting_name(words);
    }
    return std::nullopt;
  };
  for (std::size_t i = 0; i + 2 < toks.size(); ++i) {
    if (toks[i].w == "my" && toks[i + 1].w == "name" && toks[i + 2].w == "is")
      if (auto n = take(i + 3, true)) return n;
    if (toks[i].w == "my" && (toks[i + 1].w == "name's" || toks[i + 1].w == "names"))
      if (auto n = take(i + 2, true)) return n;
  }
  if (!near_start) return std::nullopt;
  for (std::size_t i = 0; i < toks.size() && i < 6; ++i) {
    if (toks[i].w == "i'm" || toks[i].w == "im") {
      if (auto n = take(i + 1, false)) return n;
    } else if (toks[i].w == "i" && i + 1 < toks.size() && toks[i + 1].w == "am") {
      if (auto n = take(i + 2, false)) return n;
    } else if (toks[i].w == "this" && i + 1 < toks.size() && toks[i + 1].w == "is") {
      if (auto n = take(i + 2, false)) return n;
    }
  }
  if (toks.size() >= 2 && toks[1].w == "here" && name_like(s.substr(toks[0].b, toks[0].e - toks[0].b), false))
    return greeting_name(s.substr(toks[0].b, toks[0].e - toks[0].b));
  return std::nullopt;
}

}  // namespace cited::email_detail

namespace cited {

using namespace email_detail;

std::optional<std::string> sign_off(std::string_view line) {
  std::string_view t = trim(line);
  while (!t.empty() && (t.front() == '-' || t.front() == '~')) t = trim(t.substr(1));
  const std::string lt = lower(t);
  for (auto p : sign_off_phrases()) {
    if (!starts_with(lt, p)) continue;
    if (lt.size() > p.size() && is_alpha(lt[p.size()])) continue;
    std::string_view rest = t.substr(p.size());
    while (!rest.empty() && (is_space(rest.front()) || rest.front() == ',' || rest.front() == '!' ||
                             rest.front() == '.' || rest.front() == ':' || rest.front() == '-' || rest.front() == ';'))
      rest.remove_prefix(1);
    const std::string name = strip_name_decoration(rest);
    if (name.empty()) return std::string{};
    if (name_like(name, true)) return greeting_name(name);
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace cited
