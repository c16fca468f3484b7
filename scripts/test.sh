#!/usr/bin/env bash
# Sets everything up and runs every test, as CI does (.ci/run):
#   1. ctest: unit, integration (the fault tests among them) and answer-quality tests, Release;
#   2. the widget and staff page in Chromium;
#   3. scripts/hardening.sh: the ctest suite again under ASan + UBSan, each libFuzzer target
#      fuzzed for FUZZ_SECONDS (default 60) after its seeds and regressions, clang-tidy, cppcheck.
# Every step runs even when one before it failed; each one's time is printed at the end.
# Exits non-zero when any failed. About 35 minutes from a fresh clone on two cores (README.md,
# "Tests", has each step's time).
# The soak test (tests/soak/run_soak.sh) is not part of it: it takes five minutes of its own.
set -uo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
# Nothing else can run without the build.
scripts/setup.sh --test || exit 1
times=("setup $((SECONDS - started))s")
failed=()

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
step "hardening: asan, fuzz, tidy, cppcheck" scripts/hardening.sh

printf '\n== test.sh: %ss in all\n' "$((SECONDS - started))"
printf '  %s\n' "${times[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[*]}"
  exit 1
fi
echo "test.sh: all passed"
