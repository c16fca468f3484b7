#include "email_names.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace cited::email_detail {
namespace {

using lines = std::vector<std::string>;

TEST(name_like, takes_one_to_three_capitalised_words) {
  EXPECT_TRUE(name_like("Sam", false));
  EXPECT_TRUE(name_like("Sam Jones", false));
  EXPECT_TRUE(name_like("Dr. Patel", false));
  EXPECT_TRUE(name_like("Zo\xC3\xAB", false));
  EXPECT_TRUE(name_like("Mary-Jane O'Neil", false));
  EXPECT_FALSE(name_like("Sam Tom Jo Bo", false));
  EXPECT_FALSE(name_like("Sam2", false));
  EXPECT_FALSE(name_like("", false));
}

TEST(name_like, refuses_words_that_are_no_name) {
  EXPECT_FALSE(name_like("Regards", true));
  EXPECT_FALSE(name_like("Monday", true));
  EXPECT_FALSE(name_like("Scalp", true));
}

TEST(name_like, takes_a_lowercase_word_only_when_allowed) {
  EXPECT_FALSE(name_like("sam", false));
  EXPECT_TRUE(name_like("sam", true));
  EXPECT_FALSE(name_like("sam jones", true));
}

TEST(greeting_name, is_the_first_name_or_the_title_and_surname) {
  EXPECT_EQ(greeting_name("Sam Jones"), "Sam");
  EXPECT_EQ(greeting_name("Dr. Anil Patel"), "Dr. Patel");
  EXPECT_EQ(greeting_name("Mr Patel"), "Mr Patel");
  EXPECT_EQ(greeting_name("sam"), "Sam");
}

TEST(strip_name_decoration, leaves_the_name) {
  EXPECT_EQ(strip_name_decoration("- Sam x"), "Sam");
  EXPECT_EQ(strip_name_decoration("Sam :)"), "Sam");
  EXPECT_EQ(strip_name_decoration("~Jo!"), "Jo");
  EXPECT_EQ(strip_name_decoration("*Sam*"), "Sam");
  EXPECT_EQ(strip_name_decoration("x"), "x");
}

TEST(take_closing_name, takes_the_sign_off_and_what_is_under_it) {
  lines own{"Does it hurt?", "", "Thanks,", "Sam", "07700 900123", ""};
  EXPECT_EQ(take_closing_name(own), "Sam");
  EXPECT_EQ(own, lines{"Does it hurt?"});

  own = {"Does it hurt?", "Cheers Dave"};
  EXPECT_EQ(take_closing_name(own), "Dave");
  EXPECT_EQ(own, lines{"Does it hurt?"});

  own = {"Many thanks", "Sam Jones", "Sales Manager", "Acme Ltd"};
  EXPECT_EQ(take_closing_name(own), "Sam");
  EXPECT_TRUE(own.empty());
}

TEST(take_closing_name, reads_a_sign_off_broken_over_two_lines) {
  lines own{"Does it hurt?", "thank", "you", "Ahmed"};
  EXPECT_EQ(take_closing_name(own), "Ahmed");
  EXPECT_EQ(own, lines{"Does it hurt?"});
}

TEST(take_closing_name, takes_a_sign_off_without_a_name_too) {
  lines own{"Does it hurt?", "Kind regards"};
  EXPECT_EQ(take_closing_name(own), std::nullopt);
  EXPECT_EQ(own, lines{"Does it hurt?"});
}

TEST(take_closing_name, takes_a_bare_name_closing_the_email) {
  lines own{"Please let me know.", "", "Sam"};
  EXPECT_EQ(take_closing_name(own), "Sam");
  EXPECT_EQ(own.front(), "Please let me know.");
  EXPECT_EQ(std::count(own.begin(), own.end(), "Sam"), 0);
}

TEST(take_closing_name, leaves_what_is_no_close) {
  // A question under the sign-off: the patient wrote on.
  lines own{"Thanks, Sam", "Does it hurt?"};
  EXPECT_EQ(take_closing_name(own), std::nullopt);
  EXPECT_EQ(own.size(), 2U);
  // A name under a long line without an end may be where that line was wrapped.
  own = {"I am thinking about it and have a few questions about the price and the pain", "Sam"};
  EXPECT_EQ(take_closing_name(own), std::nullopt);
  EXPECT_EQ(own.size(), 2U);
  // A one-line email is no close.
  own = {"Sam"};
  EXPECT_EQ(take_closing_name(own), std::nullopt);
  EXPECT_EQ(own, lines{"Sam"});
}

TEST(take_closing_name, looks_no_further_up_than_six_lines) {
  lines own{"Thanks, Sam", "07700 900123", "07700 900124", "07700 900125", "07700 900126", "07700 900127"};
  EXPECT_EQ(take_closing_name(own), "Sam");
  EXPECT_TRUE(own.empty());
  own = {"Thanks, Sam",  "07700 900123", "07700 900124", "07700 900125",
         "07700 900126", "07700 900127", "07700 900128"};
  EXPECT_EQ(take_closing_name(own), std::nullopt);
  EXPECT_EQ(own.size(), 7U);
}

TEST(name_in_sentence, finds_my_name_is_anywhere) {
  EXPECT_EQ(name_in_sentence("Hi, my name is Sam and I'm 34.", false), "Sam");
  EXPECT_EQ(name_in_sentence("my name is sam", false), "Sam");
  EXPECT_EQ(name_in_sentence("my names Priya", false), "Priya");
}

TEST(name_in_sentence, finds_an_introduction_only_near_the_start) {
  EXPECT_EQ(name_in_sentence("I'm Sam, 34, from Leeds.", true), "Sam");
  EXPECT_EQ(name_in_sentence("I'm Sam, 34, from Leeds.", false), std::nullopt);
  EXPECT_EQ(name_in_sentence("This is Sam Jones from Leeds.", true), "Sam");
  EXPECT_EQ(name_in_sentence("Sam here, quick question.", true), "Sam");
}

TEST(name_in_sentence, takes_no_word_that_only_follows_i_am) {
  EXPECT_EQ(name_in_sentence("I'm worried about the pain.", true), std::nullopt);
  EXPECT_EQ(name_in_sentence("I'm Interested in SMP", true), std::nullopt);
  EXPECT_EQ(name_in_sentence("I'm sam", true), std::nullopt);
}

}  // namespace
}  // namespace cited::email_detail
