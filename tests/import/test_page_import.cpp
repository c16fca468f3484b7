#include "page_import.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "knowledge_checks.hpp"

using namespace cited;

namespace {

std::string page(const std::string& name) {
  std::ifstream in(std::string(CITED_SOURCE_DIR "/tests/import/pages/") + name, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

readable_page read(const std::string& name) { return read_page(page(name), format_of(name).value()); }

}  // namespace

// Navigation, a cookie dialog, a header, inline and JSON scripts, styles, a share bar, a form,
// an aside and a footer around a <main>.
TEST(read_html, keeps_only_the_article_of_a_page_with_every_kind_of_furniture) {
  const readable_page p = read("prices.html");
  EXPECT_EQ(p.title, "Prices & Packages");
  EXPECT_EQ(p.text,
            "A full scalp treatment at our clinic costs £1,200 over three sessions. A hairline-only treatment costs £650.\n\n"
            "We take a deposit of £100 when you book, and it comes off the final price.\n\n"
            "Payment plans\n\n"
            "Pay monthly over 6 or 12 months, interest free.\n"
            "Pay in full and save 5%.\n\n"
            "Treatment | Price\n"
            "Full scalp | £1,200\n");
}

// No <main>: the <article> holding the heading, not the teaser in the sidebar; a GDPR bar,
// breadcrumbs, the entry's footer, a newsletter box, comments, hidden text left out.
TEST(read_html, takes_the_article_that_holds_the_heading_and_drops_what_is_hidden) {
  const readable_page p = read("aftercare_article.html");
  EXPECT_EQ(p.title, "Aftercare after your SMP session");
  EXPECT_EQ(p.text,
            "For the first 4 days, do not wash your scalp or let it get wet.\n\n"
            "Avoid the gym, swimming pools and saunas for a week.\n"
            "Sweat can lift the pigment before it settles.\n\n"
            "Sun\n\n"
            "Keep your head out of the sun for 28 days, then use SPF 30 or higher.\n");
}

// No <main> and no <article>: the body, without what its roles and classes say is furniture.
TEST(read_html, reads_the_body_of_a_page_without_landmarks_by_roles_and_classes) {
  const readable_page p = read("practitioner_no_main.html");
  EXPECT_EQ(p.title, "Who performs your treatment");
  EXPECT_EQ(p.text,
            "Every treatment at our clinic is performed by Sam Patel, who has practised scalp micropigmentation since 2015.\n\n"
            "Sam holds a licence from the local council for skin piercing.\n\n"
            "Consultation\n"
            "First session\n");
}

TEST(read_html, takes_the_title_element_when_there_is_no_heading_and_survives_broken_markup) {
  const readable_page p = read_html("<title> Our   team </title><p>Sam <b>trained in 2015.<p>Jo joined &amp; stayed");
  EXPECT_EQ(p.title, "Our team");
  EXPECT_EQ(p.text, "Sam trained in 2015.\n\nJo joined & stayed\n");
  EXPECT_EQ(read_html("").text, "");
}

TEST(read_markdown, takes_away_the_syntax_and_keeps_the_words) {
  const readable_page p = read("booking.md");
  EXPECT_EQ(p.title, "Booking your consultation");
  EXPECT_EQ(p.text,
            "Consultations are free and take about 30 minutes. You can book online or by phone.\n\n"
            "What to bring\n\n"
            "A list of any medicines you take\n"
            "Photos of your hairline from before the hair loss, if you have them\n"
            "Arrive 10 minutes early\n\n"
            "We ask for 48 hours' notice if you need to cancel.\n\n"
            "Day | Hours\n"
            "Monday | 9am to 5pm\n\n"
            "The file is called price_list_2026.pdf, and 2 * 3 sessions is six.\n");
}

TEST(read_markdown, reads_a_setext_title_and_escapes) {
  const readable_page p = read_markdown("Aftercare\n=========\n\nUse SPF 30 \\*every\\* day.\n");
  EXPECT_EQ(p.title, "Aftercare");
  EXPECT_EQ(p.text, "Use SPF 30 *every* day.\n");
}

// Found by a random stress run: a page with nothing readable read past the end of its blocks.
TEST(read_markdown, reads_nothing_from_a_page_of_nothing_but_syntax) {
  for (const char* empty : {"", "\n\n", "***\n", "![](a.png)\n", "[a]: http://x\n"}) {
    const readable_page p = read_markdown(empty);
    EXPECT_EQ(p.title, "") << empty;
    EXPECT_EQ(p.text, "") << empty;
  }
}

TEST(read_plain_text, takes_the_first_line_as_the_title) {
  const readable_page p = read_plain_text("\xEF\xBB\xBF\r\nOur prices\r\n\r\nA session costs 450 pounds.  \r\nPlans too.\r\n\r\n");
  EXPECT_EQ(p.title, "Our prices");
  EXPECT_EQ(p.text, "A session costs 450 pounds.\nPlans too.\n");
}

TEST(format_of, knows_the_three_kinds_of_page_by_extension) {
  EXPECT_EQ(format_of("Prices.HTML"), page_format::html);
  EXPECT_EQ(format_of("a.htm"), page_format::html);
  EXPECT_EQ(format_of("notes.md"), page_format::markdown);
  EXPECT_EQ(format_of("sheet.txt"), page_format::text);
  EXPECT_EQ(format_of("scan.pdf"), std::nullopt);
  EXPECT_EQ(format_of("noextension"), std::nullopt);
}

TEST(new_source_id, is_the_title_in_kebab_case_and_a_hash_of_the_text) {
  const knowledge_base kb;
  const std::string id = new_source_id("Café Prices & Packages!", "A session costs 450 pounds.\n", kb);
  EXPECT_EQ(id.substr(0, id.size() - 8), "cafe-prices-packages-");
  EXPECT_EQ(id.size(), std::string("cafe-prices-packages-").size() + 8);
  EXPECT_EQ(new_source_id("Café Prices & Packages!", "A session costs 450 pounds.\n", kb), id);  // the same page twice
  EXPECT_NE(new_source_id("Café Prices & Packages!", "A session costs 500 pounds.\n", kb), id);  // a new version
  EXPECT_EQ(new_source_id("a b c d e f g h", "x", kb).substr(0, 12), "a-b-c-d-e-f-");
  EXPECT_EQ(new_source_id("!!!", "x", kb).substr(0, 5), "page-");
}

TEST(new_source_id, never_reuses_an_id_held_by_other_text) {
  knowledge_base kb;
  const std::string id = new_source_id("Prices", "new text", kb);
  kb.sources.push_back({id, "Prices", "other text", true});
  const std::string other = new_source_id("Prices", "new text", kb);
  EXPECT_NE(other, id);
  EXPECT_EQ(other.size(), id.size() + 8);
}

TEST(make_source, makes_a_clinic_source_that_passes_the_checks) {
  knowledge_base kb;
  const source_document s = make_source(read("prices.html"), kb);
  EXPECT_TRUE(s.clinic);
  EXPECT_EQ(s.title, "Prices & Packages");
  EXPECT_EQ(s.id.rfind("prices-packages-", 0), 0u);
  for (const auto& p : check_source(s, kb)) ADD_FAILURE() << describe(p);
  EXPECT_THROW(make_source({"", "text"}, kb), std::invalid_argument);
  EXPECT_THROW(make_source({"Title", " \n"}, kb), std::invalid_argument);
}

// A new version of a page is a new source; the facts quoting the old one are listed for review.
TEST(make_source, a_new_version_is_a_new_source_and_the_facts_citing_the_old_are_listed) {
  knowledge_base kb;
  kb.sources.push_back(make_source({"Prices", "A session costs 450 pounds.\n"}, kb));
  kb.sources.push_back({"article", "An article", "Most clinics charge $500.", false});
  kb.facts = {{"our-price", "cost", {"price?"}, "450 pounds [1].", {{kb.sources[0].id, "A session costs 450 pounds."}}, false, {}, true},
              {"general", "cost", {"price?"}, "$500 [1].", {{"article", "Most clinics charge $500."}}, false, {}, false}};
  const source_document next = make_source({"Prices", "A session costs 480 pounds.\n"}, kb);
  EXPECT_NE(next.id, kb.sources[0].id);
  const auto review = kb.facts_citing(kb.sources[0].id);
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0]->id, "our-price");
}
