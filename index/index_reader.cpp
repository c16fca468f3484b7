#include "index_reader.hpp"

#include "fts5_extension.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>
#include "schema.hpp"
#include "sqlite_handle.hpp"
#include "warning_signs.hpp"

namespace cited {
namespace fs = std::filesystem;

namespace {

// A file: URI for path, with the characters URIs reserve escaped.
std::string uri_of(const fs::path& path) {
  std::string out = "file:";
  for (char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static const char* hex = "0123456789ABCDEF";
      out += '%';
      out += hex[(static_cast<unsigned char>(c) >> 4) & 0xF];
      out += hex[static_cast<unsigned char>(c) & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

sqlite_db open_read_only(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw index_error("no index at " + path.string() + ": build it with `cited index`");
  // immutable: the index never changes while it is read (a rebuild writes a new file and
  // renames it), so SQLite may skip the locks and journal checks it makes on every query, which
  // also take a process-wide mutex that the I/O threads would contend on.
  sqlite_db db(uri_of(path) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI);
  register_fts5_extensions(db.get());
  // The index is small and never written while served: map it rather than copy its pages.
  db.exec("PRAGMA mmap_size = 268435456");
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
    else if (kind == "warning_signs") {
      try {
        l.warning_signs = warning_signs_from_json(nlohmann::json::parse(value));
      } catch (const nlohmann::json::exception& e) {
        throw index_error(std::string("its warning signs are not readable: ") + e.what());
      }
    }
    else if (kind == "greeting") l.greetings.push_back(key);
    else if (kind == "thanks") l.thanks.push_back(key);
    else if (kind == "goodbye") l.goodbyes.push_back(key);
    else if (kind == "identity_question") l.identity_questions.push_back(key);
    else if (kind == "follow_up_marker") l.follow_up_markers.push_back(key);
    else if (kind == "joiner") l.joiners.push_back(key);
    else if (kind == "personal") l.personal_questions.push_back(key);
    else if (kind == "starter_fact") l.starter_facts.push_back(key);
    else if (kind == "subject") l.subject.push_back(key);
    else if (kind == "intent") l.intents[key].push_back(value);
    else if (kind == "reply") {
      auto& r = l.replies;
      for (auto [name, slot] : {std::pair{"no_answer", &r.no_answer}, {"urgent", &r.urgent}, {"greeting", &r.greeting},
                                {"thanks", &r.thanks}, {"goodbye", &r.goodbye}, {"identity", &r.identity},
                                {"did_you_mean", &r.did_you_mean}})
        if (key == name) *slot = value;
    }
  }
  return l;
}

class fts_retriever final : public retriever {
 public:
  fts_retriever(const fs::path& path, const retriever_options& options)
      : db_(open_read_only(path)), stems_(db_.get()), table_(load_bm25_table(db_.get(), stems_)), options_(options) {
    statement count(db_.get(), "SELECT count(*) FROM fact_search");
    count.step();
    rows_ = static_cast<double>(count.integer(0));
    statement vocab(db_.get(), "SELECT term, doc FROM fact_search_vocab");
    while (vocab.step()) stem_documents_.emplace(vocab.text(0), static_cast<int>(vocab.integer(1)));
    register_scorer(db_.get(), &table_);
    const std::string columns = std::to_string(point_columns);
    search_.emplace(db_.get(), "SELECT rowid, cited_score(fact_search, " + columns + ", ?2) FROM fact_search WHERE fact_search MATCH ?1");
    phrase_rows_.emplace(db_.get(), "SELECT rowid, cited_phrase(fact_search, " + columns + ") FROM fact_search WHERE fact_search MATCH ?1");
    for (const int length : table_.row_length) row_norm_.push_back(bm25_norm(table_, length));
  }

  std::vector<search_hit> search(const std::vector<term_group>& groups, std::size_t limit) override {
    // Bounded, as questions may hold any word; cleared only here, as a search holds on to entries.
    if (phrase_cache_.size() > max_cached_phrases) phrase_cache_.clear();
    // A phrase with a stem no fact holds can match nothing: it is not worth FTS5's time.
    const fts_query query = make_fts_query(groups, [&](std::size_t, const std::string& term) { return facts_of(term).documents > 0; });
    if (query.expression.empty()) return {};
    std::vector<search_hit> hits = options_.cache_phrase_rows ? search_cached(query) : search_fts5(query);
    // A few dozen rows at most: sorting here is cheaper than asking SQLite to.
    const auto keep = std::min(limit, hits.size());
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(),
                      [](const search_hit& a, const search_hit& b) { return a.relevance > b.relevance; });
    hits.resize(keep);
    return hits;
  }

 private:
  // Questions and answer state a fact's point; the quotes are whole source sentences around it.
  static constexpr int point_columns = (1 << schema::questions_column) | (1 << schema::answer_column);
  static constexpr std::size_t max_cached_phrases = 20'000;

  struct phrase_row {
    std::uint32_t rowid = 0;
    bool in_point = false;
    double frequency = 0;  // column-weighted
  };

  struct phrase_facts {
    int documents = 0;  // facts holding its rarest stem: as many as hold the phrase, or more
    double idf = 0;     // FTS5's idf for the phrase, from that count
    std::optional<std::vector<phrase_row>> rows;  // where it occurs, once asked
  };

  // The whole question as one FTS5 query: every phrase OR'ed, each row scored by cited_score().
  std::vector<search_hit> search_fts5(const fts_query& query) {
    std::vector<search_hit> hits;
    std::vector<double> idf;
    for (const auto& text : query.phrase_text) idf.push_back(facts_of(text).idf);
    search_->bind(1, query.expression).bind_blob(2, idf.data(), idf.size() * sizeof(double));
    try {
      while (search_->step()) {
        const auto [score, in_point, anywhere] = search_->score(1);
        search_hit h;
        h.fact = static_cast<std::size_t>(search_->integer(0) - 1);
        h.relevance = score;
        for (std::size_t i = 0; i < query.phrase_group.size(); ++i) {
          const std::uint64_t group = std::uint64_t{1} << query.phrase_group[i];
          if (in_point & (std::uint64_t{1} << i)) h.matched_in_point |= group;
          if (anywhere & (std::uint64_t{1} << i)) h.matched |= group;
        }
        hits.push_back(h);
      }
    } catch (...) {
      search_->reset();
      throw;
    }
    search_->reset();
    return hits;
  }

  // The same hits and scores from each phrase's rows, asked of FTS5 once per phrase: patients'
  // questions are new, their words mostly are not. Sums in search_fts5's order, so the
  // doubles come out the same to the last bit (tests/index compares the two).
  std::vector<search_hit> search_cached(const fts_query& query) {
    const std::size_t row_count = row_norm_.size();
    std::vector<double> score(row_count, 0);
    std::vector<std::uint64_t> matched(row_count, 0), in_point(row_count, 0);
    std::vector<bool> found(row_count, false);
    for (std::size_t i = 0; i < query.phrase_text.size(); ++i) {
      phrase_facts& facts = facts_of(query.phrase_text[i]);
      const std::uint64_t group = std::uint64_t{1} << query.phrase_group[i];
      for (const phrase_row& r : rows_of(query.phrase_text[i], facts)) {
        if (r.rowid >= row_count) continue;
        found[r.rowid] = true;
        matched[r.rowid] |= group;
        if (r.in_point) in_point[r.rowid] |= group;
        if (r.frequency > 0) score[r.rowid] += bm25_term(facts.idf, r.frequency, row_norm_[r.rowid]);
      }
    }
    std::vector<search_hit> hits;
    for (std::size_t row = 1; row < row_count; ++row)
      if (found[row]) hits.push_back({row - 1, score[row], matched[row], in_point[row]});
    return hits;
  }

  const std::vector<phrase_row>& rows_of(const std::string& phrase, phrase_facts& facts) {
    if (facts.rows) return *facts.rows;
    std::vector<phrase_row> rows;
    term_group only;
    only.origin = phrase;
    only.terms = {phrase};
    only.weight = 1;
    only.known = true;
    phrase_rows_->bind(1, make_fts_query({only}).expression);
    try {
      while (phrase_rows_->step()) {
        phrase_row r;
        r.rowid = static_cast<std::uint32_t>(phrase_rows_->integer(0));
        std::tie(r.frequency, r.in_point) = phrase_rows_->phrase_hit(1);
        rows.push_back(r);
      }
    } catch (...) {
      phrase_rows_->reset();
      throw;
    }
    phrase_rows_->reset();
    return facts.rows.emplace(std::move(rows));
  }

  // Phrases repeat across questions, so each is worked out once.
  phrase_facts& facts_of(const std::string& phrase) {
    if (auto it = phrase_cache_.find(phrase); it != phrase_cache_.end()) return it->second;
    phrase_facts f;
    int documents = std::numeric_limits<int>::max();
    for (const auto& stem : stems_.stems(phrase)) {
      auto it = stem_documents_.find(stem);
      documents = std::min(documents, it == stem_documents_.end() ? 0 : it->second);
    }
    f.documents = documents == std::numeric_limits<int>::max() ? 0 : documents;
    f.idf = std::log((rows_ - f.documents + 0.5) / (f.documents + 0.5));
    if (f.idf <= 0) f.idf = 1e-6;
    return phrase_cache_.emplace(phrase, std::move(f)).first->second;
  }

  sqlite_db db_;
  stemmer stems_;
  bm25_table table_;
  retriever_options options_;
  double rows_ = 0;
  std::vector<double> row_norm_;  // by rowid
  std::unordered_map<std::string, int> stem_documents_;
  std::unordered_map<std::string, phrase_facts> phrase_cache_;
  std::optional<statement> search_, phrase_rows_;
};

}  // namespace

fts_query make_fts_query(const std::vector<term_group>& groups,
                          const std::function<bool(std::size_t group, const std::string& term)>& searchable) {
  fts_query q;
  for (std::size_t g = 0; g < groups.size() && g < 64; ++g) {
    for (std::string term : groups[g].terms) {
      if (q.phrase_group.size() == 64) return q;  // cited_score() reports on 64 phrases
      // FTS5 reads the expression as a C string: a NUL would end it inside a phrase's quotes.
      // A NUL separates words, as a space does.
      std::replace(term.begin(), term.end(), '\0', ' ');
      if (term.find_first_not_of(' ') == std::string::npos) continue;
      if (searchable && !searchable(g, term)) continue;
      if (!q.expression.empty()) q.expression += " OR ";
      q.expression += '"';
      for (char c : term) {
        if (c == '"') q.expression += '"';  // FTS5 escapes a quote inside a phrase by doubling it
        q.expression += c;
      }
      q.expression += '"';
      q.phrase_group.push_back(g);
      q.phrase_text.push_back(term);
    }
  }
  return q;
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
    statement sources(db.get(), "SELECT id, title, text, clinic FROM sources ORDER BY id");
    while (sources.step()) kb->sources.push_back({sources.text(0), sources.text(1), sources.text(2), sources.integer(3) != 0});
    statement facts(db.get(), "SELECT rowid, id, topic, answer, conflict, clinic FROM facts ORDER BY rowid");
    while (facts.step()) {
      fact f;
      f.id = facts.text(1);
      f.topic = facts.text(2);
      f.answer = facts.text(3);
      f.conflict = facts.integer(4) != 0;
      f.clinic = facts.integer(5) != 0;
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

bm25_table load_bm25_table(sqlite3* db, const stemmer& stems) {
  bm25_table table;
  statement rows(db, "SELECT rowid, questions, answer, quotes FROM fact_search");
  double total = 0, count = 0;
  while (rows.step()) {
    const auto rowid = static_cast<std::size_t>(rows.integer(0));
    if (rowid >= table.row_length.size()) table.row_length.resize(rowid + 1, 0);
    int length = 0;
    for (int column = 1; column <= 3; ++column) length += static_cast<int>(stems.stems(rows.text(column)).size());
    table.row_length[rowid] = length;
    total += length;
    ++count;
  }
  table.average_length = count > 0 && total > 0 ? total / count : 1;
  table.column_weight = {schema::questions_weight, schema::answer_weight, schema::quotes_weight};
  return table;
}

std::unique_ptr<retriever> open_retriever(const fs::path& path, const retriever_options& options) {
  return std::make_unique<fts_retriever>(path, options);
}

}  // namespace cited
