#!/usr/bin/env bash
# Builds MicroPython's unix port, the third column of `coop bench --asyncio`
# (scripts/bench-vs-asyncio.sh) once `micropython` is on PATH: the same
# asyncio programs on the interpreter the tutorials' boards run.
#
# Usage: scripts/setup-micropython.sh [DIR]
#   DIR   where the source goes and is built (default ~/.cache/coop/micropython)
# Environment:
#   MICROPYTHON_GIT   the repository to clone (default GitHub's)
#   MICROPYTHON_TAG   the release to build (default v1.28.0)
#
# Needs git, make, a C compiler and python3 (Debian: apt-get install git
# build-essential python3). Takes about a minute on two cores. The build
# leaves out what needs a submodule (FFI, TLS, btree, Bluetooth) and
# freezes only asyncio into the interpreter: the benchmarks use nothing
# else. It prints the binary's path; put its directory on PATH, or link it:
#   ln -s "$(scripts/setup-micropython.sh | tail -1)" ~/.local/bin/micropython
set -euo pipefail

dir=${1:-$HOME/.cache/coop/micropython}
repo=${MICROPYTHON_GIT:-https://github.com/micropython/micropython}
tag=${MICROPYTHON_TAG:-v1.28.0}

for tool in git make cc python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "setup-micropython: $tool is missing (Debian: apt-get install git build-essential python3)" >&2
    exit 2
  fi
done

if [ ! -d "$dir/.git" ]; then
  echo "== cloning MicroPython $tag into $dir" >&2
  git clone --quiet --depth 1 --branch "$tag" "$repo" "$dir" >&2
else
  echo "== building the MicroPython already in $dir" >&2
fi

# The frozen manifest: asyncio, from MicroPython's own tree. The build
# insists that micropython-lib (a submodule this build does not use) is
# there; an empty stand-in satisfies it.
work="$dir/coop"
mkdir -p "$work/mpy-lib"
echo 'include("$(MPY_DIR)/extmod/asyncio")' >"$work/manifest.py"
echo "stand-in for micropython-lib, which this build does not use" >"$work/mpy-lib/README.md"

jobs=$(nproc 2>/dev/null || echo 2)
# mpy-cross first, on its own: the port's variables below would reach its
# build too.
make -C "$dir/mpy-cross" -j"$jobs" >&2
make -C "$dir/ports/unix" -j"$jobs" \
  FROZEN_MANIFEST="$work/manifest.py" MPY_LIB_DIR="$work/mpy-lib" \
  MICROPY_PY_FFI=0 MICROPY_PY_SSL=0 MICROPY_SSL_AXTLS=0 MICROPY_SSL_MBEDTLS=0 \
  MICROPY_PY_BTREE=0 MICROPY_PY_BLUETOOTH=0 >&2

bin="$dir/ports/unix/build-standard/micropython"
"$bin" -c 'import sys, asyncio; print("==", sys.implementation.name, sys.implementation.version, "with asyncio")' >&2
echo "$bin"
