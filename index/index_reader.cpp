#include "index_reader.hpp"

#include "fts5_extension.hpp"
#include "schema.hpp"
#include "sqlite_handle.hpp"

namespace cited {
namespace fs = std::filesystem;

namespace {

sqlite_db open_read_only(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw index_error("no index at " + path.string() + ": build it with `cited index`");
  sqlite_db db(path.string(), SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  register_fts5_extensions(db.get());
  return db;
}

index_info read_info(sqlite3* db, const fs::path& path) {
  index_info info;
  try {
    statement meta(db, "SELECT key, value FROM meta");
    while (meta.step()) {
      const std::string key = meta.text(0), value = meta.text(1);
      if (key == "schema_version") info.schema_version = std::stoi(value);
      else if (key == "built_at") info.built_at = std::stoll(value);
      else if (key == "facts") info.facts = std::stoll(value);
      else if (key == "sources") info.sources = std::stoll(value);
    }
  } catch (const std::exception& e) {
    throw index_error(path.string() + " is not a cited index (corrupt or truncated): " + e.what());
  }
  if (info.schema_version != schema::version)
    throw index_error(path.string() + " has index schema " + std::to_string(info.schema_version) + ", this cited reads " +
                      std::to_string(schema::version) + ": rebuild it with `cited index`");
  return info;
}

lexicon read_lexicon(sqlite3* db) {
  lexicon l;
  statement rows(db, "SELECT kind, key, value FROM lexicon ORDER BY rowid");
  while (rows.step()) {
    const std::string kind = rows.text(0), key = rows.text(1), value = rows.text(2);
    if (kind == "synonym") l.synonyms[key].push_back(value);
    else if (kind == "respelling") l.respellings[key] = value;
    else if (kind == "stop_word") l.stop_words.push_back(key);
    else if (kind == "common_word") l.common_words.push_back(key);
    else if (kind == "red_flag") l.red_flags.push_back(key);
    else if (kind == "personal_marker") l.personal_markers.push_back(key);
    else if (kind == "general_marker") l.general_markers.push_back(key);
    else if (kind == "greeting") l.greetings.push_back(key);
    else if (kind == "thanks") l.thanks.push_back(key);
    else if (kind == "goodbye") l.goodbyes.push_back(key);
    else if (kind == "identity_question") l.identity_questions.push_back(key);
    else if (kind == "follow_up_marker") l.follow_up_markers.push_back(key);
    else if (kind == "joiner") l.joiners.push_back(key);
    else if (kind == "starter_fact") l.starter_facts.push_back(key);
    else if (kind == "reply") {
      auto& r = l.replies;
      for (auto [name, slot] : {std::pair{"no_answer", &r.no_answer}, {"urgent", &r.urgent}, {"greeting", &r.greeting},
                                {"thanks", &r.thanks}, {"goodbye", &r.goodbye}, {"identity", &r.identity}})
        if (key == name) *slot = value;
    }
  }
  return l;
}

class fts_retriever final : public retriever {
 public:
  explicit fts_retriever(const fs::path& path)
      : db_(open_read_only(path)),
        search_(db_.get(), "SELECT rowid, bm25(fact_search, " + std::to_string(schema::questions_weight) + ", " +
                               std::to_string(schema::answer_weight) + ", " + std::to_string(schema::quotes_weight) +
                               ") AS score, cited_matched(fact_search, 3), cited_matched(fact_search, 7) FROM fact_search "
                               "WHERE fact_search MATCH ?1 "
                               "ORDER BY score LIMIT ?2") {}

  std::vector<search_hit> search(const std::vector<term_group>& groups, std::size_t limit) override {
    std::vector<search_hit> hits;
    const std::string expression = match_expression(groups, phrase_group_);
    if (expression.empty()) return hits;
    search_.bind(1, expression).bind(2, static_cast<long long>(limit));
    try {
      while (search_.step()) {
        search_hit h;
        h.fact = static_cast<std::size_t>(search_.integer(0) - 1);
        h.relevance = -search_.real(1);  // FTS5's bm25() is negative; better is more negative
        // Columns 0 and 1 (questions, answer) state the fact's point; column 2 quotes around it.
        const auto in_point = static_cast<std::uint64_t>(search_.integer(2));
        const auto anywhere = static_cast<std::uint64_t>(search_.integer(3));
        for (std::size_t i = 0; i < phrase_group_.size(); ++i) {
          const std::uint64_t group = std::uint64_t{1} << phrase_group_[i];
          if (in_point & (std::uint64_t{1} << i)) h.matched_in_point |= group;
          if (anywhere & (std::uint64_t{1} << i)) h.matched |= group;
        }
        hits.push_back(h);
      }
    } catch (...) {
      search_.reset();
      throw;
    }
    search_.reset();
    return hits;
  }

 private:
  sqlite_db db_;
  statement search_;
  std::vector<std::size_t> phrase_group_;
};

}  // namespace

std::string match_expression(const std::vector<term_group>& groups, std::vector<std::size_t>& phrase_group) {
  phrase_group.clear();
  std::string out;
  for (std::size_t g = 0; g < groups.size() && g < 64; ++g) {
    for (const auto& term : groups[g].terms) {
      if (phrase_group.size() == 64) return out;  // cited_matched() reports 64 phrases
      if (term.find_first_not_of(' ') == std::string::npos) continue;
      if (!out.empty()) out += " OR ";
      out += '"';
      for (char c : term) {
        if (c == '"') out += '"';  // FTS5 escapes a quote inside a phrase by doubling it
        out += c;
      }
      out += '"';
      phrase_group.push_back(g);
    }
  }
  return out;
}

index_info read_index_info(const fs::path& path) {
  sqlite_db db = open_read_only(path);
  return read_info(db.get(), path);
}

loaded_index load_index(const fs::path& path) {
  sqlite_db db = open_read_only(path);
  read_info(db.get(), path);
  auto kb = std::make_shared<knowledge_base>();
  auto words = std::make_shared<vocabulary>();
  try {
    statement sources(db.get(), "SELECT id, title, text FROM sources ORDER BY id");
    while (sources.step()) kb->sources.push_back({sources.text(0), sources.text(1), sources.text(2)});
    statement facts(db.get(), "SELECT rowid, id, topic, answer, conflict FROM facts ORDER BY rowid");
    while (facts.step()) {
      fact f;
      f.id = facts.text(1);
      f.topic = facts.text(2);
      f.answer = facts.text(3);
      f.conflict = facts.integer(4) != 0;
      kb->facts.push_back(std::move(f));
    }
    statement questions(db.get(), "SELECT fact, question FROM fact_questions ORDER BY rowid");
    while (questions.step()) kb->facts.at(static_cast<std::size_t>(questions.integer(0) - 1)).questions.push_back(questions.text(1));
    statement related(db.get(), "SELECT fact, related FROM fact_related ORDER BY rowid");
    while (related.step()) kb->facts.at(static_cast<std::size_t>(related.integer(0) - 1)).related.push_back(related.text(1));
    statement cites(db.get(), "SELECT fact, source, quote FROM citations ORDER BY fact, n");
    while (cites.step()) kb->facts.at(static_cast<std::size_t>(cites.integer(0) - 1)).citations.push_back({cites.text(1), cites.text(2)});
    kb->words = read_lexicon(db.get());

    statement vocab(db.get(), "SELECT term, doc FROM fact_words_vocab");
    while (vocab.step()) words->add(vocab.text(0), static_cast<int>(vocab.integer(1)));
    words->set_total_documents(static_cast<int>(kb->facts.size()));
  } catch (const std::out_of_range&) {
    throw index_error(path.string() + " is not a cited index (its rows do not fit together): rebuild it with `cited index`");
  } catch (const index_error& e) {
    throw index_error(path.string() + " is not a cited index (corrupt or truncated): " + e.what());
  }
  return {std::move(kb), std::move(words)};
}

std::unique_ptr<retriever> open_retriever(const fs::path& path) { return std::make_unique<fts_retriever>(path); }

}  // namespace cited
