#!/usr/bin/env bash
# Hardening checks, in build folders of their own (never build/):
#   1. asan: the unit and integration tests under AddressSanitizer + UndefinedBehaviorSanitizer,
#      fuzz seeds and past crash inputs replayed too;
#   2. fuzz: the libFuzzer targets: seeds and crash inputs replayed, then each target fuzzed
#      for FUZZ_SECONDS (default 60), two at a time;
#   3. tidy: clang-tidy (.clang-tidy) on the project's own sources;
#   4. cppcheck on core/ index/ corpus/ import/ records/ web/ app/.
# Steps 1 and 2 share one clang build, build-asan: everything under ASan + UBSan, the libraries
# also instrumented for libFuzzer, at -O1 with line tables only (a third of the build time of
# -O2 -g, and still a stack trace for every report). Only what ctest runs is built. (The test
# programs' own sources at -O0 took 57% less CPU to compile, 543 -> 231 s, but their 502 tests
# then took 778 CPU s instead of 534: kept at -O1.)
# Exits non-zero when any step fails; runs every step regardless, then lists what failed.
#   scripts/hardening.sh [asan] [fuzz] [tidy] [cppcheck]      (default: all four)
#   scripts/hardening.sh build      only the sanitizer build, which asan and fuzz would make
#                                   anyway (scripts/test.sh starts it early, in the background)
# Environment: FUZZ_SECONDS, JOBS (default: nproc); TIDY_ANALYZER=1 adds clang-tidy's static
# analyzer checks (clean when last run, but they take four fifths of clang-tidy's time).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(asan fuzz tidy cppcheck)
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${FUZZ_SECONDS:-60}
fuzz_targets=(query corpus email ws_message)
failed=()

say() { printf '\n== %s\n' "$*"; }
elapsed() { printf '%ds' $((SECONDS - $1)); }

# The sanitizer build both asan and fuzz use (clang: libFuzzer needs it).
configure_sanitized() {
  cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCITED_SANITIZE=ON -DCITED_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
    -DCITED_BENCHMARKS=OFF >/dev/null
}

build_sanitized() {
  configure_sanitized || return 1
  cmake --build build-asan -j"$jobs" --target cited_test_programs
}

run_build() {
  say "ASan + UBSan build (build-asan)"
  local t=$SECONDS
  build_sanitized || return 1
  echo "build: done in $(elapsed $t)"
}

run_asan() {
  say "ASan + UBSan build and tests (build-asan)"
  local t=$SECONDS
  build_sanitized || return 1
  # Leaks count as failures; any UB report stops the test that hit it.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" --timeout 600 || return 1
  echo "asan: passed in $(elapsed $t)"
}

run_fuzz() {
  say "libFuzzer targets (build-asan, ${fuzz_seconds}s each)"
  local t=$SECONDS
  configure_sanitized || return 1
  cmake --build build-asan -j"$jobs" --target "${fuzz_targets[@]/#/fuzz_}" || return 1
  # The seeds and past crash inputs first; the fuzzing goes on after a failure here, for the
  # other targets' sake.
  local status=0 running=() names=()
  ctest --test-dir build-asan -L fuzz --output-on-failure -j"$jobs" || status=1

  # Found inputs collect in build-asan/fuzz/corpora (kept between runs, so each run starts where
  # the last stopped); what crashes lands in build-asan/fuzz/artifacts/<target>/.
  for target in "${fuzz_targets[@]}"; do
    local corpus=build-asan/fuzz/corpora/$target artifacts=build-asan/fuzz/artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    local max_len=4096
    [ "$target" = email ] && max_len=16384
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
      build-asan/tests/fuzz/fuzz_"$target" "$corpus" "tests/fuzz/$target" \
        -max_total_time="$fuzz_seconds" -max_len=$max_len -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"build-asan/fuzz/$target.log" 2>&1 &
    running+=($!) names+=("$target")
    # Two at a time on two cores.
    if [ ${#running[@]} -ge "$jobs" ]; then
      wait_fuzzers || status=1
    fi
  done
  wait_fuzzers || status=1
  echo "fuzz: done in $(elapsed $t)"
  return $status
}

# Waits for the fuzzers in running/names and reports each.
wait_fuzzers() {
  local status=0
  for i in "${!running[@]}"; do
    local target=${names[$i]}
    if wait "${running[$i]}"; then
      local runs
      runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-asan/fuzz/$target.log")
      echo "fuzz $target: ok, ${runs:-?} inputs run"
    else
      status=1
      echo "fuzz $target: FAILED; the log is build-asan/fuzz/$target.log:"
      grep -E 'ERROR|SUMMARY|invariant|Test unit written|runtime error' "build-asan/fuzz/$target.log" | head -20
      echo "  reproduce: build-asan/tests/fuzz/fuzz_$target <the artifact above>"
      echo "  keep it as a regression: copy the artifact to tests/fuzz/regressions/$target/"
    fi
  done
  running=() names=()
  return $status
}

run_tidy() {
  say "clang-tidy"
  local t=$SECONDS
  # The project's compile commands (build/, as scripts/setup.sh configures it) for its own
  # sources; build-asan's for the fuzz targets. Configuring is enough: nothing is built.
  [ -f build/compile_commands.json ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null || return 1
  [ -f build-asan/compile_commands.json ] || configure_sanitized || return 1
  local db=build-tidy
  mkdir -p "$db"
  python3 - "$root" "$db/compile_commands.json" build/compile_commands.json build-asan/compile_commands.json <<'PY' || return 1
import json, os, re, shlex, sys
root, out, *dbs = sys.argv[1:]
ours = re.compile(r'^(core|index|corpus|import|records|web|app|tests/fuzz|tests/soak)/[^/]+\.cpp$')
skip = {'web/beast_src.cpp'}  # Boost's own sources, compiled once

# Each file is checked on its own, without the build's precompiled headers (CMake's
# target_precompile_headers): clang cannot read GCC's, and without them a file that misses an
# include fails here.
def without_pch(e):
    args = e['arguments'] if 'arguments' in e else shlex.split(e['command'])
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a == '-Winvalid-pch':
            i += 1
        elif a == '-include' and args[i + 1].endswith('cmake_pch.hxx'):
            i += 2
        elif a == '-Xclang' and i + 1 < len(args) and args[i + 1] in ('-include-pch', '-include') and \
                i + 3 < len(args) and re.search(r'cmake_pch\.hxx(\.pch)?$', args[i + 3]):
            i += 4
        else:
            out.append(a)
            i += 1
    e = {k: v for k, v in e.items() if k != 'command'}
    return dict(e, arguments=out)

entries = {}
for db in dbs:
    if not os.path.exists(db):
        continue
    for e in json.load(open(db)):
        rel = os.path.relpath(e['file'], root)
        if ours.match(rel) and rel not in skip and rel not in entries:
            entries[rel] = without_pch(e)
json.dump(list(entries.values()), open(out, 'w'), indent=1)
# The slowest first (the Beast server's files), so that no long file is left running alone at
# the end while the other worker idles.
slow = ('web/', 'app/', 'tests/soak/', 'tests/fuzz/ws_message')
print('\n'.join(sorted(entries, key=lambda f: (not f.startswith(slow), f))), file=open(out + '.files', 'w'))
PY
  local files
  mapfile -t files <"$db/compile_commands.json.files"
  echo "clang-tidy: ${#files[@]} files"
  local checks=-clang-analyzer-*
  [ "${TIDY_ANALYZER:-0}" = 1 ] && checks=
  # One file per process, $jobs at a time; a finding in any file fails the step.
  if printf '%s\n' "${files[@]}" |
     xargs -P "$jobs" -n 1 clang-tidy -p "$db" --quiet --checks="$checks" 2>"$db/stderr.txt" >"$db/findings.txt"; then
    echo "clang-tidy: clean in $(elapsed $t)"
  else
    grep -E 'warning:|error:' "$db/findings.txt" | sort -u
    grep -vE 'warnings? generated|Suppressed|Use -header-filter|Use -system-headers' "$db/stderr.txt" | head -20
    echo "clang-tidy: $(grep -cE 'warning:|error:' "$db/findings.txt") findings (full output: $db/findings.txt)"
    return 1
  fi
}

run_cppcheck() {
  say "cppcheck"
  local t=$SECONDS
  cppcheck --enable=warning,performance,portability --error-exitcode=1 --inline-suppr --std=c++20 --language=c++ \
    -j"$jobs" --quiet -I core -I index -I corpus -I import -I records -I web -I app core index corpus import records web app || return 1
  echo "cppcheck: clean in $(elapsed $t)"
}

summary=()
for step in "${steps[@]}"; do
  started=$SECONDS
  case "$step" in
    build|asan|fuzz|tidy|cppcheck) ;;
    *) echo "hardening: unknown step $step (build, asan, fuzz, tidy, cppcheck)" >&2; exit 2 ;;
  esac
  if "run_$step"; then summary+=("$step ok $(elapsed $started)")
  else failed+=("$step") summary+=("$step FAILED $(elapsed $started)"); fi
done

say "hardening: ${summary[*]}; ${SECONDS}s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "hardening: FAILED: ${failed[*]}"
  exit 1
fi
echo "hardening: all passed"
