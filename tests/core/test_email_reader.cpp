#include "email_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace cited {
namespace {

std::vector<std::string> texts(const patient_email& e) {
  std::vector<std::string> out;
  for (const auto& q : e.questions) out.push_back(q.text);
  return out;
}

class reader : public ::testing::Test {
 protected:
  email_reader r;
  std::vector<std::string> questions(std::string_view email) { return texts(r.read(email)); }
  email_problem problem(std::string_view email) {
    try {
      r.read(email);
    } catch (const email_error& e) {
      return e.problem();
    }
    ADD_FAILURE() << "accepted";
    return email_problem::empty;
  }
};

// --- bad input ---------------------------------------------------------------------------------

TEST_F(reader, refuses_an_empty_email) {
  EXPECT_EQ(problem(""), email_problem::empty);
  EXPECT_EQ(problem("  \n\r\n\t "), email_problem::empty);
  EXPECT_EQ(problem("\xEF\xBB\xBF\n"), email_problem::empty);
}

TEST_F(reader, refuses_an_email_of_a_megabyte_or_more) {
  EXPECT_EQ(problem(std::string(1'000'000, 'a')), email_problem::too_large);
  EXPECT_EQ(problem(std::string(1 << 20, 'a')), email_problem::too_large);
  EXPECT_NO_THROW(r.read(std::string(900'000, 'a')));
}

TEST_F(reader, refuses_binary_data) {
  EXPECT_EQ(problem(std::string("Does it hurt?\0\0\0", 16)), email_problem::binary);
  EXPECT_EQ(problem(std::string(200, '\x01')), email_problem::binary);
}

TEST_F(reader, refuses_invalid_utf8) {
  EXPECT_EQ(problem("Does it hurt? caf\xC3"), email_problem::bad_utf8);
  EXPECT_EQ(problem("\xC0\xAF overlong"), email_problem::bad_utf8);
}

TEST(email_error_codes, map_to_the_wire_contract) {
  EXPECT_EQ(email_error(email_problem::empty, "x").code(), "bad_request");
  EXPECT_EQ(email_error(email_problem::binary, "x").code(), "bad_request");
  EXPECT_EQ(email_error(email_problem::too_large, "x").code(), "too_large");
  EXPECT_EQ(email_error(email_problem::bad_utf8, "x").code(), "bad_utf8");
}

TEST_F(reader, error_messages_are_one_line) {
  for (std::string_view bad : {std::string_view(""), std::string_view("caf\xC3")}) {
    try {
      r.read(bad);
    } catch (const email_error& e) {
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

// --- what is the patient's own text ------------------------------------------------------------

TEST_F(reader, drops_quoted_history_under_on_wrote) {
  const auto e = r.read(
      "Does it hurt?\n\nOn Mon, 3 Jun 2024 at 10:02, Clinic Reception <info@clinic.example>\nwrote:\n"
      "> How much does it cost? Our prices start at 600.\n> Is there anything else?\n");
  EXPECT_EQ(texts(e), std::vector<std::string>{"Does it hurt?"});
}

TEST_F(reader, drops_quoted_lines_but_keeps_inline_answers) {
  const auto e = r.read(
      "Answers below!\n\nOn Wed, 5 Jun 2024, Clinic <info@clinic.example> wrote:\n\n"
      "> Have you had any treatment before?\nNo. Is SMP permanent?\n\n> Would you like a consultation?\n"
      "Yes. How long does a session take?\n");
  EXPECT_EQ(texts(e), (std::vector<std::string>{"Is SMP permanent?", "How long does a session take?"}));
}

TEST_F(reader, drops_outlook_history_and_original_message) {
  EXPECT_EQ(questions("Is it safe?\n\n________________________________\nFrom: Clinic\nSent: Monday\nTo: me\n"
                      "Subject: Re\n\nHow much does it cost?\n"),
            std::vector<std::string>{"Is it safe?"});
  EXPECT_EQ(questions("Is it safe?\n\nFrom: Clinic <a@b.example>\nSent: 04 June 2024 14:22\nTo: Me\nSubject: RE: hi\n\n"
                      "How much does it cost?\n"),
            std::vector<std::string>{"Is it safe?"});
  EXPECT_EQ(questions("Is it safe?\n-----Original Message-----\nHow much does it cost?\n"),
            std::vector<std::string>{"Is it safe?"});
}

TEST_F(reader, keeps_the_text_of_a_forwarded_email) {
  const auto e = r.read("Sending again.\n\n---------- Forwarded message ---------\nFrom: Chris Walker <c@x.example>\n"
                        "Date: Tue\nSubject: SMP\nTo: <info@clinic.example>\n\nIs it surgery?\n");
  EXPECT_EQ(texts(e), std::vector<std::string>{"Is it surgery?"});
}

TEST_F(reader, drops_signatures_and_device_lines) {
  EXPECT_EQ(questions("Is it safe?\n\nSent from my iPhone\n\nHow much does it cost?"), std::vector<std::string>{"Is it safe?"});
  EXPECT_EQ(questions("Is it safe?\n-- \nJo Bloggs\nIs it surgery? (our motto)\n"), std::vector<std::string>{"Is it safe?"});
  EXPECT_EQ(questions("Is it safe?\n\nThis email and any attachments are confidential. Is it surgery?\n"),
            std::vector<std::string>{"Is it safe?"});
}

TEST_F(reader, reads_html_pasted_as_text) {
  const auto e = r.read(
      "<html><head><style>p{color:red}</style></head><body><p>Hi,</p><p>I&rsquo;m keen.&nbsp;Is it safe?<br>"
      "How long does it last&#63;</p><p>Thanks,<br>Jordan</p><blockquote>Does it hurt?</blockquote>"
      "<div class=\"gmail_quote\">On Tue, Clinic wrote: How much is it?</div></body></html>");
  EXPECT_EQ(texts(e), (std::vector<std::string>{"Is it safe?", "How long does it last?"}));
  EXPECT_EQ(e.name, "Jordan");
  EXPECT_EQ(e.body.find('<'), std::string::npos);
}

TEST(html, entities_and_tags) {
  EXPECT_EQ(decode_entities("a &amp; b &lt;c&gt; &#8217; &#x2019; &eacute; &bogus; & done"),
            "a & b <c> \xE2\x80\x99 \xE2\x80\x99 \xC3\xA9 &bogus; & done");
  EXPECT_TRUE(looks_like_html("<p>Hello</p>"));
  EXPECT_TRUE(looks_like_html("Hello<br>there"));
  EXPECT_FALSE(looks_like_html("I'm < 30 and my budget is <500"));
  EXPECT_EQ(html_to_text("<b>Is</b> it <i>safe</i>?"), "Is it safe?");
}

TEST_F(reader, joins_hard_wrapped_lines_and_keeps_short_ones_apart) {
  const auto e = r.read("I have been reading about scalp micropigmentation for a while and I would\n"
                        "like to know how long it lasts before it fades.\n");
  ASSERT_EQ(e.sentences.size(), 1u);
  EXPECT_EQ(e.questions.size(), 1u);
  const auto odd = r.read("Hello I am\nwriting because\nmy hair is thinning and I\nwould like to know\nhow long a\n"
                          "session takes\nthank\nyou\nAhmed\n");
  EXPECT_EQ(texts(odd), std::vector<std::string>{"I would like to know how long a session takes"});
  EXPECT_EQ(odd.name, "Ahmed");
}

TEST_F(reader, segments_sentences_with_icu_keeping_abbreviations) {
  const auto s = r.sentences("I saw Dr. Smith last week. He said it's fine! Is it permanent? Yes.");
  EXPECT_EQ(s, (std::vector<std::string>{"I saw Dr. Smith last week.", "He said it's fine!", "Is it permanent?", "Yes."}));
}

// --- the name for the greeting -----------------------------------------------------------------

TEST_F(reader, finds_the_name_in_the_sign_off) {
  EXPECT_EQ(r.read("Is it safe?\n\nThanks,\nSam\n07700 900123\n").name, "Sam");
  EXPECT_EQ(r.read("Is it safe?\n\nBest,\nSam Jones\n").name, "Sam");
  EXPECT_EQ(r.read("Is it safe?\n\nCheers, Dave").name, "Dave");
  EXPECT_EQ(r.read("is it safe?\n\nthanks, sam").name, "Sam");
  EXPECT_EQ(r.read("Is it safe?\n\nThanks in advance,\nDr. Anil Patel\n").name, "Dr. Patel");
  EXPECT_EQ(r.read("Is it safe? Thanks, Joanne").name, "Joanne");
  EXPECT_EQ(r.read("Is it safe?\nNadia\nSent from my Samsung Galaxy smartphone.").name, "Nadia");
  EXPECT_EQ(r.read("Is it safe?\n\nRegards,\n\n--\nMichael O'Brien\nAccount Manager\n").name, "Michael");
}

TEST_F(reader, finds_the_name_in_the_text) {
  EXPECT_EQ(r.read("Hi, my name is Kwame and I have a question. Is it safe?").name, "Kwame");
  EXPECT_EQ(r.read("Hi, I'm Sam, 34, and I'm balding. Is it safe?").name, "Sam");
}

TEST_F(reader, greets_nobody_when_no_name_is_given) {
  EXPECT_FALSE(r.read("how much and does it hurt\n\nSent from my iPhone").name);
  EXPECT_FALSE(r.read("Hi,\n\nI'm worried. Is it safe?\n\nThanks!").name);
  EXPECT_FALSE(r.read("Is SMP permanent?\n\nThanks,\nSMP").name);
}

// --- the questions -----------------------------------------------------------------------------

TEST_F(reader, finds_questions_by_their_question_marks) {
  EXPECT_EQ(questions("I'm 34 and balding. How much does it cost? My brother had it done."),
            std::vector<std::string>{"How much does it cost?"});
  EXPECT_EQ(questions("Price?"), std::vector<std::string>{"Price?"});
}

TEST_F(reader, finds_questions_without_question_marks) {
  EXPECT_EQ(questions("How long does a session take."), std::vector<std::string>{"How long does a session take?"});
  EXPECT_EQ(questions("Is it permanent"), std::vector<std::string>{"Is it permanent?"});
  EXPECT_EQ(questions("Please tell me about the aftercare."), std::vector<std::string>{"Please tell me about the aftercare"});
  EXPECT_EQ(questions("I was wondering if it fades."), std::vector<std::string>{"I was wondering if it fades"});
  EXPECT_EQ(questions("Can you explain how the procedure works."),
            std::vector<std::string>{"Can you explain how the procedure works?"});
  EXPECT_EQ(questions("Please let me know if women can have it."),
            std::vector<std::string>{"Please let me know if women can have it"});
}

TEST_F(reader, a_worry_told_is_a_question) {
  EXPECT_EQ(questions("My main concern is the dots spreading into each other."),
            std::vector<std::string>{"My main concern is the dots spreading into each other"});
  EXPECT_EQ(questions("I'm worried about the pain."), std::vector<std::string>{"I'm worried about the pain"});
  // Told of someone else, or of nothing the sources speak to, a worry is no question.
  EXPECT_TRUE(questions("I'm worried about you.").empty());
}

TEST_F(reader, statements_are_not_questions) {
  EXPECT_TRUE(questions("When I was 25 I started losing my hair. Can't wait to hear from you. Have a nice day.").empty());
  EXPECT_TRUE(questions("How are you? Hope you're well and had a lovely weekend?").empty());
  EXPECT_TRUE(questions("Let me know what you think.").empty());
}

TEST_F(reader, splits_a_request_that_asks_two_things) {
  const auto e = r.read("I'd like to know the price and whether it hurts.");
  EXPECT_EQ(texts(e), (std::vector<std::string>{"I'd like to know the price", "I'd like to know whether it hurts"}));
  EXPECT_EQ(e.questions[0].ask, "the price");
  EXPECT_EQ(e.questions[1].ask, "it hurts");
  EXPECT_EQ(questions("How much does it cost and how long does it last?"),
            (std::vector<std::string>{"How much does it cost?", "How long does it last?"}));
  EXPECT_EQ(questions("Is it safe and does it hurt?"), (std::vector<std::string>{"Is it safe?", "Does it hurt?"}));
  EXPECT_EQ(questions("how much and does it hurt"), (std::vector<std::string>{"How much?", "Does it hurt?"}));
}

TEST_F(reader, keeps_one_question_that_names_two_things) {
  EXPECT_EQ(questions("What is the difference between SMP and a hair transplant?").size(), 1u);
  EXPECT_EQ(questions("Does it cause redness and swelling?").size(), 1u);
  EXPECT_EQ(questions("Does SMP treat the cause of hair loss or is it just cosmetic?").size(), 1u);
}

TEST_F(reader, merges_repeated_questions) {
  EXPECT_EQ(questions("How much does it cost? Sorry, I mean how much does it cost per session? How much does it cost?"),
            (std::vector<std::string>{"How much does it cost?", "How much does it cost per session?"}));
}

TEST_F(reader, reads_a_list_of_questions) {
  EXPECT_EQ(questions("A few questions first:\n\n- cost per session\n- is it permanent\n"),
            (std::vector<std::string>{"Cost per session", "Is it permanent?"}));
}

TEST_F(reader, keeps_what_a_thin_question_leans_on) {
  const auto e = r.read("I have psoriasis on my scalp, can I still get it?");
  ASSERT_EQ(e.questions.size(), 1u);
  EXPECT_NE(e.questions[0].ask.find("psoriasis"), std::string::npos);
  const auto f = r.read("There's some redness and itching. Is that normal?");
  ASSERT_EQ(f.questions.size(), 1u);
  EXPECT_TRUE(f.questions[0].follow_up);
  EXPECT_EQ(f.questions[0].context, "There's some redness and itching.");
  const auto g = r.read("Can I go in the sun afterwards, we're off to Spain in August?");
  ASSERT_EQ(g.questions.size(), 1u);
  EXPECT_EQ(g.questions[0].ask, "Can I go in the sun afterwards");
}

TEST_F(reader, puts_misspelt_question_words_right_for_the_engine) {
  const auto e = r.read("hw much dose smp cost??");
  ASSERT_EQ(e.questions.size(), 1u);
  EXPECT_EQ(e.questions[0].ask, "how much does smp cost");
}

TEST_F(reader, marks_what_only_the_clinic_can_answer) {
  const auto e = r.read("Do you offer financing? Can you call me back on 07700 900123? Does it hurt?");
  ASSERT_EQ(e.questions.size(), 3u);
  EXPECT_TRUE(e.questions[0].for_staff);
  EXPECT_TRUE(e.questions[1].for_staff);
  EXPECT_FALSE(e.questions[2].for_staff);
}

TEST_F(reader, strips_the_greeting) {
  EXPECT_EQ(questions("Hi there, how long does it last?"), std::vector<std::string>{"How long does it last?"});
  EXPECT_EQ(r.read("Dear Sir/Madam\n\nIs it safe?").sentences.front(), "Is it safe?");
}

TEST(same_question, a_rewording_with_nothing_new_is_the_same) {
  EXPECT_TRUE(same_question("How much does SMP cost?", "How much does it cost?"));
  EXPECT_FALSE(same_question("How much does SMP cost?", "What is the price per session?"));
}

TEST(sign_off, recognises_closings) {
  EXPECT_EQ(sign_off("Thanks,"), "");
  EXPECT_EQ(sign_off("Kind regards, Priya Shah"), "Priya");
  EXPECT_EQ(sign_off("- Sam x"), std::nullopt);
  EXPECT_EQ(sign_off("Thanks for the info about the pricing"), std::nullopt);
  EXPECT_EQ(sign_off("Best wishes!"), "");
}

}  // namespace
}  // namespace cited
