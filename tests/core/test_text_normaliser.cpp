#include "text_normaliser.hpp"

#include <gtest/gtest.h>

using namespace cited;

namespace {
std::vector<std::string> texts(const std::vector<word>& ws) {
  std::vector<std::string> out;
  for (const auto& w : ws) out.push_back(w.text);
  return out;
}
}  // namespace

TEST(text_normaliser, folds_case_width_and_diacritics) {
  text_normaliser n;
  EXPECT_EQ(n.fold("ANÉSTHÉSIE Ｆｕｌｌ"), "anesthesie full");
  EXPECT_EQ(n.fold("Straße"), "strasse");
}

TEST(text_normaliser, drops_apostrophes_inside_words) {
  text_normaliser n;
  EXPECT_EQ(n.fold("doesn’t it's patient’s"), "doesnt its patients");
}

TEST(text_normaliser, writes_money_and_numbers_one_way) {
  text_normaliser n;
  EXPECT_EQ(n.fold("$3,000"), "money 3000");
  EXPECT_EQ(n.fold("3000"), "3000");
  EXPECT_EQ(n.fold("3k"), "3000");
  EXPECT_EQ(n.fold("€500"), "money 500");
  EXPECT_EQ(n.fold("1-2mm deep"), "1 2 mm deep");
  EXPECT_EQ(n.fold("the 2nd session"), "the 2 session");
  EXPECT_EQ(n.fold("SPF 30."), "spf 30");
}

TEST(text_normaliser, gives_byte_offsets_into_the_input) {
  text_normaliser n;
  const std::string text = "Does it hurt?";
  const auto ws = n.words(text);
  ASSERT_EQ(texts(ws), (std::vector<std::string>{"does", "it", "hurt"}));
  EXPECT_EQ(text.substr(ws[2].begin, ws[2].end - ws[2].begin), "hurt");
}

TEST(text_normaliser, ignores_punctuation_and_fts_syntax) {
  text_normaliser n;
  EXPECT_EQ(n.fold("\"pain\"* NEAR(cost) col:x ^a -b (("), "pain near cost col x a b");
  EXPECT_TRUE(n.words("?!... ---").empty());
  EXPECT_TRUE(n.words("").empty());
}

TEST(text_normaliser, survives_ill_formed_utf8) {
  text_normaliser n;
  EXPECT_EQ(n.fold("pain\xFF\xFE cost"), "pain cost");
}

// Plain ASCII words skip ICU's normalisers; fullwidth forms of the same words go through them,
// so both paths must fold to the same words.
TEST(text_normaliser, ascii_words_fold_as_icu_folds_them) {
  text_normaliser n;
  const std::string ascii = "Does SMP HURT? It's $3,000 or 3K, 2nd Session; don't A-Z_09 x.y";
  std::string fullwidth;
  for (unsigned char c : ascii) {
    if (c > 0x20 && c < 0x7F) {
      const char32_t wide = 0xFF00 + (c - 0x20);  // U+FF01..U+FF5E mirror ASCII 0x21..0x7E
      fullwidth += static_cast<char>(0xE0 | (wide >> 12));
      fullwidth += static_cast<char>(0x80 | ((wide >> 6) & 0x3F));
      fullwidth += static_cast<char>(0x80 | (wide & 0x3F));
    } else {
      fullwidth += static_cast<char>(c);
    }
  }
  EXPECT_EQ(n.fold(ascii), n.fold(fullwidth));
  EXPECT_EQ(n.fold(ascii), "does smp hurt its money 3000 or 3000 2 session dont a z_09 x.y");
}

// The sign reader reads negations and questions within a clause or a sentence: each word says
// what punctuation stands before it.
TEST(text_normaliser, notes_the_punctuation_before_each_word) {
  text_normaliser n;
  auto pauses = [&](std::string_view text) {
    std::string out;
    for (const auto& w : n.words(text)) out += static_cast<char>('0' + w.pause);
    return out;
  };
  EXPECT_EQ(pauses("no pus, no smell. it bleeds? yes! ok"), "00102022");
  EXPECT_EQ(pauses("yellow-green stuff (on the pillow) - and / or"), "00010011");
  EXPECT_EQ(pauses("line one\nline two"), "0020");
  EXPECT_EQ(pauses("ça va？ oui、 non — 38.9 degrees"), "002110");
  EXPECT_EQ(pauses("2mm, $3,000"), "0010");  // a number's pieces share its place: nothing between them
}
