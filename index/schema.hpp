#pragma once
// The index file's layout, in one place, so the builder and the reader cannot drift apart.
namespace cited::schema {

// Raise on any change below; an index with another version is rebuilt, never misread.
inline constexpr int version = 4;

// Columns of fact_search, in order.
inline constexpr int questions_column = 0, answer_column = 1, quotes_column = 2;

// How much a match in each column of fact_search counts in BM25: a patient's phrasing of a
// fact says most about it, its plain answer next, the verbatim quotes least.
inline constexpr double questions_weight = 4.0;
inline constexpr double answer_weight = 2.0;
inline constexpr double quotes_weight = 1.0;

inline constexpr const char* create_tables = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, clinic INTEGER NOT NULL);
CREATE TABLE facts(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, topic TEXT NOT NULL,
                   answer TEXT NOT NULL, conflict INTEGER NOT NULL, clinic INTEGER NOT NULL);
CREATE TABLE fact_questions(fact INTEGER NOT NULL REFERENCES facts(rowid), question TEXT NOT NULL);
CREATE TABLE fact_related(fact INTEGER NOT NULL REFERENCES facts(rowid), related TEXT NOT NULL);
CREATE TABLE citations(fact INTEGER NOT NULL REFERENCES facts(rowid), n INTEGER NOT NULL,
                       source TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL);
CREATE TABLE lexicon(kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL);
CREATE VIRTUAL TABLE fact_search USING fts5(questions, answer, quotes, tokenize = 'porter cited');
CREATE VIRTUAL TABLE fact_words USING fts5(body, tokenize = 'cited', content = '');
CREATE VIRTUAL TABLE fact_words_vocab USING fts5vocab(fact_words, 'row');
CREATE VIRTUAL TABLE fact_search_vocab USING fts5vocab(fact_search, 'row');
)sql";

}  // namespace cited::schema
