#include "index_builder.hpp"

#include <unistd.h>

#include <chrono>

#include "fts5_extension.hpp"
#include "verbatim.hpp"
#include "warning_signs.hpp"
#include "schema.hpp"
#include "sqlite_handle.hpp"

namespace cited {
namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p + "\n";
  return out;
}

void write_lexicon(sqlite3* db, const lexicon& l) {
  statement put(db, "INSERT INTO lexicon(kind, key, value) VALUES(?1, ?2, ?3)");
  auto add = [&](std::string_view kind, std::string_view key, std::string_view value) {
    put.bind(1, kind).bind(2, key).bind(3, value).step();
    put.reset();
  };
  for (const auto& [key, value] : l.respellings) add("respelling", key, value);
  for (const auto& [key, values] : l.synonyms)
    for (const auto& v : values) add("synonym", key, v);
  auto list = [&](std::string_view kind, const std::vector<std::string>& words) {
    for (const auto& w : words) add(kind, w, "");
  };
  list("stop_word", l.stop_words);
  list("common_word", l.common_words);
  add("warning_signs", "", to_json(l.warning_signs).dump());
  list("greeting", l.greetings);
  list("thanks", l.thanks);
  list("goodbye", l.goodbyes);
  list("identity_question", l.identity_questions);
  list("follow_up_marker", l.follow_up_markers);
  list("joiner", l.joiners);
  list("personal", l.personal_questions);
  list("starter_fact", l.starter_facts);
  list("subject", l.subject);
  for (const auto& [name, cues] : l.intents)
    for (const auto& c : cues) add("intent", name, c);
  add("reply", "no_answer", l.replies.no_answer);
  add("reply", "urgent", l.replies.urgent);
  add("reply", "greeting", l.replies.greeting);
  add("reply", "thanks", l.replies.thanks);
  add("reply", "did_you_mean", l.replies.did_you_mean);
  add("reply", "goodbye", l.replies.goodbye);
  add("reply", "identity", l.replies.identity);
}

void write(sqlite3* raw, const knowledge_base& kb) {
  statement meta(raw, "INSERT INTO meta(key, value) VALUES(?1, ?2)");
  const auto built = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  for (const auto& [k, v] : {std::pair<std::string, std::string>{"schema_version", std::to_string(schema::version)},
                             {"built_at", std::to_string(built.count())},
                             {"facts", std::to_string(kb.facts.size())},
                             {"sources", std::to_string(kb.sources.size())}}) {
    meta.bind(1, k).bind(2, v).step();
    meta.reset();
  }
  statement source(raw, "INSERT INTO sources(id, title, text, clinic) VALUES(?1, ?2, ?3, ?4)");
  for (const auto& s : kb.sources) {
    source.bind(1, s.id).bind(2, s.title).bind(3, s.text).bind(4, s.clinic ? 1 : 0).step();
    source.reset();
  }
  statement fact_row(raw, "INSERT INTO facts(rowid, id, topic, answer, conflict, clinic) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  statement question(raw, "INSERT INTO fact_questions(fact, question) VALUES(?1, ?2)");
  statement related(raw, "INSERT INTO fact_related(fact, related) VALUES(?1, ?2)");
  statement cite(raw, "INSERT INTO citations(fact, n, source, quote) VALUES(?1, ?2, ?3, ?4)");
  statement search(raw, "INSERT INTO fact_search(rowid, questions, answer, quotes) VALUES(?1, ?2, ?3, ?4)");
  statement words(raw, "INSERT INTO fact_words(rowid, body) VALUES(?1, ?2)");
  // rowid = position + 1, so a search hit's rowid names knowledge_base::facts[rowid - 1].
  long long rowid = 0;
  for (const auto& f : kb.facts) {
    ++rowid;
    fact_row.bind(1, rowid).bind(2, f.id).bind(3, f.topic).bind(4, f.answer).bind(5, f.conflict ? 1 : 0).bind(6, f.clinic ? 1 : 0).step();
    fact_row.reset();
    for (const auto& q : f.questions) {
      question.bind(1, rowid).bind(2, q).step();
      question.reset();
    }
    for (const auto& r : f.related) {
      related.bind(1, rowid).bind(2, r).step();
      related.reset();
    }
    std::vector<std::string> quotes;
    long long n = 0;
    for (const auto& c : f.citations) {
      cite.bind(1, rowid).bind(2, ++n).bind(3, c.source).bind(4, c.quote).step();
      cite.reset();
      quotes.push_back(c.quote);
    }
    const std::string q = joined(f.questions), a = without_citation_markers(f.answer), qs = joined(quotes);
    search.bind(1, rowid).bind(2, q).bind(3, a).bind(4, qs).step();
    search.reset();
    std::string body = q;
    body.append(a).append("\n").append(qs);
    words.bind(1, rowid).bind(2, body).step();
    words.reset();
  }
  write_lexicon(raw, kb.words);
}

}  // namespace

void build_index(const knowledge_base& kb, const fs::path& path) {
  const fs::path tmp = path.string() + ".tmp-" + std::to_string(::getpid());
  fs::remove(tmp);
  try {
    {
      sqlite_db db(tmp.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      register_fts5_extensions(db.get());
      db.exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN;");
      db.exec(schema::create_tables);
      write(db.get(), kb);
      db.exec("INSERT INTO fact_search(fact_search) VALUES('optimize'); COMMIT; VACUUM;");
    }
    fs::rename(tmp, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

}  // namespace cited
