#!/usr/bin/env bash
# Benchmarks for `cited serve` (issues 3 and 14), on this machine, load tool and servers sharing it:
#   1. answers/s and latency at 64 connections, against a bare Beast echo server measured in
#      the same run (the transport's ceiling); the server with its per-address limits on (raised
#      for the load tool's address, 127.0.0.1, so that they are checked but never refuse) and off,
#      and with the conversation log off (--retain-days 0): neither may slow patients down
#      (issues 12 and 14); with BASELINE=path/to/another/cited (one that takes --feedback), that
#      build too, in the same rounds (ROUNDS, default 1);
#   2. 10,000 idle WebSocket connections: the server's RSS, then an answer on every one;
#   3. 300 WebSocket messages of 15 x 64 KiB never finished: the memory each pins, and whether
#      the server cuts them off (BASELINE too, when given);
#   4. widget.js as sent, plain and gzip.
# Usage: tests/load/run_bench.sh [build-dir]   (default build-bench; DURATION=10 IDLE=10000
#        UNFINISHED=300 ROUNDS=1 BASELINE=)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-bench}
duration=${DURATION:-10}
idle=${IDLE:-10000}
unfinished=${UNFINISHED:-300}
rounds=${ROUNDS:-1}
baseline=${BASELINE:-}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
work=$(mktemp -d /tmp/cited-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Each connection is a descriptor, on both sides.
ulimit -n "$(ulimit -Hn)"

echo "== building (Release) in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target cited cited-load cited-echo >/dev/null
"$build/cited" index --corpus "$here/corpus" --db "$work/cited.db" >/dev/null

# Starts a server in the background; sets $port and $pid from its "listening" line.
start() {
  local out=$1; shift
  "$@" >"$out" 2>"$out.err" &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 100); do
    port=$(grep -Eo '(listening on |127\.0\.0\.1:)[0-9]+' "$out" | grep -Eo '[0-9]+$' | head -1 || true)
    [ -n "$port" ] && return 0
    sleep 0.1
  done
  echo "server did not start:"; cat "$out" "$out.err"; exit 1
}
stop() { kill -TERM "$1"; wait "$1" 2>/dev/null || true; }
field() { grep -Eo "$1=[0-9.e+-]+" <<<"$2" | cut -d= -f2; }

load=("$build/tests/load/cited-load" --connections "$connections" --duration "$duration" --warmup 2)
serve_args=(serve --db "$work/cited.db" --corpus "$here/corpus" --port 0 --threads "$threads" --rate-limit 0
            --log "$work/access.log")
baseline_args=("${serve_args[@]}" --feedback "$work/feedback.db")
# The per-address limits on, at rates no load tool reaches: every message is checked, none refused.
limits_on=(--rate-limit-per-ip 1000000 --rate-burst-per-ip 1000000 --max-connections-per-ip 1000)
limits_off=(--rate-limit-per-ip 0 --max-connections-per-ip 0)

# Measures one server; prints its lines and sets $rate, $p99 and $cpu (server CPU per reply).
measure() {
  local name=$1; shift
  start "$work/$name.out" "$@"
  local out
  out=$("${load[@]}" --port "$port" --server-pid "$pid")
  echo "$out" | grep -v RESULT | sed "s/^cited-load:/  $name:/"
  stop "$pid"
  rate=$(field replies_per_s "$out")
  p99=$(field p99_ms "$out")
  cpu=$(field cpu_us_per_reply "$out")
}

for round in $(seq "$rounds"); do
  echo "== round $round of $rounds: $connections connections, ${duration}s each, $threads server threads"
  measure echo "$build/tests/load/cited-echo" --threads "$threads"
  echo_rate=$rate
  if [ -n "$baseline" ]; then
    measure baseline "$baseline" "${baseline_args[@]}"
    base_rate=$rate base_cpu=$cpu
  fi
  measure limits-on "$build/cited" "${serve_args[@]}" --records "$work/records-on-$round.db" "${limits_on[@]}"
  on_rate=$rate on_p99=$p99 on_cpu=$cpu
  measure limits-off "$build/cited" "${serve_args[@]}" --records "$work/records-off-$round.db" "${limits_off[@]}"
  off_rate=$rate off_cpu=$cpu
  measure log-off "$build/cited" "${serve_args[@]}" --records "$work/records-nolog-$round.db" "${limits_on[@]}" --retain-days 0
  nolog_rate=$rate nolog_cpu=$cpu
  # Every answer of a logged run should be a row: the writer drops turns only past --log-queue.
  logged=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from turns").fetchone()[0])' \
    "$work/records-on-$round.db")
  awk -v e="$echo_rate" -v s="$on_rate" -v p="$on_p99" -v f="$off_rate" -v b="${base_rate:-0}" -v n="$nolog_rate" \
      -v sc="$on_cpu" -v fc="$off_cpu" -v bc="${base_cpu:-0}" -v nc="$nolog_cpu" -v l="$logged" -v d="$duration" 'BEGIN {
    printf "== answers/s: cited (limits on, log on) %d = %.1f%% of echo %d (target >= 30%%), p99 %.2f ms (target < 5 ms); limits off %d (on/off %.3f); log off %d (on/off %.3f)",
           s, 100 * s / e, e, p, f, s / f, n, s / n
    if (b > 0) printf "; baseline %d (on/baseline %.3f)", b, s / b
    printf "\n== server CPU per reply: limits on %.1f us, off %.1f us; log off %.1f us (the log costs %+.1f%%)", sc, fc, nc, 100 * (sc / nc - 1)
    if (bc > 0) printf ", baseline %.1f us (on/baseline %.3f)", bc, sc / bc
    printf "\n== %d turns logged with the log on (about %d answered while measured, more in warm-up)\n", l, s * d }'
done

echo "== $idle idle WebSocket connections"
start "$work/idle.out" "$build/cited" "${serve_args[@]}" --records "$work/records-idle.db" "${limits_off[@]}" --max-connections $((idle + 100))
idle_out=$("$build/tests/load/cited-load" --port "$port" --idle "$idle" --hold 5 --server-pid "$pid")
echo "$idle_out" | grep -v RESULT
stop "$pid"
awk -v r="$(field rss_mib_holding "$idle_out")" -v a="$(field answered "$idle_out")" -v n="$idle" 'BEGIN {
  printf "== idle: RSS %.1f MiB holding %d connections (target < 200 MiB); %d of them answered afterwards\n", r, n, a }'

echo "== $unfinished messages of 15 x 64 KiB, never finished (the clients answer pings)"
unfinished_run() {
  local name=$1; shift
  start "$work/$name-unfinished.out" "$@"
  local out
  out=$("$build/tests/load/cited-load" --port "$port" --unfinished "$unfinished" --fragments 15 --hold 8 --server-pid "$pid")
  echo "$out" | grep -v RESULT | sed "s/^cited-load:/  $name:/"
  stop "$pid"
}
[ -n "$baseline" ] && unfinished_run baseline "$baseline" "${baseline_args[@]}"
unfinished_run cited "$build/cited" "${serve_args[@]}" --records "$work/records-unfinished.db" --max-connections-per-ip 0

echo "== widget.js as sent"
start "$work/static.out" "$build/cited" "${serve_args[@]}" --records "$work/records-static.db"
plain=$(curl -s -o /dev/null -w '%{size_download}' "http://127.0.0.1:$port/widget.js")
packed=$(curl -s -o /dev/null -w '%{size_download}' -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/widget.js")
again=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $(curl -s -D - -o /dev/null "http://127.0.0.1:$port/widget.js" |
  tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')" "http://127.0.0.1:$port/widget.js")
stop "$pid"
echo "== widget.js: $plain bytes plain, $packed bytes gzip; a repeat load: $again"
