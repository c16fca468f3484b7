#!/usr/bin/env bash
# The index swapped under load (issue 13): cited-load at 64 connections while the served index
# is replaced SWAPS times (default 20), as `cited index` and a publish replace it: a new file
# renamed over the served one, then SIGHUP, each swap waiting until /healthz shows the new
# generation. The two versions alternate: the real corpus, and the same with one more phrasing.
# Prints errors, mismatched replies, the replies in flight during the swaps and their worst
# latency. Exit status 1 when any ask failed or any connection dropped.
# Usage: tests/load/run_swap_bench.sh [build-dir]   (default build; DURATION=20 SWAPS=20
#        CONNECTIONS=64 THREADS=2)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
duration=${DURATION:-20}
swaps=${SWAPS:-20}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
work=$(mktemp -d /tmp/cited-swap-bench.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && cp "$work/serve.err" /tmp/wt13b-serve.err; rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

echo "== building (Release) in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target cited cited-load >/dev/null

# Two versions of the index.
cp -r "$here/corpus" "$work/corpus-b"
python3 - "$work/corpus-b/facts/cost.json" <<'EOF'
import json, sys
path = sys.argv[1]
facts = json.load(open(path))
for f in facts:
    if f["id"] == "cost-per-session":
        f["questions"].append("do you offer payment plans or monthly finance?")
json.dump(facts, open(path, "w"), indent=2)
EOF
"$build/cited" index --corpus "$here/corpus" --db "$work/a.db" >/dev/null
"$build/cited" index --corpus "$work/corpus-b" --db "$work/b.db" >/dev/null
cp "$work/a.db" "$work/served.db"

"$build/cited" serve --db "$work/served.db" --corpus "$here/corpus" --port 0 --threads "$threads" --rate-limit 0 \
  --rate-limit-per-ip 0 --max-connections-per-ip 0 --index-check 0 --no-knowledge-editor \
  --records "$work/records.db" --log "$work/access.log" >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -Eo '127\.0\.0\.1:[0-9]+' "$work/serve.out" | grep -Eo '[0-9]+$' | head -1 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start"; cat "$work/serve.err"; exit 1; }

# One swap: the other version renamed over the served file, SIGHUP, then wait for it to be live.
cat >"$work/swap.sh" <<EOF
#!/usr/bin/env bash
set -e
n=\$(cat "$work/swaps" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$work/swaps"
if [ \$((n % 2)) -eq 1 ]; then from="$work/b.db"; else from="$work/a.db"; fi
cp "\$from" "$work/served.db.new" && mv "$work/served.db.new" "$work/served.db"
kill -HUP $pid
for _ in \$(seq 500); do
  g=\$(curl -s "http://127.0.0.1:$port/healthz" | grep -Eo '"index_generation":[0-9]+' | grep -Eo '[0-9]+$' || true)
  [ "\$g" = "\$((n + 1))" ] && exit 0
  sleep 0.01
done
exit 1
EOF
chmod +x "$work/swap.sh"

echo "== $connections connections, ${duration}s, $swaps swaps of the index, $threads server threads"
set +e
out=$("$build/tests/load/cited-load" --port "$port" --connections "$connections" --duration "$duration" --warmup 2 \
  --server-pid "$pid" --swap-command "$work/swap.sh" --swaps "$swaps")
rc=$?
set -e
echo "$out" | grep -v RESULT
generation=$(curl -s "http://127.0.0.1:$port/healthz" | grep -Eo '"index_generation":[0-9]+' | grep -Eo '[0-9]+$')
reloads=$(grep -c '"event":"index_reloaded"' "$work/access.log" || true)
load_ms=$(grep -Eo '"load_ms":[0-9.]+' "$work/access.log" | cut -d: -f2 | sort -n | awk '{a[NR]=$1} END {if (NR) printf "%.0f ms median, %.0f ms longest", a[int((NR+1)/2)], a[NR]}')
echo "== the server is at index generation $generation after $reloads reloads (each load off the I/O threads: $load_ms); cited-load exit status $rc"
grep -Eo 'RESULT .*' <<<"$out" | tr '\n' ' '
echo
exit "$rc"
