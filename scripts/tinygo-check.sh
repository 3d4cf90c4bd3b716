#!/usr/bin/env bash
# Checks that the scheduler stays TinyGo-friendly: builds internal/tinygosmoke
# with TinyGo for a Cortex-M board, runs it under QEMU and compares what it
# prints with the standard toolchain's (expected.txt); runs the scheduler's
# own tests under QEMU; and builds the smoke program and examples/blink on
# the real-hardware backend (hw/machine) for the Raspberry Pi Pico. Needs
# TinyGo 0.42 (TINYGO, or tinygo on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
tinygo=${TINYGO:-tinygo}
command -v "$tinygo" >/dev/null || { echo "tinygo-check: $tinygo not found" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$tinygo" run -target=cortex-m-qemu ./internal/tinygosmoke 2>&1 | grep -v '^Timer with period zero' >"$out/got.txt"
if ! diff -u internal/tinygosmoke/expected.txt "$out/got.txt"; then
	echo "tinygo-check: the smoke program prints something else under TinyGo" >&2
	exit 1
fi
# The scheduler's own tests, by subject; the heavier ones (randomized timer heap,
# parallel loops, blocking detection) need more than the emulated board's 64 KiB of RAM.
"$tinygo" test -target=cortex-m-qemu -run '^Test(Sleep|Queue|Cancel|Gather|TaskGroup|WaitFor|Ticker|Event|Lock|Semaphore|Barrier|Shield|Priorities|ThreadSafeFlag|Condition|RingQueue)' .
"$tinygo" build -target=pico -size short -o "$out/smoke.uf2" ./internal/tinygosmoke
"$tinygo" build -target=pico -size short -o "$out/blink.uf2" ./hw/machine/example/blink
echo "tinygo-check: ok"
