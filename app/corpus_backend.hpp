#pragma once
// The knowledge editor's backend over the corpus folder and the served index file: what web/
// cannot do itself (it never touches corpus/ or index/).
#include <atomic>
#include <filesystem>
#include <mutex>

#include "knowledge_backend.hpp"

namespace cited::app {

class corpus_backend : public web::knowledge_backend {
 public:
  // corpus: the folder that stays the source of truth; db: the index the server serves; scratch:
  // a folder for the preview's indexes (made at the first preview).
  corpus_backend(std::filesystem::path corpus, std::filesystem::path db, std::filesystem::path scratch);

  web::corpus_state corpus() override;
  std::vector<web::knowledge_problem> validate(const knowledge_base& kb) override;
  std::shared_ptr<answer_engine> engine_for(const knowledge_base& kb) override;
  void publish(const knowledge_base& kb) override;
  source_document import_source(std::string_view file_name, std::string_view content) override;

 private:
  std::filesystem::path corpus_, db_, scratch_;
  std::atomic<unsigned> previews_{0};
  std::mutex write_mutex_;  // one writer of the corpus and the index at a time
};

}  // namespace cited::app
