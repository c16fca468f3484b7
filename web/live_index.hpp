#pragma once
// The index being served, replaced whole while the server runs (a publish, SIGHUP, `cited index`
// into the served file), so that no connection is dropped, no ask fails and conversations keep
// their context (a conversation holds fact ids and words, nothing of an engine).
//
// A generation is one load of the index file: one ready engine per slot (each thread that
// answers, I/O or staff, owns a slot). Loading happens off the I/O threads; a thread sees the
// new generation number (one atomic load) before its next answer and takes its engine, so the
// swap costs an I/O thread a pointer move, never a load. The engine it lets go of is released on
// live_index's own thread, not the I/O thread (an engine that has served for a while holds
// caches that take tens of milliseconds to free), and with the last of them the old knowledge
// base and the old file's descriptors.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "answer_engine.hpp"

namespace cited::web {

// What identifies a file's contents cheaply: device, inode, size and modification time. A
// rename over the file (as `cited index` and a publish write it) changes the inode. Empty when
// the file cannot be read.
std::string file_identity(const std::filesystem::path& path);

struct index_load {
  std::string identity;                                  // file_identity of what was loaded
  std::shared_ptr<const knowledge_base> knowledge;       // what the engines answer from
  std::vector<std::unique_ptr<answer_engine>> engines;   // one per slot, all over that one file
};
// Loads the index and makes `engines` engines over it; throws when it cannot.
using index_loader = std::function<index_load(std::size_t engines)>;

class live_index {
 public:
  // Loads generation 1 now (throwing what the loader throws). file is watched by watch().
  live_index(index_loader load, std::size_t slots, std::filesystem::path file = {});
  ~live_index();
  live_index(const live_index&) = delete;
  live_index& operator=(const live_index&) = delete;

  // Loads the index again and makes it current; returns its generation. One reload at a time.
  // Throws what the loader throws, and the current generation stays.
  std::uint64_t reload(std::string_view why);
  // Reloads when the file is not what the current generation loaded (and a load of that very
  // file has not already failed). True when it reloaded.
  bool reload_if_changed();

  // Checks the file every `every` on live_index's thread; a zero interval does not watch.
  // Events (reloads, failures) go to log. Call once, before serving.
  void watch(std::chrono::milliseconds every, std::function<void(const nlohmann::json&)> log);
  // Ends live_index's thread, once it has released what it was given. Idempotent.
  void stop();

  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  std::size_t slots() const { return slots_; }
  const std::filesystem::path& file() const { return file_; }
  // The knowledge of the current generation.
  std::shared_ptr<const knowledge_base> knowledge() const;

  // One thread's engine: it moves to the newest generation when asked for after a reload.
  class slot {
   public:
    slot(live_index& live, std::size_t index);
    // This thread's engine, the newest generation's. A reference from an earlier call must not
    // be held across this one: the engine it names may be released here.
    answer_engine& engine();
    std::uint64_t generation() const { return generation_; }

   private:
    live_index* live_;
    std::size_t index_;
    std::uint64_t generation_ = 0;
    std::unique_ptr<answer_engine> engine_;
  };

 private:
  struct loaded {
    std::uint64_t number = 0;
    std::string identity;
    std::shared_ptr<const knowledge_base> knowledge;
    std::vector<std::unique_ptr<answer_engine>> engines;  // slot i's is taken by slot i's thread
  };
  std::shared_ptr<loaded> load_generation(std::uint64_t number);
  std::shared_ptr<loaded> current() const;
  void log(const nlohmann::json& event) const;
  // Hands an engine a slot let go of to live_index's thread, which releases it.
  void retire(std::unique_ptr<answer_engine> engine);
  void run();

  index_loader load_;
  std::size_t slots_;
  std::filesystem::path file_;
  std::mutex reload_mutex_;          // one load at a time
  mutable std::mutex current_mutex_; // held only to copy or replace current_
  std::shared_ptr<loaded> current_;
  std::atomic<std::uint64_t> generation_{0};
  std::string failed_identity_;      // under reload_mutex_: the file a load last failed on
  std::function<void(const nlohmann::json&)> log_;
  // live_index's thread: releases retired engines, and checks the file every check_every_.
  std::mutex thread_mutex_;
  std::condition_variable thread_wake_;
  std::chrono::milliseconds check_every_{0};                // under thread_mutex_
  std::vector<std::unique_ptr<answer_engine>> retired_;      // under thread_mutex_
  bool stopping_ = false;                                    // under thread_mutex_
  std::thread thread_;
};

}  // namespace cited::web
