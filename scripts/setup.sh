#!/usr/bin/env bash
# Installs what cited needs on Debian 12, then builds it. Idempotent: a second run installs
# nothing and rebuilds only what changed.
#   scripts/setup.sh            build deps + build (Release, build/cited)
#   scripts/setup.sh --test     also the test deps: Chromium, Node packages, clang (fuzzing)
#   ... --target T              build only target T (and what it needs), e.g. cited_test_programs:
#                               scripts/test.sh builds the rest (benchmarks, load and soak tools)
#                               later, while tests run
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0 target=()
while [ $# -gt 0 ]; do
  case "$1" in
    --test) want_test=1 ;;
    --target) target=(--target "$2"); shift ;;
    *) echo "setup.sh: unknown argument $1 (--test, --target T)" >&2; exit 2 ;;
  esac
  shift
done

# libphonenumber8 is the phone-number finder's library; its headers come from libphonenumber-dev,
# which is only unpacked (below): installing it would pull in libboost-thread-dev 1.74 and
# remove libboost1.81-dev.
build_pkgs=(build-essential cmake pkg-config libboost1.81-dev libsqlite3-dev libicu-dev
            nlohmann-json3-dev libgtest-dev libbenchmark-dev zlib1g-dev libsodium-dev libstemmer-dev
            libphonenumber8 libprotobuf-dev libabsl-dev libgumbo-dev)
test_pkgs=(chromium nodejs npm clang libclang-rt-14-dev clang-tidy cppcheck)

pkgs=("${build_pkgs[@]}")
[ $want_test = 1 ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node and npm may come from outside Debian's packages on a developer's machine: keep those.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# libphonenumber-dev's headers, unpacked into build/deps (CMake looks there), the same version
# as the installed library.
deps=build/deps
if [ ! -f $deps/usr/include/phonenumbers/phonenumbermatcher.h ]; then
  version=$(dpkg-query -W -f='${Version}' libphonenumber8)
  download=$(mktemp -d)
  echo "setup: unpacking libphonenumber-dev $version into $deps"
  (cd "$download" && apt-get download -qq "libphonenumber-dev=$version") ||
    { $SUDO apt-get update -qq && (cd "$download" && apt-get download -qq "libphonenumber-dev=$version"); }
  mkdir -p $deps
  dpkg-deb -x "$download"/libphonenumber-dev_*.deb $deps
  rm -rf "$download"
fi

if [ $want_test = 1 ] && [ -f tests/browser/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" "${target[@]+"${target[@]}"}"
