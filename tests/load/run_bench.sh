#!/usr/bin/env bash
# Benchmarks for `cited serve` (issue 3), on this machine, load tool and servers sharing it:
#   1. answers/s and latency at 64 connections, against a bare Beast echo server measured in
#      the same run (the transport's ceiling);
#   2. 10,000 idle WebSocket connections: the server's RSS, then an answer on every one.
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

echo "== cited serve ($threads threads, rate limit off), $connections connections, ${duration}s"
start "$work/serve.out" "$build/cited" serve --db "$work/cited.db" --corpus "$here/corpus" --port 0 --threads "$threads" \
  --rate-limit 0 --feedback "$work/feedback.db" --log "$work/access.log"
serve_out=$("${load[@]}" --port "$port")
echo "$serve_out" | grep -v RESULT
stop "$pid"

echo_rate=$(field replies_per_s "$echo_out")
serve_rate=$(field replies_per_s "$serve_out")
serve_p99=$(field p99_ms "$serve_out")
awk -v e="$echo_rate" -v s="$serve_rate" -v p="$serve_p99" 'BEGIN {
  printf "== answers/s: cited %d vs echo %d = %.1f%% of the transport ceiling (target >= 30%%); cited p99 %.2f ms (target < 5 ms)\n",
         s, e, 100 * s / e, p }'

echo "== $idle idle WebSocket connections"
start "$work/idle.out" "$build/cited" serve --db "$work/cited.db" --corpus "$here/corpus" --port 0 --threads "$threads" \
  --max-connections $((idle + 100)) --feedback "$work/feedback-idle.db" --log "$work/access-idle.log"
idle_out=$("$build/tests/load/cited-load" --port "$port" --idle "$idle" --hold 5 --server-pid "$pid")
echo "$idle_out" | grep -v RESULT
stop "$pid"
awk -v r="$(field rss_mib_holding "$idle_out")" -v a="$(field answered "$idle_out")" -v n="$idle" 'BEGIN {
  printf "== idle: RSS %.1f MiB holding %d connections (target < 200 MiB); %d of them answered afterwards\n", r, n, a }'
