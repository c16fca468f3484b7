#!/usr/bin/env bash
# Sets everything up, then serves the assistant on the bundled corpus at http://127.0.0.1:8080
# (the index is built first where there is none or the corpus is newer). Extra arguments go to
# `cited serve`, e.g. scripts/run.sh --port 9000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec build/cited serve "$@"
