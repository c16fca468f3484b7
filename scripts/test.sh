#!/usr/bin/env bash
# Sets everything up and runs every test, as CI does (.ci/run):
#   1. ctest: unit, integration (the fault tests among them) and answer-quality tests, Release;
#   2. the widget and staff page in Chromium;
#      (meanwhile, in the background, the build lane: the rest of the Release build and the
#      sanitizer build, in the CPU time that steps 1 and 2 leave idle)
#   3. scripts/hardening.sh: the ctest suite again under ASan + UBSan, each libFuzzer target
#      fuzzed for FUZZ_SECONDS (default 60) after its seeds and regressions, clang-tidy, cppcheck.
# Every step runs even when one before it failed; each one's time is printed at the end.
# Exits non-zero when any failed. From a fresh clone on two cores it took about 35 minutes before
# the build lane and 32 with it (1,913 s with Debian's packages already installed; README.md,
# "Tests", has each step's time).
# The soak test (tests/soak/run_soak.sh) is not part of it: it takes five minutes of its own.
set -uo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
# Nothing else can run without the build; setup builds only what ctest and Chromium need.
scripts/setup.sh --test --target cited_test_programs || exit 1
times=("setup $((SECONDS - started))s")
failed=()

# The build lane, in the background from here on: the rest of the Release build (benchmarks,
# load and soak tools: not run here, but kept building) and the sanitizer build that step 3
# needs (scripts/hardening.sh build). The ctest and Chromium steps leave much of the two cores
# idle (the browser tests used about a third of them), so the builds take that time instead of
# their own. At nice 19 they yield to the tests whenever those want the CPU.
lane_log=build/build-lane.log
lane_started=$SECONDS
nice -n 19 bash -c 'cmake --build build -j"$(nproc)" && scripts/hardening.sh build' >"$lane_log" 2>&1 &
lane_pid=$!

step() {
  local name=$1 t=$SECONDS
  shift
  printf '\n== %s\n' "$name"
  if "$@"; then times+=("$name ok $((SECONDS - t))s")
  else failed+=("$name") times+=("$name FAILED $((SECONDS - t))s"); fi
}

run_browser_tests() { (cd tests/browser && npm test); }

step "ctest: unit, integration, answer quality" ctest --test-dir build --output-on-failure -j"$(nproc)"
step "Chromium: widget and staff page" run_browser_tests

# The build lane: its log in full when it failed (step 3 builds again and fails the same way).
wait_build_lane() {
  local status=0
  wait "$lane_pid" || status=$?
  echo "build lane: $((SECONDS - lane_started))s since setup; its log is $lane_log"
  if [ $status -ne 0 ]; then cat "$lane_log"; else tail -3 "$lane_log"; fi
  return $status
}
step "build lane: the rest of the Release build, the sanitizer build" wait_build_lane
step "hardening: asan, fuzz, tidy, cppcheck" scripts/hardening.sh

printf '\n== test.sh: %ss in all\n' "$((SECONDS - started))"
printf '  %s\n' "${times[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo "test.sh: all passed"
