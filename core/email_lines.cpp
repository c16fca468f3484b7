#include "email_lines.hpp"

#include <algorithm>

#include "email_names.hpp"
#include "email_reader.hpp"
#include "email_text.hpp"

namespace cited::email_detail {

namespace {

bool is_original_message(std::string_view lt) {
  std::string_view core = lt;
  while (!core.empty() && (core.front() == '-' || core.front() == ' ' || core.front() == '_')) core.remove_prefix(1);
  while (!core.empty() && (core.back() == '-' || core.back() == ' ' || core.back() == '_')) core.remove_suffix(1);
  return (core == "original message" || core == "reply message" || core == "original" ||
          core == "message d'origine") && lt.size() > core.size();
}

bool is_forward_marker(std::string_view lt) {
  return (contains(lt, "forwarded message") && starts_with(lt, "-")) || starts_with(lt, "begin forwarded message");
}

bool is_rule(std::string_view t) {
  return t.size() >= 10 && std::all_of(t.begin(), t.end(), [](char c) { return c == '_'; });
}

bool is_signature_delimiter(std::string_view line) {
  // "-- " is the standard delimiter; people also type "--" or "---" on its own line.
  const std::string_view t = trim(line);
  return t == "--" || t == "---" || t == "\xE2\x80\x94" || t == "\xE2\x80\x94\xE2\x80\x94";
}

bool is_device_signature(std::string_view lt) {
  for (std::string_view p : {"sent from my ", "sent from mail for windows", "sent from outlook", "get outlook for ",
                             "sent from yahoo mail", "sent via ", "sent from samsung", "sent from aol",
                             "sent from the all new aol", "sent using ", "sent with proton", "sent from proton",
                             "sent from gmail", "sent from my iphone", "sent from iphone", "sent from ipad",
                             "envoye de mon", "enviado desde mi"})
    if (starts_with(lt, p)) return true;
  return lt == "sent from my iphone" || lt == "sent from my phone";
}

bool is_disclaimer(std::string_view lt) {
  for (std::string_view p : {"this email and any attachments", "this e-mail and any attachments",
                             "this message and any attachments", "confidentiality notice", "disclaimer:",
                             "the information contained in this", "this email is confidential",
                             "this e-mail is confidential", "privileged and confidential", "this message is intended"})
    if (starts_with(lt, p)) return true;
  return false;
}

bool is_header_line(std::string_view lt, bool with_sent) {
  for (std::string_view p : {"from:", "to:", "cc:", "bcc:", "subject:", "date:", "reply-to:", "sent:", "importance:"})
    if (starts_with(lt, p) && (with_sent || p != "sent:")) return true;
  return false;
}

std::string unbold(std::string_view t) {
  // Outlook's plain-text history writes "*From:* ..."
  std::string out;
  for (char c : t)
    if (c != '*') out += c;
  return out;
}

// Outlook and Apple Mail write history under a "From: / Sent: / To: / Subject:" block.
bool is_history_header(const std::vector<std::string>& lines, std::size_t i) {
  const std::string lt = lower(unbold(trim(lines[i])));
  if (!starts_with(lt, "from:")) return false;
  bool when = false, what = false;
  for (std::size_t k = i + 1; k < lines.size() && k <= i + 6; ++k) {
    const std::string l = lower(unbold(trim(lines[k])));
    if (starts_with(l, "sent:") || starts_with(l, "date:")) when = true;
    if (starts_with(l, "to:") || starts_with(l, "subject:")) what = true;
  }
  return when && what;
}

// "On Mon, 3 Jun 2024 at 10:02, Clinic <info@clinic.com> wrote:", which mail clients wrap over
// up to three lines. Returns the number of lines it spans, or 0.
std::size_t wrote_line(const std::vector<std::string>& lines, std::size_t i) {
  std::string joined = lower(trim(lines[i]));
  auto says_wrote = [](std::string_view l) {
    l = trim(l);
    return ends_with(l, "wrote:") || ends_with(l, "a \xC3\xA9" "crit :") || ends_with(l, "a \xC3\xA9" "crit:") ||
           ends_with(l, "schrieb:") || ends_with(l, "escribi\xC3\xB3:");
  };
  if (starts_with(joined, "on ") || starts_with(joined, "le ") || starts_with(joined, "am ") ||
      starts_with(joined, "el ")) {
    for (std::size_t k = 0; k < 3 && joined.size() < 400; ++k) {
      if (says_wrote(joined)) return k + 1;
      if (i + k + 1 >= lines.size()) break;
      joined += ' ';
      joined += lower(trim(lines[i + k + 1]));
    }
    return 0;
  }
  if (says_wrote(joined) && (contains(joined, "@") || contains(joined, "<") || word_count(joined) <= 12)) return 1;
  return 0;
}

bool quoted(std::string_view line) {
  const std::string_view t = trim(line);
  return !t.empty() && t.front() == '>';
}

const std::vector<std::string_view>& greeting_words() {
  static const std::vector<std::string_view> g{"to whom it may concern", "good morning", "good afternoon",
                                               "good evening", "good day", "greetings", "hiya", "heya", "hello",
                                               "hallo", "howdy", "dear", "hey", "hi", "morning", "afternoon",
                                               "evening", "hola", "yo"};
  return g;
}

// The length of the greeting word opening lt, or 0.
std::size_t greeting_at_start(std::string_view lt) {
  for (auto g : greeting_words())
    if (starts_with(lt, g) && (lt.size() == g.size() || !is_alpha(lt[g.size()]))) return g.size();
  return 0;
}

bool greeting_line(std::string_view t) {
  const std::string lt = lower(trim(t));
  if (!greeting_at_start(lt) || word_count(lt) > 6 || contains(lt, "?")) return false;
  // "Hello I am" opens a sentence that goes on below; "Hi Sam," or "Dear Sir/Madam" does not.
  for (const auto& w : tokens(lt))
    for (std::string_view p : {"i", "i'm", "im", "am", "my", "we", "is", "was", "have", "i've", "just", "wanted"})
      if (w.w == p) return false;
  return true;
}

// "Hi there, I was wondering ..." -> "I was wondering ..."
std::string strip_inline_greeting(std::string_view t) {
  const std::string lt = lower(t);
  const std::size_t g = greeting_at_start(lt);
  if (!g) return std::string(t);
  const std::size_t limit = std::min<std::size_t>(lt.size(), 48);
  for (std::size_t i = g; i < limit; ++i) {
    const char c = lt[i];
    if (c == '?' || c == '.') break;
    if (c == ',' || c == '!' || c == ':' || (c == '-' && i > 0 && lt[i - 1] == ' ')) {
      if (word_count(lt.substr(0, i)) > 5) break;
      return std::string(trim(t.substr(i + 1)));
    }
  }
  return std::string(t);
}

bool is_bullet(std::string_view t, std::size_t& marker) {
  marker = 0;
  if (t.empty()) return false;
  if ((t[0] == '-' || t[0] == '*' || t[0] == '+') && t.size() > 1 && t[1] == ' ') marker = 2;
  else if (starts_with(t, "\xE2\x80\xA2") || starts_with(t, "\xE2\x80\x93") || starts_with(t, "\xC2\xB7")) marker = starts_with(t, "\xC2\xB7") ? 2 : 3;
  else {
    std::size_t i = 0;
    while (i < t.size() && i < 3 && is_digit(t[i])) ++i;
    if (i > 0 && i + 1 < t.size() && (t[i] == '.' || t[i] == ')') && t[i + 1] == ' ') marker = i + 2;
  }
  return marker > 0;
}

const word_set& continuation_words() {
  static const word_set w{"and", "or", "but", "the", "a", "an", "to", "of", "for", "in", "on", "at", "with", "my",
                          "your", "is", "are", "it", "if", "whether", "how", "what", "about", "that", "i", "i'm",
                          "was", "be", "so", "as", "from", "by", "this", "will", "would", "can", "could", "do",
                          "does", "have", "has", "get", "much", "many", "long", "very", "really", "any", "some"};
  return w;
}

}  // namespace

std::string unwrap(const std::vector<std::string>& lines) {
  std::string out;
  std::string prev;
  bool listing = false;  // the lines follow one ending in ":" or are bullets
  for (const auto& raw : lines) {
    std::string_view t = trim(raw);
    if (t.empty()) {
      if (!out.empty() && !ends_with(out, "\n\n")) out += ends_with(out, "\n") ? "\n" : "\n\n";
      prev.clear();
      listing = false;
      continue;
    }
    std::size_t marker = 0;
    bool bullet = is_bullet(t, marker);
    if (bullet) t = trim(t.substr(marker));
    if (t.empty()) continue;
    if (!prev.empty() && prev.back() == ':') listing = true;
    if (listing && !bullet && t.size() < 60 && prev.size() < 60) bullet = true;
    if (bullet) listing = true;
    if (prev.empty()) {
      if (bullet) out += list_mark;
      out += t;
    } else {
      const char last = prev.back();
      const char first = t.front();
      bool join = false;
      if (!bullet && last != '.' && last != '?' && last != '!' && last != ':' && last != ';') {
        const auto prev_words = tokens(prev);
        const bool open_end = last == ',' || last == '-' ||
                              (!prev_words.empty() && continuation_words().count(prev_words.back().w) &&
                               prev_words.back().e == prev.size());
        join = is_lower(first) || open_end || prev.size() >= 60;
      }
      out += join ? " " : "\n";
      if (bullet) out += list_mark;
      out += t;
    }
    prev = std::string(t);
  }
  return out;
}

top_headers strip_top_headers(std::vector<std::string>& lines) {
  top_headers h;
  std::size_t i = 0;
  while (i < lines.size() && trim(lines[i]).empty()) ++i;
  const std::size_t first = i;
  std::size_t n = 0;
  while (i < lines.size() && is_header_line(lower(unbold(trim(lines[i]))), true)) {
    ++n;
    ++i;
  }
  if (n == 0) return h;
  for (std::size_t k = first; k < i; ++k) {
    const std::string t = unbold(trim(lines[k]));
    const std::string lt = lower(t);
    const std::string value(trim(std::string_view(t).substr(t.find(':') + 1)));
    if (starts_with(lt, "from:")) {
      std::string display = value.substr(0, value.find('<'));
      display.erase(std::remove(display.begin(), display.end(), '"'), display.end());
      if (!contains(display, "@") && name_like(display, false)) h.from_name = greeting_name(display);
    } else if (starts_with(lt, "subject:")) {
      h.subject = value;
    }
  }
  lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(first), lines.begin() + static_cast<std::ptrdiff_t>(i));
  return h;
}

void drop_greeting(std::vector<std::string>& own) {
  std::size_t first = 0;
  while (first < own.size() && trim(own[first]).empty()) ++first;
  if (first < own.size()) {
    if (greeting_line(own[first])) own.erase(own.begin() + static_cast<std::ptrdiff_t>(first));
    else own[first] = strip_inline_greeting(trim(own[first]));
  }
}

}  // namespace cited::email_detail

namespace cited {

using namespace email_detail;

std::vector<std::string> own_lines(const std::vector<std::string>& lines, std::optional<std::string>* signature_name) {
  // own_after[k]: a line of the patient's own (not quoted, not a "wrote:" marker) comes at k or later.
  std::vector<bool> own_after(lines.size() + 1, false);
  for (std::size_t k = lines.size(); k-- > 0;) {
    const std::string_view t = trim(lines[k]);
    own_after[k] = own_after[k + 1] || (!t.empty() && !quoted(t) && !wrote_line(lines, k));
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view t = trim(lines[i]);
    const std::string lt = lower(unbold(t));
    if (quoted(t)) continue;
    if (is_signature_delimiter(t) && signature_name) {
      // "-- \nMichael O'Brien\nSenior Account Manager": the first line of a signature names its writer.
      for (std::size_t k = i + 1; k < lines.size() && k <= i + 3; ++k) {
        const std::string n = strip_name_decoration(lines[k]);
        if (n.empty()) continue;
        if (name_like(n, false)) *signature_name = greeting_name(n);
        break;
      }
    }
    if (is_original_message(lt) || is_rule(t) || is_signature_delimiter(t) || is_device_signature(lt) ||
        is_disclaimer(lt))
      break;
    if (is_forward_marker(lt)) {
      // A forwarded email: its header goes, the patient's text under it stays.
      std::size_t k = i + 1;
      while (k < lines.size() && (trim(lines[k]).empty() || is_header_line(lower(unbold(trim(lines[k]))), true))) ++k;
      i = k - 1;
      continue;
    }
    if (std::size_t span = wrote_line(lines, i)) {
      // Inline replies answer between quoted lines: keep reading past the marker then.
      std::size_t k = i + span;
      while (k < lines.size() && trim(lines[k]).empty()) ++k;
      if (k < lines.size() && quoted(lines[k])) {
        if (own_after[k]) {
          i = i + span - 1;
          continue;
        }
      }
      break;
    }
    if (is_history_header(lines, i)) break;
    out.emplace_back(t);
  }
  return out;
}

}  // namespace cited
