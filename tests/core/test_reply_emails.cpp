// Every patient email in tests/eval/emails through the real corpus, index and engine: each
// question the email asks must be answered from the right source or listed for staff, urgent
// symptoms must be flagged and come first, and nothing in a draft may lack its source.
#include "reply_drafter.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "answer_json.hpp"
#include "corpus_loader.hpp"
#include "index_builder.hpp"
#include "index_reader.hpp"
#include "verbatim.hpp"

namespace cited {
namespace {

namespace fs = std::filesystem;

// The share of questions the sources can answer that the drafts do answer from them. Set at
// what the drafter achieves (with the engine as it is); raise it when it improves.
constexpr double min_answered_share = 0.90;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool contains_ci(const std::string& haystack, const std::string& needle) {
  return lower(collapse_whitespace(haystack)).find(lower(collapse_whitespace(needle))) != std::string::npos;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One index, built once from the real corpus into a temporary folder, shared by every test.
class real_engine : public ::testing::Environment {
 public:
  static inline fs::path dir;
  static inline std::shared_ptr<const knowledge_base> kb;
  static inline std::shared_ptr<const vocabulary> words;

  void SetUp() override {
    std::random_device rd;
    dir = fs::temp_directory_path() / ("cited-reply-test-" + std::to_string(rd()));
    fs::create_directories(dir);
    knowledge_base corpus = load_corpus(fs::path(CITED_SOURCE_DIR) / "corpus");
    const auto problems = validate(corpus);
    ASSERT_TRUE(problems.empty()) << problems.front();
    build_index(corpus, dir / "cited.db");
    loaded_index index = load_index(dir / "cited.db");
    kb = index.knowledge;
    words = index.words;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  static std::unique_ptr<answer_engine> make() {
    return std::make_unique<answer_engine>(kb, words, open_retriever(dir / "cited.db"));
  }
};

const auto* const environment = ::testing::AddGlobalTestEnvironment(new real_engine);

// What a draft promises, whatever the email: every [n] has its source listed, every listed
// source is used and quotes its document verbatim, and every paragraph that states something
// from the sources carries a marker.
void expect_sourced(const suggested_reply& r, const knowledge_base& kb, const std::string& name) {
  const std::string& d = r.draft;
  const std::size_t sources_at = d.find("\nSources:\n");
  const std::string body = sources_at == std::string::npos ? d : d.substr(0, sources_at);
  const std::string listing = sources_at == std::string::npos ? "" : d.substr(sources_at + 10);

  std::set<int> used, listed;
  static const std::regex marker(R"(\[(\d+)\])");
  for (std::sregex_iterator it(body.begin(), body.end(), marker), end; it != end; ++it) used.insert(std::stoi((*it)[1]));
  static const std::regex line(R"re(^\[(\d+)\] (.+?): "(.*)"$)re");
  std::istringstream lines(listing);
  int expected_n = 1;
  for (std::string l; std::getline(lines, l);) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(l, m, line)) << name << ": source line not `[n] Title: \"quote\"`: " << l;
    const int n = std::stoi(m[1]);
    EXPECT_EQ(n, expected_n++) << name << ": sources are numbered 1, 2, 3, ...";
    listed.insert(n);
    bool verbatim = false;
    for (const auto& s : kb.sources)
      if (s.title == m[2].str() && is_verbatim(m[3].str(), s.text)) verbatim = true;
    EXPECT_TRUE(verbatim) << name << ": [" << n << "] does not quote its source verbatim: " << l;
  }
  EXPECT_EQ(used, listed) << name << ": every [n] in the draft needs a source at the end, and every source a [n]";

  // Paragraphs: greeting, the thanks line, the staff list and the closing need no source;
  // everything else states what the sources say and must cite them.
  std::size_t start = 0;
  bool first = true;
  while (start < body.size()) {
    std::size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    const std::string p = body.substr(start, end - start);
    start = end + 2;
    if (p.empty()) continue;
    if (first) {
      first = false;
      continue;  // "Hi Sam,"
    }
    const bool plain = p.rfind("Thank you for your email", 0) == 0 || p.rfind("A member of our team", 0) == 0 ||
                       p.rfind("If you have any other questions", 0) == 0 || p.rfind("Kind regards", 0) == 0 ||
                       p.rfind("IMPORTANT:", 0) == 0;
    if (!plain) {
      EXPECT_TRUE(std::regex_search(p, marker)) << name << ": a paragraph without a source:\n" << p;
    }
  }
  for (const auto& q : r.questions) {
    if (q.reply.status == answer_status::answered) {
      EXPECT_FALSE(q.reply.citations.empty()) << name << ": answered without citations: " << q.question;
    }
  }
}

struct tally {
  int questions = 0;      // every expected question
  int answerable = 0;     // ... that the sources can answer (has `cite`)
  int answered = 0;       // ... answered from the right source
  int staff = 0;          // listed for staff
  int urgent = 0;         // urgent and flagged
  int known_misses = 0;   // answered wrongly, known engine misses
  int extra = 0;          // questions found that the email does not ask
};

TEST(reply_emails, every_question_is_answered_from_its_source_or_listed_for_staff) {
  const fs::path folder = fs::path(CITED_SOURCE_DIR) / "tests/eval/emails";
  const auto expected = nlohmann::json::parse(read_file(folder / "expected.json"));
  ASSERT_GE(expected.at("emails").size(), 25u);
  auto engine = real_engine::make();
  reply_drafter drafter(*engine);
  tally t;
  std::vector<std::string> misses;

  for (const auto& e : expected.at("emails")) {
    const std::string file = e.at("file");
    SCOPED_TRACE(file);
    const suggested_reply r = drafter.draft(read_file(folder / file));
    expect_sourced(r, *real_engine::kb, file);

    // The greeting.
    if (e.at("name").is_null()) {
      EXPECT_FALSE(r.name.has_value()) << file << ": greeted " << r.name.value_or("");
      EXPECT_EQ(r.draft.rfind("Hello,\n", 0), 0u) << file;
    } else {
      EXPECT_EQ(r.name.value_or("(none)"), e.at("name").get<std::string>()) << file;
      EXPECT_EQ(r.draft.rfind("Hi " + e.at("name").get<std::string>() + ",\n", 0), 0u) << file;
    }
    EXPECT_EQ(r.urgent, e.at("urgent").get<bool>()) << file;

    auto listed = [&](const std::string& q) {
      return std::find(r.unanswered.begin(), r.unanswered.end(), q) != r.unanswered.end();
    };
    auto cites = [](const answer& a, const nlohmann::json& wanted) {
      for (const auto& c : a.citations)
        for (const auto& w : wanted)
          if (contains_ci(c.quote, w.get<std::string>())) return true;
      return false;
    };
    std::vector<bool> matched(r.questions.size(), false);
    for (const auto& want : e.at("questions")) {
      ++t.questions;
      const std::string label = file + ": " + want.at("question").get<std::string>();
      // The questions found that this one could be: prefer one answered from the right source.
      std::vector<std::size_t> candidates;
      for (std::size_t i = 0; i < r.questions.size(); ++i)
        for (const auto& m : want.at("match"))
          if (contains_ci(r.questions[i].question, m.get<std::string>())) {
            candidates.push_back(i);
            break;
          }
      if (want.contains("cite")) {
        ++t.answerable;
        std::stable_sort(candidates.begin(), candidates.end(), [&](std::size_t a, std::size_t b) {
          return cites(r.questions[a].reply, want["cite"]) > cites(r.questions[b].reply, want["cite"]);
        });
      }
      if (candidates.empty()) {
        ADD_FAILURE() << label << ": not found in the email";
        continue;
      }
      const std::size_t i = candidates.front();
      matched[i] = true;
      const reply_question& got = r.questions[i];

      if (want.contains("urgent")) {
        EXPECT_EQ(got.reply.status, answer_status::urgent) << label;
        EXPECT_EQ(i, 0u) << label << ": urgent comes first";
        const std::size_t warning = r.draft.find("IMPORTANT:");
        EXPECT_NE(warning, std::string::npos) << label;
        for (const auto& other : r.questions) {
          if (other.reply.status == answer_status::answered) {
            EXPECT_LT(warning, r.draft.find(other.question)) << label << ": the warning comes before every answer";
          }
        }
        if (got.reply.status == answer_status::urgent) ++t.urgent;
      } else if (want.contains("staff")) {
        EXPECT_NE(got.reply.status, answer_status::answered) << label << ": answered from the sources as " << got.reply.text;
        EXPECT_TRUE(listed(got.question)) << label << ": not listed for staff";
        if (listed(got.question)) ++t.staff;
      } else if (got.reply.status == answer_status::answered && cites(got.reply, want["cite"])) {
        ++t.answered;
      } else if (got.reply.status == answer_status::no_answer && listed(got.question)) {
        ++t.staff;
        misses.push_back(label + " (listed for staff)");
      } else if (want.contains("known_engine_miss")) {
        ++t.known_misses;
        misses.push_back(label + " (known engine miss: " + want["known_engine_miss"].get<std::string>() + ")");
      } else {
        ADD_FAILURE() << label << ": answered wrongly: [" << to_string(got.reply.status) << "] " << got.reply.text;
      }
    }
    for (std::size_t i = 0; i < r.questions.size(); ++i)
      if (!matched[i]) {
        ++t.extra;
        misses.push_back(file + ": found a question the email does not ask: " + r.questions[i].question);
      }
  }

  for (const auto& m : misses) std::printf("  note: %s\n", m.c_str());
  std::printf("emails: %d/%d questions answered from sources, %d listed for staff, %d urgent flagged, %d known engine misses"
              " (%d/%d = %.0f%% of those the sources can answer); %d extra questions found\n",
              t.answered, t.questions, t.staff, t.urgent, t.known_misses, t.answered, t.answerable,
              100.0 * t.answered / std::max(1, t.answerable), t.extra);
  EXPECT_GE(static_cast<double>(t.answered) / t.answerable, min_answered_share)
      << "the share answered from sources fell below the floor";
  EXPECT_LE(t.extra, 2) << "the reader found questions the emails do not ask";
}

TEST(reply_emails, bad_input_is_refused_with_a_typed_error) {
  auto engine = real_engine::make();
  reply_drafter drafter(*engine);
  auto problem = [&](std::string_view email) {
    try {
      drafter.draft(email);
    } catch (const email_error& e) {
      return std::string(e.code());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(problem(""), "bad_request");
  EXPECT_EQ(problem(" \n\t \n"), "bad_request");
  EXPECT_EQ(problem(std::string(1'000'000, 'a')), "too_large");
  EXPECT_EQ(problem(std::string(1 << 20, 'a')), "too_large");
  EXPECT_EQ(problem(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "bad_request");
  EXPECT_EQ(problem("Does it hurt? caf\xC3"), "bad_utf8");
  EXPECT_EQ(problem("Does it hurt?"), "accepted");
}

TEST(reply_emails, a_three_question_email_gets_a_draft_with_numbered_sources) {
  auto engine = real_engine::make();
  reply_drafter drafter(*engine);
  const suggested_reply r = drafter.draft(
      "Hi,\n\nHow much does it cost? Does it hurt? Do you offer payment plans?\n\nThanks,\nSam\n");
  ASSERT_EQ(r.questions.size(), 3u);
  EXPECT_EQ(r.questions[0].reply.status, answer_status::answered);
  EXPECT_EQ(r.questions[2].reply.status, answer_status::no_answer);
  EXPECT_EQ(r.unanswered, std::vector<std::string>{"Do you offer payment plans?"});
  EXPECT_EQ(r.draft.rfind("Hi Sam,\n", 0), 0u);
  EXPECT_NE(r.draft.find("[1]"), std::string::npos);
  EXPECT_NE(r.draft.find("\nSources:\n[1] "), std::string::npos);
  EXPECT_NE(r.draft.find("- Do you offer payment plans?"), std::string::npos);
  expect_sourced(r, *real_engine::kb, "three questions");

  const auto j = to_json(r);
  EXPECT_EQ(j.at("type"), "reply");
  EXPECT_EQ(j.at("questions").size(), 3u);
  EXPECT_EQ(j.at("questions")[0].at("answer").at("type"), "answer");
  EXPECT_EQ(j.at("unanswered")[0], "Do you offer payment plans?");
}

TEST(reply_emails, a_large_email_is_read_quickly) {
  auto engine = real_engine::make();
  reply_drafter drafter(*engine);
  std::string big = "Hi,\n\n";
  while (big.size() < 900'000) big += "I have been losing my hair for years and I am thinking about it. How much does it cost? ";
  const auto began = std::chrono::steady_clock::now();
  const suggested_reply r = drafter.draft(big);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
  EXPECT_EQ(r.questions.size(), 1u);
  EXPECT_LT(took.count(), 10'000);
}

}  // namespace
}  // namespace cited
