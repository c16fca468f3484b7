#pragma once
// What the fuzz targets share: an index of the bundled corpus, built once per process into a
// scratch file (removed at exit), and a check that stops the run loudly when an invariant breaks.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <unistd.h>

#include "corpus_loader.hpp"
#include "index_builder.hpp"
#include "index_reader.hpp"

namespace cited::fuzz {

// An invariant broke: print why and abort, so libFuzzer saves the input that did it.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant broken: %.*s%s%.*s\n", static_cast<int>(what.size()), what.data(),
               detail.empty() ? "" : ": ", static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void check(bool ok, std::string_view what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

// The bundled corpus's index, built on first use. Every target searches the real index, so
// what the fuzzer reaches is what a patient's question reaches.
class bundled_index {
 public:
  static const bundled_index& get() {
    static const bundled_index instance;
    return instance;
  }
  const std::filesystem::path& path() const { return path_; }
  const loaded_index& loaded() const { return loaded_; }

  bundled_index(const bundled_index&) = delete;
  bundled_index& operator=(const bundled_index&) = delete;

 private:
  bundled_index()
      : path_(std::filesystem::temp_directory_path() /
              ("cited-fuzz-" + std::to_string(::getpid()) + ".db")) {
    build_index(load_corpus(CITED_SOURCE_DIR "/corpus"), path_);
    loaded_ = load_index(path_);
  }
  ~bundled_index() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }

  std::filesystem::path path_;
  loaded_index loaded_;
};

}  // namespace cited::fuzz
