// `cited serve`: builds the index when it is missing or stale, then serves it over HTTP and
// WebSocket (web/server.hpp), with the clinic's records (staff, hand-offs, the conversation log,
// feedback) in a store of their own (records/writer.hpp).
#include <charconv>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "client_address.hpp"
#include "corpus_backend.hpp"
#include "commands.hpp"
#include "redact.hpp"
#include "reply_drafter.hpp"
#include "reply_limit.hpp"
#include "server.hpp"
#include "writer.hpp"

namespace cited::app {
namespace {

constexpr const char* serve_help =
    "cited serve [options]\n"
    "  Serves the assistant over HTTP and WebSocket (see PROTOCOL.md). Builds the index first when\n"
    "  there is none, or it is older than the corpus. Stops cleanly on SIGINT/SIGTERM; SIGHUP opens\n"
    "  the log file again (for logrotate) and loads the index again, swapping it in without dropping\n"
    "  a connection. A limit of 0 turns that limit off.\n"
    "\n"
    "  --db FILE                 the index (default cited.db)\n"
    "  --index-check S           seconds between checks of the index file for a new one (`cited index`\n"
    "                            into it), swapped in like SIGHUP does; 0: only on SIGHUP (default 2)\n"
    "  --corpus DIR              the corpus to build it from (default corpus)\n"
    "  --host H                  address to listen on (default 127.0.0.1)\n"
    "  --port P                  port (default 8080; 0 picks a free one and prints it)\n"
    "  --threads N               I/O threads, each with its own engine (default: one per core)\n"
    "  --rate-limit N            messages per second per connection (default 5; 0 turns it off)\n"
    "  --rate-burst N            messages a connection may send at once (default 2 x rate, at least 10)\n"
    "  --max-connections N       open connections allowed, 503 past it (default 10000)\n"
    "  --rate-limit-per-ip N     HTTP requests and WebSocket messages per second per client address,\n"
    "                            429 / rate_limited past it (default 20; pages, /healthz, /metrics free)\n"
    "  --rate-burst-per-ip N     what a client address may send at once (default 2 x rate, at least 10)\n"
    "  --max-connections-per-ip N  open connections per client address, 503 past it (default 64)\n"
    "  --address-table-size N    client addresses remembered for those limits (default 100000)\n"
    "  --trust-proxy ADDR        a reverse proxy (address or network, e.g. 127.0.0.1 or 10.0.0.0/8)\n"
    "                            whose X-Forwarded-For names the client; repeat for several\n"
    "  --allow-origin O          an Origin allowed to open /ws, e.g. https://clinic.example;\n"
    "                            repeat for several; none given: any Origin\n"
    "  --records FILE            the clinic's records, SQLite: staff accounts, hand-offs, the conversation\n"
    "                            log, feedback (default records.db; `cited staff` takes the same flag)\n"
    "  --feedback FILE           the older name of --records (a feedback store is upgraded in place)\n"
    "  --retain-days N           days the conversation log, feedback and finished hand-offs are kept;\n"
    "                            older rows are purged hourly (default 90; 0: no conversation log)\n"
    "  --no-handoff              no hand-off inbox: the widget offers its data-staff-contact link instead\n"
    "  --handoff-webhook URL     POST {handoff_id, created_at} to this http:// URL for each new hand-off\n"
    "  --session-idle-hours H    a staff session unused this long ends (default 12)\n"
    "  --secure-cookies          mark the session cookie Secure (behind TLS; also done for a request\n"
    "                            whose proxy sends X-Forwarded-Proto: https)\n"
    "  --sign-in-lock-after N    wrong passwords in a row that lock an account (default 10; the first 3\n"
    "                            are free, then each waits 2 s, doubling)\n"
    "  --sign-in-lock-minutes M  how long such a lock lasts (default 15)\n"
    "  --staff-threads N         threads for staff work: sign-in hashing, reports, drafts (default 2)\n"
    "  --log-queue N             conversation-log turns waiting for the disk; past it they are dropped\n"
    "                            and counted (default 50000)\n"
    "  --web-root DIR            where index.html, widget.js and staff.html are (default: the\n"
    "                            source tree's web/static)\n"
    "  --log FILE                the JSON access log (default: stderr); a new file is made 0600\n"
    "  --log-full-ip             log whole client addresses (default: their /24 or /48 only)\n"
    "  --phone-regions LIST      regions whose phone numbers are redacted in their national format,\n"
    "                            comma-separated ISO codes (default GB,IE,US,AU,NZ; +CC numbers always)\n"
    "  --max-question-chars N    longest question, in characters (default 4000)\n"
    "  --max-message-bytes N     largest WebSocket message answered; larger: too_large (default 65536)\n"
    "  --read-message-max N      largest WebSocket message read at all; larger: close 1009 (default 1048576)\n"
    "  --message-timeout S       seconds each 64 KiB of a WebSocket message may take to arrive; a\n"
    "                            message that stops coming is cut off (default 5)\n"
    "  --max-buffered-bytes N    bytes all unfinished WebSocket messages may hold together; past it a\n"
    "                            long message gets too_large (default 33554432)\n"
    "  --max-comment-chars N     longest feedback comment, in characters (default 1000)\n"
    "  --feedback-window S       seconds an answer given over HTTP may be rated (default 600)\n"
    "  --reply-max-sentences N   sentences of an email POST /api/reply reads; the reply says where it\n"
    "                            stopped (default 200)\n"
    "  --reply-max-chars N       characters of an email POST /api/reply reads (default 16000)\n"
    "  --max-body-bytes N        largest HTTP request body; larger: 413 (default 65536; a page staff\n"
    "                            add as a source must fit in it too)\n"
    "  --question-set FILE       a question set (JSON Lines) whose answers a draft's preview compares;\n"
    "                            repeat for several (default: tests/eval/*.jsonl and tests/eval/real/*.jsonl\n"
    "                            beside the corpus folder, when there)\n"
    "  --red-flag-set FILE       urgent questions a publish must keep urgent (default\n"
    "                            tests/eval/redflags.jsonl beside the corpus folder, when there)\n"
    "  --preview-log-days N      the conversation log's questions of these last days are compared too (default 30)\n"
    "  --preview-log-questions N at most this many of them, the newest (default 5000)\n"
    "  --preview-listed N        changed answers a preview lists; all are counted (default 500)\n"
    "  --draft-max-edits N       edits one draft may hold (default 500)\n"
    "  --max-source-bytes N      the longest page staff may add as a source (default 1048576)\n"
    "  --no-knowledge-editor     no /api/staff/knowledge/ (a read-only corpus folder, say)\n"
    "  --handshake-timeout S     seconds for a request or a WebSocket handshake (default 10)\n"
    "  --idle-timeout S          seconds of silence before a WebSocket is pinged, then dropped (default 120)\n"
    "  --shutdown-timeout S      seconds a shutdown waits for connections to close (default 10)\n";

double number(const arguments& args, const std::string& name, double fallback, double min, double max) {
  const std::string text = args.value(name, "");
  if (text.empty()) return fallback;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    throw usage_error(name + " needs a number from " + std::to_string(static_cast<long long>(min)) + " to " +
                      std::to_string(static_cast<long long>(max)) + ", not '" + text + "'");
  return value;
}

std::size_t count(const arguments& args, const std::string& name, std::size_t fallback, double min, double max) {
  return static_cast<std::size_t>(number(args, name, static_cast<double>(fallback), min, max));
}

std::chrono::milliseconds seconds(const arguments& args, const std::string& name, std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(
      static_cast<long long>(1000 * number(args, name, static_cast<double>(fallback.count()) / 1000, 0.001, 86'400)));
}

}  // namespace

int run_serve(const std::vector<std::string>& raw) {
  arguments args(raw,
                 {"--db", "--corpus", "--host", "--port", "--threads", "--rate-limit", "--rate-burst", "--max-connections",
                  "--allow-origin", "--feedback", "--web-root", "--log", "--max-question-chars", "--max-message-bytes",
                  "--read-message-max", "--max-body-bytes", "--handshake-timeout", "--idle-timeout", "--shutdown-timeout",
                  "--records", "--retain-days", "--handoff-webhook", "--session-idle-hours", "--sign-in-lock-after",
                  "--sign-in-lock-minutes", "--staff-threads", "--log-queue",
                  "--rate-limit-per-ip", "--rate-burst-per-ip", "--max-connections-per-ip", "--address-table-size",
                  "--trust-proxy", "--phone-regions", "--message-timeout", "--max-buffered-bytes", "--max-comment-chars",
                  "--feedback-window", "--reply-max-sentences", "--reply-max-chars", "--index-check",
                  "--question-set", "--red-flag-set", "--preview-log-days", "--preview-log-questions", "--preview-listed",
                  "--draft-max-edits", "--max-source-bytes"},
                 {"--help", "--no-handoff", "--secure-cookies", "--log-full-ip", "--no-knowledge-editor"});
  if (args.has("--help")) {
    std::cout << serve_help;
    return 0;
  }
  if (!args.positional().empty()) throw usage_error("unexpected argument " + args.positional().front());

  web::server_options options;
  options.host = args.value("--host", options.host);
  options.port = static_cast<unsigned short>(number(args, "--port", options.port, 0, 65535));
  options.threads = static_cast<unsigned>(number(args, "--threads", 0, 0, 256));
  options.allowed_origins = args.values("--allow-origin");
  options.web_root = args.value("--web-root", "");
  options.log_file = args.value("--log", "");
  options.log_full_ip = args.has("--log-full-ip");
  options.trusted_proxies = args.values("--trust-proxy");
  auto& limits = options.limits;
  limits.rate_limit = number(args, "--rate-limit", limits.rate_limit, 0, 1e6);
  limits.rate_burst = number(args, "--rate-burst", std::max(10.0, 2 * limits.rate_limit), 1, 1e6);
  limits.max_connections = count(args, "--max-connections", limits.max_connections, 1, 1e7);
  limits.rate_limit_per_ip = number(args, "--rate-limit-per-ip", limits.rate_limit_per_ip, 0, 1e9);
  limits.rate_burst_per_ip = number(args, "--rate-burst-per-ip", std::max(10.0, 2 * limits.rate_limit_per_ip), 1, 1e9);
  limits.max_connections_per_ip = count(args, "--max-connections-per-ip", limits.max_connections_per_ip, 0, 1e7);
  limits.client_table_size = count(args, "--address-table-size", limits.client_table_size, 1000, 1e8);
  limits.message_timeout = seconds(args, "--message-timeout", limits.message_timeout);
  limits.max_buffered_bytes = count(args, "--max-buffered-bytes", limits.max_buffered_bytes, 0, 1e12);
  limits.messages.max_comment_chars = count(args, "--max-comment-chars", limits.messages.max_comment_chars, 0, 1e6);
  limits.feedback_window = seconds(args, "--feedback-window", limits.feedback_window);
  reply_limits reply_reading;
  reply_reading.max_sentences = count(args, "--reply-max-sentences", reply_reading.max_sentences, 0, 1e6);
  reply_reading.max_chars = count(args, "--reply-max-chars", reply_reading.max_chars, 0, 1e9);
  limits.messages.max_question_chars = count(args, "--max-question-chars", limits.messages.max_question_chars, 1, 1e6);
  limits.max_message_bytes = count(args, "--max-message-bytes", limits.max_message_bytes, 64, 1 << 30);
  limits.read_message_max =
      count(args, "--read-message-max", std::max(limits.read_message_max, limits.max_message_bytes), 64, 1 << 30);
  if (limits.read_message_max < limits.max_message_bytes)
    throw usage_error("--read-message-max must be at least --max-message-bytes");
  limits.max_body_bytes = count(args, "--max-body-bytes", limits.max_body_bytes, 64, 1 << 30);
  limits.handshake_timeout = seconds(args, "--handshake-timeout", limits.handshake_timeout);
  limits.idle_timeout = seconds(args, "--idle-timeout", limits.idle_timeout);
  limits.shutdown_timeout = seconds(args, "--shutdown-timeout", limits.shutdown_timeout);
  options.index_check = std::chrono::milliseconds(static_cast<long long>(
      1000 * number(args, "--index-check", static_cast<double>(options.index_check.count()) / 1000, 0, 86'400)));

  auto& staff = options.staff;
  staff.handoff = !args.has("--no-handoff");
  staff.handoff_webhook = args.value("--handoff-webhook", "");
  staff.session_idle = std::chrono::milliseconds(
      static_cast<long long>(3'600'000 * number(args, "--session-idle-hours", 12, 0.01, 24 * 365)));
  staff.secure_cookies = args.has("--secure-cookies");
  staff.sign_in.lock_after = static_cast<unsigned>(number(args, "--sign-in-lock-after", staff.sign_in.lock_after, 4, 1000));
  staff.sign_in.lock_for = std::chrono::milliseconds(
      static_cast<long long>(60'000 * number(args, "--sign-in-lock-minutes", 15, 1, 24 * 60)));
  staff.threads = static_cast<unsigned>(number(args, "--staff-threads", staff.threads, 1, 64));
  auto& knowledge = staff.knowledge;
  const std::filesystem::path corpus_dir = args.value("--corpus", "corpus");
  const std::filesystem::path eval_dir = corpus_dir.parent_path() / "tests" / "eval";
  for (const auto& set : args.values("--question-set")) knowledge.question_sets.emplace_back(set);
  if (args.values("--question-set").empty())
    for (const auto& dir : {eval_dir, eval_dir / "real"}) {
      std::error_code ec;
      std::vector<std::filesystem::path> found;
      for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".jsonl") found.push_back(e.path());
      std::sort(found.begin(), found.end());
      knowledge.question_sets.insert(knowledge.question_sets.end(), found.begin(), found.end());
    }
  knowledge.red_flag_set = args.value("--red-flag-set", "");
  if (knowledge.red_flag_set.empty() && std::filesystem::exists(eval_dir / "redflags.jsonl"))
    knowledge.red_flag_set = eval_dir / "redflags.jsonl";
  for (const auto& set : knowledge.question_sets)
    if (!std::filesystem::is_regular_file(set)) throw usage_error("--question-set: cannot read " + set.string());
  if (!knowledge.red_flag_set.empty() && !std::filesystem::is_regular_file(knowledge.red_flag_set))
    throw usage_error("--red-flag-set: cannot read " + knowledge.red_flag_set.string());
  knowledge.log_days = static_cast<int>(number(args, "--preview-log-days", knowledge.log_days, 0, 3660));
  knowledge.log_questions = count(args, "--preview-log-questions", knowledge.log_questions, 0, 1e6);
  knowledge.listed_changes = count(args, "--preview-listed", knowledge.listed_changes, 0, 1e6);
  knowledge.max_edits = count(args, "--draft-max-edits", knowledge.max_edits, 1, 1e5);
  knowledge.max_source_bytes = count(args, "--max-source-bytes", knowledge.max_source_bytes, 1024, 1 << 28);
  records::writer_settings record_settings;
  record_settings.retain_days = static_cast<int>(number(args, "--retain-days", record_settings.retain_days, 0, 36'500));
  record_settings.session_idle = staff.session_idle;
  record_settings.max_queued_turns = count(args, "--log-queue", record_settings.max_queued_turns, 0, 1e7);
  if (!args.value("--records", "").empty() && !args.value("--feedback", "").empty()) throw usage_error("give --records or its older name --feedback, not both");
  const std::string records_file = args.value("--records", args.value("--feedback", "records.db"));
  // A bad --trust-proxy or --phone-regions is a usage error, found before anything is built.
  try {
    web::trusted_proxies check(options.trusted_proxies);
    std::vector<std::string> regions;
    std::string list = args.value("--phone-regions", web::default_phone_regions);
    for (std::size_t at = 0; at <= list.size();) {
      const auto comma = std::min(list.find(',', at), list.size());
      if (comma > at) regions.push_back(list.substr(at, comma - at));
      at = comma + 1;
    }
    web::set_phone_regions(regions);
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());
  }

  const std::filesystem::path db = args.value("--db", "cited.db");
  if (ensure_index(args.value("--corpus", "corpus"), db)) std::cerr << "cited: built the index " << db.string() << "\n";

  // Each connection is a descriptor; a few more go to the index, the log and the feedback store.
  const std::size_t wanted = limits.max_connections + 64;
  if (const std::size_t got = web::raise_open_files_limit(wanted); got < wanted)
    std::cerr << "cited: the open-files limit is " << got << ", so fewer than --max-connections " << limits.max_connections
              << " connections can be open at once\n";

  web::server_services services;
  services.load_index = [db](std::size_t engines) { return load_for_serving(db, engines); };
  services.index_file = db;
  // The knowledge editor writes the corpus folder and the index; previews build theirs apart.
  const auto scratch = std::filesystem::temp_directory_path() / ("cited-preview-" + std::to_string(::getpid()));
  if (!args.has("--no-knowledge-editor") && std::filesystem::is_directory(corpus_dir))
    services.knowledge = std::make_shared<corpus_backend>(corpus_dir, db, scratch);
  // One writer for every record: hand-offs, sessions, log turns and feedback.
  services.records = std::make_shared<records::writer>(records_file, record_settings);
  services.feedback = services.records->feedback();
  // A drafter per thread, bound to that thread's engine: building one makes ICU iterators. A
  // new index brings a new engine, and the drafter is made again for it.
  services.reply = [reply_reading](std::string_view email, answer_engine& engine) {
    thread_local std::unique_ptr<reply_drafter> drafter;
    thread_local std::uint64_t bound = 0;
    if (!drafter || bound != engine.instance()) {
      drafter.reset();
      drafter = std::make_unique<reply_drafter>(engine);
      bound = engine.instance();
    }
    return draft_within_limit(*drafter, email, reply_reading);
  };

  // A log file at its size limit (RLIMIT_FSIZE) must make the write fail, not kill the server:
  // the log drops and counts what it cannot write.
  std::signal(SIGXFSZ, SIG_IGN);
  web::server server(std::move(options), std::move(services));
  std::cout << "cited: serving on " << server.url() << std::endl;
  server.run_until_signal();
  std::cout << "cited: stopped" << std::endl;
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  return 0;
}

}  // namespace cited::app
