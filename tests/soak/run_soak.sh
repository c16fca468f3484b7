#!/usr/bin/env bash
# The soak test (not part of the default test run): `cited serve` on 127.0.0.1 with a fresh
# index and records store, then cited-soak's 1,000 clients for 5 minutes, then a clean stop.
#   tests/soak/run_soak.sh [--minutes 5] [--connections 1000] [--build DIR] [--cited FILE] [--threads N]
# DIR (default build) must hold tests/soak/cited-soak and, unless --cited names another, cited;
# a Release build gives the figures the README reports. Exits non-zero when any check fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

minutes=5 connections=1000 build=build threads=0 cited=""
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --cited) cited=$2; shift 2 ;;
    *) echo "usage: $0 [--minutes N] [--connections N] [--build DIR] [--cited FILE] [--threads N]" >&2; exit 2 ;;
  esac
done
[ -n "$cited" ] || cited=$build/cited
client=$build/tests/soak/cited-soak
for f in "$cited" "$client"; do
  [ -x "$f" ] || { echo "soak: $f is missing: cmake --build $build --target cited cited-soak" >&2; exit 2; }
done

# Each connection is a descriptor on both sides, plus the server's index and store.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
ulimit -n 65536 2>/dev/null || true
echo "soak: open files limit $(ulimit -n)"

work=$(mktemp -d /tmp/cited-soak.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$cited" index --corpus corpus --db "$work/cited.db" >/dev/null
# Its thousand clients are all on 127.0.0.1: the per-address limits would see one client.
"$cited" serve --db "$work/cited.db" --corpus corpus --host 127.0.0.1 --port 0 --threads "$threads" \
  --rate-limit-per-ip 0 --max-connections-per-ip 0 \
  --records "$work/records.db" --log "$work/access.log" >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*serving on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; echo "soak: the server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "soak: the server printed no port" >&2; exit 1; }
echo "soak: cited serve pid $server_pid on 127.0.0.1:$port"

status=0
"$client" --port "$port" --server-pid "$server_pid" --connections "$connections" --minutes "$minutes" || status=1

# Still answering, and it stops cleanly.
if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null; then echo "soak: /healthz ok after the run"
else echo "soak: FAIL: /healthz does not answer after the run"; status=1; fi
kill -TERM "$server_pid"
if wait "$server_pid"; then echo "soak: the server stopped cleanly"
else echo "soak: FAIL: the server exited with status $?"; status=1; fi
server_pid=""
errors=$(grep -c '"event":"error"' "$work/access.log" || true)
echo "soak: error events in the access log: $errors"
exit $status
