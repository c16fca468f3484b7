#include "knowledge_edits.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

namespace cited {
namespace {

using nlohmann::json;

const json& member(const json& j, const char* key, json::value_t type, const char* what) {
  const auto it = j.find(key);
  if (it == j.end() || it->type() != type) throw std::invalid_argument(std::string("\"") + key + "\" must be " + what);
  return *it;
}

std::string text_member(const json& j, const char* key) {
  return member(j, key, json::value_t::string, "a string").get<std::string>();
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) throw std::invalid_argument(std::string("\"") + key + "\" must be a list of strings");
  for (const auto& s : *it) {
    if (!s.is_string()) throw std::invalid_argument(std::string("\"") + key + "\" must be a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

source_document source_from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("\"source\" must be an object");
  source_document s{text_member(j, "id"), text_member(j, "title"), text_member(j, "text"), false};
  if (const auto it = j.find("clinic"); it != j.end() && it->is_boolean()) s.clinic = it->get<bool>();
  return s;
}

json source_to_json(const source_document& s) {
  return {{"id", s.id}, {"title", s.title}, {"text", s.text}, {"clinic", s.clinic}};
}

// FNV-1a, 64 bits: a version tells corpora apart, it guards nothing.
struct digest {
  std::uint64_t h = 1469598103934665603ULL;
  void add(std::string_view s) {
    for (const unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    // The length too, so that "ab"+"c" and "a"+"bc" differ.
    for (std::size_t n = s.size(), i = 0; i < 8; ++i, n >>= 8) {
      h ^= n & 0xff;
      h *= 1099511628211ULL;
    }
  }
};

std::string first_phrasing(const fact& f) { return f.questions.empty() ? f.id : f.questions.front(); }

}  // namespace

std::string_view to_string(edit_kind k) {
  switch (k) {
    case edit_kind::fact_added: return "fact_added";
    case edit_kind::fact_changed: return "fact_changed";
    case edit_kind::fact_removed: return "fact_removed";
    case edit_kind::phrasing_added: return "phrasing_added";
    case edit_kind::source_added: return "source_added";
  }
  return "fact_changed";
}

json fact_to_json(const fact& f) {
  json citations = json::array();
  for (const auto& c : f.citations) citations.push_back({{"source", c.source}, {"quote", c.quote}});
  return {{"id", f.id},           {"topic", f.topic},   {"questions", f.questions}, {"answer", f.answer},
          {"citations", citations}, {"conflict", f.conflict}, {"related", f.related}, {"clinic", f.clinic}};
}

fact fact_from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("\"fact\" must be an object");
  fact f;
  f.id = text_member(j, "id");
  f.topic = text_member(j, "topic");
  f.questions = strings(j, "questions");
  f.answer = text_member(j, "answer");
  if (const auto it = j.find("citations"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw std::invalid_argument("\"citations\" must be a list");
    for (const auto& c : *it) {
      if (!c.is_object()) throw std::invalid_argument("each citation must be an object with \"source\" and \"quote\"");
      f.citations.push_back({text_member(c, "source"), text_member(c, "quote")});
    }
  }
  if (const auto it = j.find("conflict"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) throw std::invalid_argument("\"conflict\" must be true or false");
    f.conflict = it->get<bool>();
  }
  f.related = strings(j, "related");
  if (const auto it = j.find("clinic"); it != j.end() && !it->is_null()) {
    if (!it->is_boolean()) throw std::invalid_argument("\"clinic\" must be true or false");
    f.clinic = it->get<bool>();
  }
  return f;
}

knowledge_edit edit_from_json(const json& j) {
  if (!j.is_object()) throw std::invalid_argument("an edit must be an object");
  const std::string kind = text_member(j, "kind");
  knowledge_edit e;
  if (kind == "fact_added" || kind == "fact_changed") {
    e.kind = kind == "fact_added" ? edit_kind::fact_added : edit_kind::fact_changed;
    e.value = fact_from_json(member(j, "fact", json::value_t::object, "an object"));
    e.fact_id = e.value->id;
  } else if (kind == "fact_removed") {
    e.kind = edit_kind::fact_removed;
    e.fact_id = text_member(j, "fact_id");
  } else if (kind == "phrasing_added") {
    e.kind = edit_kind::phrasing_added;
    e.fact_id = text_member(j, "fact_id");
    e.phrasing = text_member(j, "phrasing");
    if (e.phrasing.find_first_not_of(" \t\r\n") == std::string::npos) throw std::invalid_argument("\"phrasing\" is empty");
  } else if (kind == "source_added") {
    e.kind = edit_kind::source_added;
    e.source = source_from_json(member(j, "source", json::value_t::object, "an object"));
  } else {
    throw std::invalid_argument("\"kind\" must be fact_added, fact_changed, fact_removed, phrasing_added or source_added");
  }
  if (e.kind != edit_kind::source_added && e.fact_id.empty()) throw std::invalid_argument("the fact needs an id");
  return e;
}

json to_json(const knowledge_edit& e) {
  json j{{"kind", to_string(e.kind)}};
  switch (e.kind) {
    case edit_kind::fact_added:
    case edit_kind::fact_changed: j["fact"] = fact_to_json(*e.value); break;
    case edit_kind::fact_removed: j["fact_id"] = e.fact_id; break;
    case edit_kind::phrasing_added:
      j["fact_id"] = e.fact_id;
      j["phrasing"] = e.phrasing;
      break;
    case edit_kind::source_added: j["source"] = source_to_json(*e.source); break;
  }
  return j;
}

json corpus_to_json(const knowledge_base& kb) {
  json facts = json::array(), sources = json::array();
  for (const auto& f : kb.facts) facts.push_back(fact_to_json(f));
  for (const auto& s : kb.sources) sources.push_back(source_to_json(s));
  return {{"facts", facts}, {"sources", sources}};
}

knowledge_base corpus_from_json(const json& j, const knowledge_base& kb) {
  knowledge_base out;
  out.words = kb.words;
  for (const auto& f : member(j, "facts", json::value_t::array, "a list")) out.facts.push_back(fact_from_json(f));
  for (const auto& s : member(j, "sources", json::value_t::array, "a list")) out.sources.push_back(source_from_json(s));
  return out;
}

std::vector<edit_conflict> apply_edits(knowledge_base& kb, const std::vector<knowledge_edit>& edits) {
  std::vector<edit_conflict> conflicts;
  auto fact_at = [&kb](std::string_view id) {
    return std::find_if(kb.facts.begin(), kb.facts.end(), [id](const fact& f) { return f.id == id; });
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const auto& e = edits[i];
    auto conflict = [&](std::string message) { conflicts.push_back({i, e.fact_id, std::move(message)}); };
    switch (e.kind) {
      case edit_kind::fact_added:
        if (fact_at(e.fact_id) != kb.facts.end()) conflict("a fact with the id \"" + e.fact_id + "\" already exists");
        else kb.facts.push_back(*e.value);
        break;
      case edit_kind::fact_changed:
        if (auto it = fact_at(e.fact_id); it != kb.facts.end()) *it = *e.value;
        else conflict("the fact \"" + e.fact_id + "\" is no longer there");
        break;
      case edit_kind::fact_removed:
        if (auto it = fact_at(e.fact_id); it != kb.facts.end()) {
          kb.facts.erase(it);
          // A suggestion of a fact that is gone would offer nothing.
          for (auto& f : kb.facts) std::erase(f.related, e.fact_id);
        } else {
          conflict("the fact \"" + e.fact_id + "\" is no longer there");
        }
        break;
      case edit_kind::phrasing_added:
        if (auto it = fact_at(e.fact_id); it == kb.facts.end()) conflict("the fact \"" + e.fact_id + "\" is no longer there");
        else if (std::find(it->questions.begin(), it->questions.end(), e.phrasing) == it->questions.end())
          it->questions.push_back(e.phrasing);
        break;
      case edit_kind::source_added:
        if (const auto* s = kb.find_source(e.source->id); s && s->text != e.source->text)
          conflict("a different source with the id \"" + e.source->id + "\" already exists");
        else if (!s)
          kb.sources.push_back(*e.source);
        break;
    }
  }
  return conflicts;
}

std::string knowledge_version(const knowledge_base& kb) {
  digest d;
  for (const auto& f : kb.facts) d.add(fact_to_json(f).dump());
  d.add("\x1f");
  for (const auto& s : kb.sources) {
    d.add(s.id);
    d.add(s.title);
    d.add(s.text);
    d.add(s.clinic ? "clinic" : "");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "v-";
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(d.h >> shift) & 0xf];
  return out;
}

std::vector<knowledge_change> changes_between(const knowledge_base& from, const knowledge_base& to) {
  std::vector<knowledge_change> out;
  for (const auto& f : to.facts) {
    const fact* before = from.find_fact(f.id);
    if (!before) out.push_back({"fact_added", f.id, first_phrasing(f)});
    else if (fact_to_json(*before) != fact_to_json(f)) out.push_back({"fact_changed", f.id, first_phrasing(f)});
  }
  for (const auto& f : from.facts)
    if (!to.find_fact(f.id)) out.push_back({"fact_removed", f.id, first_phrasing(f)});
  for (const auto& s : to.sources)
    if (!from.find_source(s.id)) out.push_back({"source_added", s.id, s.title});
  for (const auto& s : from.sources)
    if (!to.find_source(s.id)) out.push_back({"source_removed", s.id, s.title});
  return out;
}

json to_json(const std::vector<knowledge_change>& changes) {
  json out = json::array();
  for (const auto& c : changes) out.push_back({{"kind", c.kind}, {"id", c.id}, {"label", c.label}});
  return out;
}

json visible_answer(const answer& a) {
  json citations = json::array();
  for (const auto& c : a.citations) citations.push_back({{"n", c.n}, {"source", c.source}, {"quote", c.quote}});
  return {{"status", to_string(a.status)}, {"text", a.text},     {"citations", citations},
          {"facts", a.facts},              {"conflict", a.conflict}};
}

}  // namespace cited
