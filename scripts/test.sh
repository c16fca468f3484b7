#!/usr/bin/env bash
# Sets everything up and runs every test: unit, integration and answer-quality tests (ctest),
# then the widget and staff page in Chromium, then cppcheck. Exits non-zero when any fails.
# The slower hardening runs (sanitizers, fuzzing, clang-tidy) are scripts/hardening.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

echo "== ctest: unit, integration, answer quality"
ctest --test-dir build --output-on-failure -j"$(nproc)"

echo "== Chromium: widget and staff page"
(cd tests/browser && npm test)

echo "== cppcheck"
scripts/hardening.sh cppcheck
