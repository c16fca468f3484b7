// The cited program as a user runs it: exit codes, one-line errors, JSON Lines in order.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct run_result {
  int exit_code;
  std::string out;
  std::string err;
};

fs::path scratch() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("cited-cli-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `cited ARGS` with stdin from input; captures both streams.
run_result cited(const std::string& args, const std::string& input = "") {
  const fs::path in = scratch() / "stdin", out = scratch() / "stdout", err = scratch() / "stderr";
  std::ofstream(in, std::ios::binary) << input;
  const std::string command = std::string(CITED_BINARY_DIR) + "/cited " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

std::string db() {
  static const std::string path = [] {
    const std::string p = (scratch() / "cited.db").string();
    const run_result r = cited("index --corpus " CITED_SOURCE_DIR "/corpus --db " + p);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return p;
  }();
  return path;
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(cited_index, builds_the_bundled_corpus) {
  const run_result r = cited("index --corpus " CITED_SOURCE_DIR "/corpus --db " + (scratch() / "again.db").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("indexed"), std::string::npos);
}

TEST(cited_index, refuses_a_corpus_with_a_misquoted_fact_naming_it) {
  const fs::path corpus = scratch() / "bad-corpus";
  fs::remove_all(corpus);
  fs::copy(CITED_SOURCE_DIR "/corpus", corpus, fs::copy_options::recursive);
  std::ofstream(corpus / "facts" / "zz-bad.json") << R"([{"id": "made-up", "topic": "cost", "questions": ["q"],
    "answer": "It costs $99 [1].", "citations": [{"source": "001_afa1104eb99da5db", "quote": "It costs $99."}]}])";
  const fs::path target = scratch() / "refused.db";
  const run_result r = cited("index --corpus " + corpus.string() + " --db " + target.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("fact made-up, citations[0].quote: This quote is not in the source word for word"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("note: fact made-up, questions: Patients find a fact most reliably with 8 to 12"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(target));
}

TEST(cited_ask, prints_one_answer_object) {
  const run_result r = cited("ask --db " + db() + " 'how much does it cost?'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(lines(r.out), 1u);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["type"], "answer");
  EXPECT_EQ(j["status"], "answered");
  EXPECT_FALSE(j["citations"].empty());
}

TEST(cited_ask, answers_a_batch_from_stdin_in_order) {
  std::string input;
  for (int i = 0; i < 1000; ++i) {
    if (i % 3 == 0) input += "{\"id\": \"q" + std::to_string(i) + "\", \"text\": \"does it hurt?\"}\n";
    else if (i % 3 == 1) input += "what time do you open on sunday\n";
    else input += "\n";
  }
  const run_result r = cited("ask --db " + db(), input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream out(r.out);
  int i = 0;
  for (std::string line; std::getline(out, line); ++i) {
    const auto j = nlohmann::json::parse(line);
    if (i % 3 == 0) {
      EXPECT_EQ(j["id"], "q" + std::to_string(i));
    } else if (i % 3 == 1) {
      EXPECT_EQ(j["status"], "no_answer");
    }
  }
  EXPECT_EQ(i, 1000);
}

TEST(cited_ask, odd_text_still_gets_valid_json) {
  for (const char* text : {"'\xff\xfe'", "'\"'", "'NEAR(pain'", "'col:pain'", "'AND OR NOT'", "'((('", "''"}) {
    const run_result r = cited("ask --db " + db() + " " + text);
    EXPECT_EQ(r.exit_code, 0) << text << r.err;
    EXPECT_NO_THROW(nlohmann::json::parse(r.out)) << text;
  }
}

TEST(cited_ask, a_missing_index_is_a_one_line_error) {
  const run_result r = cited("ask --db /nonexistent/cited.db hello");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(lines(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("cited index"), std::string::npos);
  EXPECT_TRUE(r.out.empty());
}

TEST(cited, bad_arguments_exit_2_with_one_line) {
  for (const char* args : {"frobnicate", "ask --bogus", "index --db", ""}) {
    const run_result r = cited(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(lines(r.err), 1u) << args << ": " << r.err;
  }
}

TEST(cited, every_command_has_help) {
  for (const char* command : {"--help", "index --help", "ask --help", "eval --help"}) {
    const run_result r = cited(command);
    EXPECT_EQ(r.exit_code, 0) << command;
    EXPECT_FALSE(r.out.empty()) << command;
  }
}

TEST(cited_eval, fails_when_a_figure_falls_below_the_baseline) {
  const fs::path set = scratch() / "set.jsonl", baseline = scratch() / "baseline.json";
  std::ofstream(set) << R"({"q": "how much does it cost?", "cite": ["between $500 and $3000"]})" "\n"
                     << R"({"q": "what time do you open on sunday", "expect": "no_answer"})" "\n";
  std::ofstream(baseline) << R"({"set.jsonl": {"answerable": 1.0, "abstention": 1.0}})";
  EXPECT_EQ(cited("eval --db " + db() + " " + set.string() + " --baseline " + baseline.string()).exit_code, 0);
  std::ofstream(set, std::ios::app) << R"({"q": "how much does it cost?", "cite": ["words no source has"]})" "\n";
  const run_result r = cited("eval --db " + db() + " " + set.string() + " --baseline " + baseline.string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("answerable"), std::string::npos);
}

TEST(cited_staff, adds_lists_changes_and_removes_accounts_with_the_password_from_stdin) {
  const std::string store = (scratch() / "staff-records.db").string();
  const run_result none = cited("staff list --records " + store);
  EXPECT_EQ(none.exit_code, 0) << none.err;
  EXPECT_NE(none.out.find("cited staff add EMAIL"), std::string::npos) << none.out;

  const run_result added = cited("staff add Kim@Clinic.example --records " + store, "a good long password\n");
  EXPECT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("added kim@clinic.example"), std::string::npos);
  // The password is nowhere in the store, only its Argon2id hash.
  EXPECT_EQ(slurp(store).find("a good long password"), std::string::npos);
  EXPECT_NE(slurp(store).find("$argon2id$"), std::string::npos);

  const run_result twice = cited("staff add kim@clinic.example --records " + store, "another password\n");
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already an account"), std::string::npos);
  const run_result listed = cited("staff list --records " + store);
  EXPECT_NE(listed.out.find("kim@clinic.example"), std::string::npos);
  EXPECT_EQ(cited("staff password kim@clinic.example --records " + store, "a new long password\n").exit_code, 0);
  const run_result removed = cited("staff remove kim@clinic.example --records " + store);
  EXPECT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_EQ(cited("staff list --records " + store).out.find("kim@"), std::string::npos);
  EXPECT_EQ(cited("staff remove kim@clinic.example --records " + store).exit_code, 1);
}

TEST(cited_staff, refuses_short_passwords_passwords_as_arguments_and_bad_emails) {
  const std::string store = (scratch() / "staff-refusals.db").string();
  const run_result short_one = cited("staff add sam@clinic.example --records " + store, "short\n");
  EXPECT_EQ(short_one.exit_code, 1);
  EXPECT_NE(short_one.err.find("at least 10 characters"), std::string::npos) << short_one.err;
  const run_result in_argv = cited("staff add sam@clinic.example hunter2hunter2 --records " + store, "");
  EXPECT_EQ(in_argv.exit_code, 2) << "a password is never taken from an argument";
  const run_result no_stdin = cited("staff add sam@clinic.example --records " + store, "");
  EXPECT_EQ(no_stdin.exit_code, 1);
  EXPECT_EQ(cited("staff add not-an-email --records " + store, "a good long password\n").exit_code, 2);
  EXPECT_EQ(cited("staff frobnicate --records " + store).exit_code, 2);
  EXPECT_EQ(cited("staff --help").exit_code, 0);
}
