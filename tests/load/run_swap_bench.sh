#!/usr/bin/env bash
# The index swapped under load (issue 13): cited-load at 64 connections while the served index
# is replaced SWAPS times (default 20).
#   MODE=sighup (the default): as `cited index` replaces it, a new file renamed over the served
#     one, then SIGHUP, each swap waiting until /healthz shows the new generation; the two
#     versions alternate (the real corpus, and the same with one more phrasing).
#   MODE=publish: through the staff API, signed in, as the knowledge editor does it: a phrasing
#     taught to a fact and published (checks, corpus files, index, swap), then that publish
#     restored, in turn, on a copy of the corpus; each swap returns once the new index is live.
# Prints errors, mismatched replies, the replies in flight during the swaps and their worst
# latency. Exit status 1 when any ask failed, any connection dropped or any swap failed.
# Usage: tests/load/run_swap_bench.sh [build-dir]   (default build; MODE=sighup DURATION=20
#        SWAPS=20 CONNECTIONS=64 THREADS=2)
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$here/build}
duration=${DURATION:-20}
swaps=${SWAPS:-20}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}
mode=${MODE:-sighup}
work=$(mktemp -d /tmp/cited-swap-bench.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)"

echo "== building (Release) in $build"
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target cited cited-load >/dev/null

# Two versions of the index, and a copy of the corpus for the publishing server to write.
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
cp -r "$here/corpus" "$work/corpus"
echo "a-long-bench-password" | "$build/cited" staff add bench@clinic.example --records "$work/records.db" >/dev/null

"$build/cited" serve --db "$work/served.db" --corpus "$work/corpus" --port 0 --threads "$threads" --rate-limit 0 \
  --rate-limit-per-ip 0 --max-connections-per-ip 0 --index-check 0 \
  --question-set "$here/tests/eval/questions.jsonl" --red-flag-set "$here/tests/eval/redflags.jsonl" \
  --records "$work/records.db" --log "$work/access.log" >"$work/serve.out" 2>"$work/serve.err" &
pid=$!
port=
for _ in $(seq 100); do
  port=$(grep -Eo '127\.0\.0\.1:[0-9]+' "$work/serve.out" | grep -Eo '[0-9]+$' | head -1 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "server did not start"; cat "$work/serve.err"; exit 1; }

if [ "$mode" = publish ]; then
  curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
    -d '{"email":"bench@clinic.example","password":"a-long-bench-password"}' \
    "http://127.0.0.1:$port/api/staff/sign-in" >"$work/signin.json"
  csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$work/signin.json")
  cat >"$work/swap.sh" <<EOF
#!/usr/bin/env bash
set -eo pipefail
n=\$(cat "$work/swaps" 2>/dev/null || echo 0); n=\$((n + 1)); echo \$n >"$work/swaps"
api="http://127.0.0.1:$port/api/staff/knowledge"
post() { curl -s -f -b "$work/cookies" -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" -d "\$2" "\$api/\$1"; }
if [ \$((n % 2)) -eq 1 ]; then
  draft=\$(post phrasings '{"fact_id":"cost-per-session","phrasing":"do you offer payment plans or monthly finance?"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["draft_id"])')
  post "drafts/\$draft/publish" '{}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["publish_id"])' >"$work/published"
else
  post "history/\$(cat "$work/published")/restore" '{}' >/dev/null
fi
EOF
else
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
fi
chmod +x "$work/swap.sh"

echo "== $connections connections, ${duration}s, $swaps swaps of the index ($mode), $threads server threads"
set +e
out=$("$build/tests/load/cited-load" --port "$port" --connections "$connections" --duration "$duration" --warmup 2 \
  --server-pid "$pid" --swap-command "$work/swap.sh" --swaps "$swaps")
rc=$?
set -e
echo "$out" | grep -v RESULT
generation=$(curl -s "http://127.0.0.1:$port/healthz" | grep -Eo '"index_generation":[0-9]+' | grep -Eo '[0-9]+$')
reloads=$(grep -c '"event":"index_reloaded"' "$work/access.log" || true)
load_ms=$(grep -Eo '"load_ms":[0-9.]+' "$work/access.log" | cut -d: -f2 | sort -n |
  awk '{a[NR]=$1} END {if (NR) printf "%.0f ms median, %.0f ms longest", a[int((NR+1)/2)], a[NR]}')
echo "== the server is at index generation $generation after $reloads reloads (each load off the I/O threads: $load_ms); cited-load exit status $rc"
if [ "$mode" = publish ]; then
  published=$(grep -c '"event":"knowledge_published"' "$work/access.log" || true)
  restored=$(grep -c '"event":"knowledge_restored"' "$work/access.log" || true)
  echo "== $published publishes and $restored restores recorded"
fi
grep -Eo 'RESULT .*' <<<"$out" | tr '\n' ' '
echo
exit "$rc"
