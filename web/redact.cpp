#include "redact.hpp"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>

namespace cited::web {
namespace {

namespace pn = i18n::phonenumbers;

// A run of digits needs this many to be shown to libphonenumber, and this many to count as a
// phone number whatever libphonenumber says of it.
constexpr std::size_t candidate_digits = 6;
constexpr std::size_t certain_digits = 7;
// Runs past this many in one text are judged by the digit count alone: each costs
// libphonenumber about 0.1 ms per region, and a hostile text could hold thousands.
constexpr std::size_t most_runs_matched = 8;
// Within a run, libphonenumber gives up after this many candidates that are no number.
constexpr int matcher_tries = 8;

// The text as it is matched: a folded character per entry, each with the bytes of the original
// it came from, so that what is replaced is the original's bytes and nothing else changes.
struct folded_text {
  std::u32string chars;
  std::vector<std::uint32_t> begin, end;

  void clear() {
    chars.clear();
    begin.clear();
    end.clear();
  }
  void push(char32_t c, std::size_t b, std::size_t e) {
    chars.push_back(c);
    begin.push_back(static_cast<std::uint32_t>(b));
    end.push_back(static_cast<std::uint32_t>(e));
  }
};

const icu::Normalizer2* nfkc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFKC normaliser");
    return n;
  }();
  return instance;
}

// One character of a patient's text as the matchers below see it.
void fold_one(UChar32 c, std::size_t b, std::size_t e, folded_text& out) {
  // Zero-width spaces and joiners, soft hyphens, bidi marks: invisible, so they may sit inside
  // an address or a number without the reader seeing them.
  if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) return;
  const auto type = u_charType(c);
  if (type == U_DECIMAL_DIGIT_NUMBER) return out.push(static_cast<char32_t>(U'0' + u_charDigitValue(c)), b, e);
  if (type == U_DASH_PUNCTUATION) return out.push(U'-', b, e);
  if (u_isUWhiteSpace(c)) return out.push(U' ', b, e);
  if (c == 0x3002 || c == 0xFF61) return out.push(U'.', b, e);  // ideographic full stops
  // NFKC: full-width and other compatibility forms become the plain characters ("＠" is "@").
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normal = nfkc()->normalize(icu::UnicodeString(c), status);
  if (U_FAILURE(status) || normal.isEmpty()) return out.push(static_cast<char32_t>(c), b, e);
  for (int32_t i = 0; i < normal.length();) {
    const UChar32 n = normal.char32At(i);
    out.push(static_cast<char32_t>(u_charType(n) == U_DECIMAL_DIGIT_NUMBER ? U'0' + u_charDigitValue(n) : n), b, e);
    i += U16_LENGTH(n);
  }
}

void fold(std::string_view text, folded_text& out) {
  out.clear();
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    const int32_t b = i;
    if (s[i] < 0x80) {
      out.push(s[i], static_cast<std::size_t>(i), static_cast<std::size_t>(i) + 1);
      ++i;
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(s, i, n, c);
    if (c < 0) out.push(0xFFFD, static_cast<std::size_t>(b), static_cast<std::size_t>(i));
    else fold_one(c, static_cast<std::size_t>(b), static_cast<std::size_t>(i), out);
  }
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool is_ascii_alnum(char32_t c) { return is_digit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z'); }
// Letters, digits and combining marks, in any script: what an address's names are made of.
bool is_word(char32_t c) {
  if (c < 0x80) return is_ascii_alnum(c);
  return u_isalnum(static_cast<UChar32>(c)) || (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}
bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  return u_isalpha(static_cast<UChar32>(c)) || (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0;
}
bool is_local_part(char32_t c) {
  return is_word(c) || c == U'.' || c == U'_' || c == U'%' || c == U'+' || c == U'-' || c == U'\'';
}
bool is_phone_joiner(char32_t c) { return c == U' ' || c == U'-' || c == U'.' || c == U'(' || c == U')' || c == U'/'; }

char32_t closer_of(char32_t c) {
  switch (c) {
    case U'(': return U')';
    case U'[': return U']';
    case U'{': return U'}';
    case U'<': return U'>';
    default: return 0;
  }
}

// The ASCII word w (lower case) at s[i...], in any case.
bool word_at(const std::u32string& s, std::size_t i, std::string_view w) {
  if (i + w.size() > s.size()) return false;
  for (std::size_t k = 0; k < w.size(); ++k) {
    char32_t c = s[i + k];
    if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
    if (c != static_cast<unsigned char>(w[k])) return false;
  }
  return true;
}

// A spelled-out separator at i: "(at)", "[dot]" (spaces around allowed) or " at ", " dot ".
// Returns where it ends, or 0 when there is none.
std::size_t spelled(const std::u32string& s, std::size_t i, std::string_view word) {
  std::size_t j = i;
  while (j < s.size() && s[j] == U' ') ++j;
  std::size_t e = 0;
  if (j < s.size() && closer_of(s[j])) {
    const std::size_t close = j + 1 + word.size();
    if (!word_at(s, j + 1, word) || close >= s.size() || s[close] != closer_of(s[j])) return 0;
    e = close + 1;
  } else {
    if (j == i || !word_at(s, j, word) || j + word.size() >= s.size() || s[j + word.size()] != U' ') return 0;
    e = j + word.size();
  }
  while (e < s.size() && s[e] == U' ') ++e;
  return e;
}

struct span {
  std::size_t begin, end;  // folded characters
  std::string_view label;
};

// name@host.tld, with "@" and "." as they are disguised: "(at)", "[at]", " at ", "(dot)", " dot ".
void find_emails(const std::u32string& s, std::vector<span>& out) {
  const std::size_t n = s.size();
  for (std::size_t i = 1; i < n; ++i) {
    if (!is_word(s[i - 1]) || !(s[i] == U'@' || s[i] == U' ' || closer_of(s[i]))) continue;
    const std::size_t separator_end = s[i] == U'@' ? i + 1 : spelled(s, i, "at");
    if (separator_end == 0) continue;
    std::size_t b = i;
    while (b > 0 && is_local_part(s[b - 1])) --b;
    while (b < i && s[b] == U'.') ++b;  // a sentence's full stop is not part of the address
    if (!out.empty() && out.back().end > b) continue;
    // The host: names joined by dots; the last (the top-level domain) two letters or more.
    std::size_t e = separator_end, labels = 0, tld_begin = 0, tld_end = 0;
    for (;;) {
      const std::size_t label = e;
      while (e < n && (is_word(s[e]) || s[e] == U'-')) ++e;
      if (e == label) break;
      ++labels;
      tld_begin = label;
      tld_end = e;
      const std::size_t next = e + 1 < n && s[e] == U'.' && is_word(s[e + 1]) ? e + 1 : spelled(s, e, "dot");
      if (next == 0) break;
      e = next;
    }
    if (labels < 2 || tld_end - tld_begin < 2 ||
        !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(tld_begin), s.begin() + static_cast<std::ptrdiff_t>(tld_end), is_letter))
      continue;
    // "write to me at sam.jones@example.com": what looked like a host is the local part of a
    // real address; that address is found at its own "@".
    if (tld_end < n && s[tld_end] == U'@') continue;
    out.push_back({b, tld_end, "[email]"});
    i = tld_end;
  }
}

std::mutex regions_mutex;
std::shared_ptr<const std::vector<std::string>>& regions_slot() {
  static std::shared_ptr<const std::vector<std::string>> regions;
  return regions;
}

std::vector<std::string> split_regions(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const auto item = list.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out;
}

const pn::PhoneNumberUtil& phone_util() {
  static const pn::PhoneNumberUtil* util = [] {
    pn::PhoneNumberUtil* u = pn::PhoneNumberUtil::GetInstance();
    // The library logs what it could not parse, which would be a patient's number: never.
    u->SetLogger(new pn::NullLogger());
    return u;
  }();
  return *util;
}

std::shared_ptr<const std::vector<std::string>> current_regions() {
  std::lock_guard lock(regions_mutex);
  auto& slot = regions_slot();
  if (!slot) slot = std::make_shared<const std::vector<std::string>>(split_regions(default_phone_regions));
  return slot;
}

// libphonenumber's matches in run (ASCII: digits, joiners, a "+"), as [begin, end) offsets,
// region by region until every digit of the run is in one.
std::vector<std::pair<std::size_t, std::size_t>> phone_matches(const std::string& run) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  const auto regions = current_regions();
  const auto& util = phone_util();
  auto all_digits_covered = [&] {
    for (std::size_t k = 0; k < run.size(); ++k) {
      if (!is_digit(static_cast<unsigned char>(run[k]))) continue;
      if (std::none_of(found.begin(), found.end(), [k](const auto& m) { return k >= m.first && k < m.second; })) return false;
    }
    return true;
  };
  for (const auto& region : *regions) {
    pn::PhoneNumberMatcher matcher(util, run, region, pn::PhoneNumberMatcher::POSSIBLE, matcher_tries);
    pn::PhoneNumberMatch match;
    while (matcher.HasNext() && matcher.Next(&match)) {
      const auto start = static_cast<std::size_t>(match.start());
      found.emplace_back(start, std::min(run.size(), start + static_cast<std::size_t>(match.length())));
    }
    if (!found.empty() && all_digits_covered()) {
      // The whole run is the number: its "+" and brackets go with it.
      return {{0, run.size()}};
    }
  }
  return found;
}

void find_phones(const std::u32string& s, const std::vector<span>& emails, std::vector<span>& out) {
  std::size_t next_email = 0, matched_runs = 0;
  std::size_t i = 0;
  std::string run;
  while (i < s.size()) {
    if (next_email < emails.size() && i >= emails[next_email].begin) {
      i = emails[next_email++].end;
      continue;
    }
    const char32_t c = s[i];
    if (!(is_digit(c) || c == U'+' || c == U'(')) {
      ++i;
      continue;
    }
    const std::size_t limit = next_email < emails.size() ? emails[next_email].begin : s.size();
    std::size_t e = i + (c == U'+' ? 1 : 0);
    std::size_t digits = 0;
    while (e < limit && (is_digit(s[e]) || is_phone_joiner(s[e]))) digits += is_digit(s[e++]) ? 1 : 0;
    // The run ends on its last digit (or a closing parenthesis), not on the space after it.
    while (e > i && !is_digit(s[e - 1]) && s[e - 1] != U')') --e;
    if (digits >= candidate_digits) {
      bool redacted = false;
      if (matched_runs++ < most_runs_matched) {
        run.clear();
        for (std::size_t k = i; k < e; ++k) run += static_cast<char>(s[k]);
        for (const auto& [b, f] : phone_matches(run)) {
          out.push_back({i + b, i + f, "[phone]"});
          redacted = true;
        }
      }
      if (!redacted && digits >= certain_digits) out.push_back({i, e, "[phone]"});
    }
    i = std::max(e, i + 1);
  }
}

std::string redact_folded(std::string_view text, const folded_text& f) {
  std::vector<span> emails, spans;
  find_emails(f.chars, emails);
  find_phones(f.chars, emails, spans);
  spans.insert(spans.end(), emails.begin(), emails.end());
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end(), [](const span& a, const span& b) { return a.begin < b.begin; });
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;  // bytes of text
  for (const auto& sp : spans) {
    const std::size_t b = f.begin[sp.begin], e = f.end[sp.end - 1];
    if (b < at) continue;  // overlaps the last one (two regions' matches): already replaced
    out.append(text.substr(at, b - at));
    out.append(sp.label);
    at = e;
  }
  out.append(text.substr(at));
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string redact_personal_data(std::string_view text) {
  // Offsets are kept in 32 bits; no patient writes 2 GB, but a log line must never crash.
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) return "[too long to redact]";
  // Each thread keeps its buffers: this runs on every answer.
  thread_local folded_text f;
  fold(text, f);
  return redact_folded(text, f);
}

std::string redact_request_target(std::string_view target) {
  std::string decoded;
  decoded.reserve(target.size());
  for (std::size_t i = 0; i < target.size(); ++i) {
    const int hi = target[i] == '%' && i + 2 < target.size() ? hex_value(target[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_value(target[i + 2]) : -1;
    if (lo >= 0) {
      decoded += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      decoded += target[i];
    }
  }
  return redact_personal_data(decoded);
}

bool is_phone_number(std::string_view text) {
  const auto& util = phone_util();
  const std::string typed(text);
  for (const auto& region : *current_regions()) {
    pn::PhoneNumber number;
    if (util.Parse(typed, region, &number) == pn::PhoneNumberUtil::NO_PARSING_ERROR && util.IsValidNumber(number))
      return true;
  }
  return false;
}

void set_phone_regions(const std::vector<std::string>& regions) {
  std::set<std::string> known;
  phone_util().GetSupportedRegions(&known);
  for (const auto& r : regions)
    if (!known.count(r)) throw std::invalid_argument("unknown phone region '" + r + "' (use ISO 3166 codes such as GB, US)");
  auto list = std::make_shared<const std::vector<std::string>>(regions);
  std::lock_guard lock(regions_mutex);
  regions_slot() = std::move(list);
}

std::vector<std::string> phone_regions() { return *current_regions(); }

}  // namespace cited::web
