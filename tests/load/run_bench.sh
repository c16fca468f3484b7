#!/usr/bin/env bash
# Benchmarks for `cited serve` (issue 3), on this machine, load tool and servers sharing it:
#   1. answers/s and latency at 64 connections, against a bare Beast echo server measured in
#      the same run (the transport's ceiling);
#   2. the same with the conversation log on (the default) and off (--retain-days 0), twice each,
#      alternating, in the same run: logging must not slow patients down (issue 12);
#   3. 10,000 idle WebSocket connections: the server's RSS, then an answer on every one.
# Usage: tests/load/run_bench.sh [build-dir]   (default build-bench; DURATION=10 IDLE=10000)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build-bench}
duration=${DURATION:-10}
idle=${IDLE:-10000}
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

echo "== echo server (bare Beast, $threads threads), $connections connections, ${duration}s"
start "$work/echo.out" "$build/tests/load/cited-echo" --threads "$threads"
echo_out=$("${load[@]}" --port "$port")
echo "$echo_out" | grep -v RESULT
stop "$pid"

# One run of cited serve under load; $1 names it, the rest are extra flags. Prints the load
# tool's output and leaves it in $serve_out.
run_cited() {
  local name=$1; shift
  echo "== cited serve ($threads threads, rate limit off, $name), $connections connections, ${duration}s"
  start "$work/serve-$name.out" "$build/cited" serve --db "$work/cited.db" --corpus "$here/corpus" --port 0 --threads "$threads" \
    --rate-limit 0 --records "$work/records-$name.db" --log "$work/access-$name.log" "$@"
  # Start-up work (the staff threads' decoy password hash) is over before we count.
  sleep 2
  local cpu0; cpu0=$(cpu_ticks "$pid")
  serve_out=$("${load[@]}" --port "$port")
  local cpu1; cpu1=$(cpu_ticks "$pid")
  echo "$serve_out" | grep -v RESULT
  stop "$pid"
  # The server's CPU per answer (user + system, all its threads, the writer's included), over
  # the warm-up and the measured seconds: on a shared machine a steadier figure than answers/s.
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v r="$(field replies_per_s "$serve_out")" -v d="$duration" \
    'BEGIN { printf "%.1f", 1e6 * t / hz / (r * (d + 2)) }')
  echo "   server CPU per answer: $cpu_us us"
}
# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run_cited log-off-1 --retain-days 0
off1=$(field replies_per_s "$serve_out"); off1_cpu=$cpu_us
run_cited log-on-1
on1=$(field replies_per_s "$serve_out"); on1_cpu=$cpu_us
run_cited log-off-2 --retain-days 0
off2=$(field replies_per_s "$serve_out"); off2_cpu=$cpu_us
run_cited log-on-2
on2=$(field replies_per_s "$serve_out"); on2_cpu=$cpu_us
serve_p99=$(field p99_ms "$serve_out")
# Every answer of the logged runs should be a row: the writer drops turns only past --log-queue.
logged=$(python3 -c 'import sqlite3,sys; print(sum(sqlite3.connect(f).execute("select count(*) from turns").fetchone()[0] for f in sys.argv[1:]))' \
  "$work/records-log-on-1.db" "$work/records-log-on-2.db")
answered=$(awk -v a="$on1" -v b="$on2" -v d="$duration" 'BEGIN { printf "%d", (a + b) * d }')

echo_rate=$(field replies_per_s "$echo_out")
serve_rate=$on2
awk -v e="$echo_rate" -v s="$serve_rate" -v p="$serve_p99" 'BEGIN {
  printf "== answers/s: cited %d vs echo %d = %.1f%% of the transport ceiling (target >= 30%%); cited p99 %.2f ms (target < 5 ms)\n",
         s, e, 100 * s / e, p }'
awk -v f1="$off1" -v n1="$on1" -v f2="$off2" -v n2="$on2" -v l="$logged" -v a="$answered" 'BEGIN {
  printf "== conversation log: on %d and %d answers/s, off %d and %d; on / off = %.1f%% (target >= 90%%); %d turns logged in the on runs (about %d answered while measured, more in warm-up)\n",
         n1, n2, f1, f2, 100 * (n1 + n2) / (f1 + f2), l, a }'
awk -v f1="$off1_cpu" -v n1="$on1_cpu" -v f2="$off2_cpu" -v n2="$on2_cpu" 'BEGIN {
  printf "== server CPU per answer: log on %.1f and %.1f us, off %.1f and %.1f us; on costs %+.1f%%\n",
         n1, n2, f1, f2, 100 * ((n1 + n2) / (f1 + f2) - 1) }'

echo "== $idle idle WebSocket connections"
start "$work/idle.out" "$build/cited" serve --db "$work/cited.db" --corpus "$here/corpus" --port 0 --threads "$threads" \
  --max-connections $((idle + 100)) --records "$work/records-idle.db" --log "$work/access-idle.log"
idle_out=$("$build/tests/load/cited-load" --port "$port" --idle "$idle" --hold 5 --server-pid "$pid")
echo "$idle_out" | grep -v RESULT
stop "$pid"
awk -v r="$(field rss_mib_holding "$idle_out")" -v a="$(field answered "$idle_out")" -v n="$idle" 'BEGIN {
  printf "== idle: RSS %.1f MiB holding %d connections (target < 200 MiB); %d of them answered afterwards\n", r, n, a }'
