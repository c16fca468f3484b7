#include "text_normaliser.hpp"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace cited {
namespace {

bool is_apostrophe(UChar32 c) { return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC; }

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "3,000" -> "3000"; "3k" -> "3000"; "2mm" -> {"2", "mm"}; "2nd" -> "2"; "1.5" stays.
std::vector<std::string> split_number(const std::string& s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return {s};
  std::size_t i = 0;
  std::string digits;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') digits.push_back(c);
    else if (c != ',') break;
  }
  while (!digits.empty() && digits.back() == '.') digits.pop_back();
  const std::string_view rest = std::string_view(s).substr(i);
  if (rest == "k" && all_digits(digits)) {
    digits.append(3, '0');
    return {digits};
  }
  // Ordinals are their number: "2nd" -> "2".
  if (rest.empty() || rest == "st" || rest == "nd" || rest == "rd" || rest == "th") return {digits};
  return {digits, std::string(rest)};
}

// How strongly the text between two words parts them (see word::pause). ASCII is read
// directly; other characters by their Unicode properties ("？", "。", "、", "—").
std::uint8_t pause_in(std::string_view gap) {
  std::uint8_t pause = 0;
  const bool spaced = gap.find_first_of(" \t") != std::string_view::npos;
  const auto* bytes = reinterpret_cast<const uint8_t*>(gap.data());
  for (int32_t i = 0; i < static_cast<int32_t>(gap.size());) {
    UChar32 c;
    U8_NEXT(bytes, i, static_cast<int32_t>(gap.size()), c);
    if (c == '.' || c == '?' || c == '!' || c == '\n' || c == '\r') return 2;
    if (c == ',' || c == ';' || c == ':' || c == '/' || c == '(' || c == ')' || c == '[' || c == ']') {
      pause = 1;
    } else if (c == '-') {
      if (spaced) pause = 1;  // "sore - and" parts a clause; "yellow-green" does not
    } else if (c > 0x7F) {
      if (u_hasBinaryProperty(c, UCHAR_S_TERM) || c == 0x2028 || c == 0x2029) return 2;
      const auto type = u_charType(c);
      if (u_hasBinaryProperty(c, UCHAR_TERMINAL_PUNCTUATION) || type == U_START_PUNCTUATION || type == U_END_PUNCTUATION ||
          type == U_DASH_PUNCTUATION)
        pause = 1;
    }
  }
  return pause;
}

}  // namespace

text_normaliser::text_normaliser() {
  UErrorCode status = U_ZERO_ERROR;
  breaker_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  decompose_ = icu::Normalizer2::getNFDInstance(status);
  fold_case_ = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || !breaker_) throw std::runtime_error("ICU could not create a word breaker");
}

text_normaliser::~text_normaliser() = default;

void text_normaliser::append_folded(std::string_view segment, std::size_t begin, std::size_t end,
                                    std::vector<word>& out) const {
  // Most words are plain ASCII, where decomposing, dropping marks and NFKC case folding come
  // down to lower-casing and dropping apostrophes: done here, it saves ICU's round trip.
  if (std::all_of(segment.begin(), segment.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    std::string folded;
    folded.reserve(segment.size());
    for (char c : segment) {
      if (c == '\'') continue;
      folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    if (folded.empty()) return;
    for (auto& piece : split_number(folded))
      if (!piece.empty()) out.push_back({std::move(piece), begin, end});
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString raw = icu::UnicodeString::fromUTF8(
      icu::StringPiece(segment.data(), static_cast<int32_t>(segment.size())));
  icu::UnicodeString decomposed = decompose_->normalize(raw, status);
  // Dropping combining marks after NFD folds "anésthésie" to "anesthesie".
  icu::UnicodeString bare;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (u_charType(c) == U_NON_SPACING_MARK || c == 0xFFFD) continue;
    bare.append(c);
  }
  // Apostrophes go after folding, which turns a fullwidth one into ASCII's.
  const icu::UnicodeString folded = fold_case_->normalize(bare, status);
  if (U_FAILURE(status)) return;
  icu::UnicodeString kept;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (!is_apostrophe(c)) kept.append(c);
  }
  if (kept.isEmpty()) return;
  std::string utf8;
  kept.toUTF8String(utf8);
  for (auto& piece : split_number(utf8))
    if (!piece.empty()) out.push_back({std::move(piece), begin, end});
}

std::vector<word> text_normaliser::words(std::string_view utf8) const {
  std::vector<word> out;
  if (utf8.empty()) return out;
  UErrorCode status = U_ZERO_ERROR;
  UText* text = utext_openUTF8(nullptr, utf8.data(), static_cast<int64_t>(utf8.size()), &status);
  // The break iterator keeps a shallow clone; the bytes must outlive the loop, the UText need not.
  breaker_->setText(text, status);
  utext_close(text);
  if (U_FAILURE(status)) return out;

  int32_t begin = breaker_->first();
  for (int32_t end = breaker_->next(); end != icu::BreakIterator::DONE; begin = end, end = breaker_->next()) {
    const auto b = static_cast<std::size_t>(begin), e = static_cast<std::size_t>(end);
    const std::string_view segment = utf8.substr(b, e - b);
    if (breaker_->getRuleStatus() >= UBRK_WORD_NUMBER) {
      append_folded(segment, b, e, out);
      continue;
    }
    // Not a word; but a currency sign says "this is about money".
    for (int32_t i = 0; i < static_cast<int32_t>(segment.size());) {
      UChar32 c;
      const auto* bytes = reinterpret_cast<const uint8_t*>(segment.data());
      U8_NEXT(bytes, i, static_cast<int32_t>(segment.size()), c);
      if (c >= 0 && u_charType(c) == U_CURRENCY_SYMBOL) {
        out.push_back({std::string(money_word), b, e});
        break;
      }
    }
  }
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].begin >= out[i - 1].end) out[i].pause = pause_in(utf8.substr(out[i - 1].end, out[i].begin - out[i - 1].end));
  return out;
}

std::string text_normaliser::fold(std::string_view utf8) const {
  std::string out;
  for (const auto& w : words(utf8)) {
    if (!out.empty()) out += ' ';
    out += w.text;
  }
  return out;
}

}  // namespace cited
