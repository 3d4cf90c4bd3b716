#!/usr/bin/env bash
# What CI proves about the real boards without one, with TinyGo 0.42
# (TINYGO, or tinygo on PATH; scripts/setup-tinygo.sh installs it):
#
#  1. the scheduler stays TinyGo-friendly: internal/tinygosmoke prints under
#     QEMU (Cortex-M3) what it prints with the standard toolchain, and the
#     scheduler's own tests and its conformance tests pass there, as does
#     the boards' flash file system (hw/flashfs) on a flash model in RAM;
#  2. a device.Main program's TinyGo build pulls nothing of the simulator,
#     and its host build nothing of TinyGo (device's build tests, run with
#     tinygo on PATH);
#  3. the programs of the seeds that need no peripheral run unchanged on
#     QEMU through device.Main and print the seed's lines
#     (scripts/tinygo/expected);
#  4. every example builds for the Raspberry Pi Pico and Pico W, with a
#     table of flash and RAM (scripts/tinygo-sizes.sh), and so do a
#     program that keeps an mqtt.Outbox in the Pico's flash and the
#     programs coop new writes;
#  5. the scheduler's cost in instructions (scripts/mcu-bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
tinygo=${TINYGO:-tinygo}
command -v "$tinygo" >/dev/null || { echo "tinygo-check: $tinygo not found" >&2; exit 1; }
export TINYGO=$tinygo

out=$(mktemp -d)
trap 'rm -rf "$out" .tinygo-build' EXIT
section() { echo "== tinygo-check: $* ($SECONDS s)"; }
qemu_run() { # package dir; prints what the program printed
	"$tinygo" run -target=cortex-m-qemu "$1" 2>&1 | grep -v '^Timer with period zero' | tr -d '\r'
}

section "smoke program and the scheduler's tests on cortex-m-qemu"
qemu_run ./internal/tinygosmoke >"$out/got.txt"
if ! diff -u internal/tinygosmoke/expected.txt "$out/got.txt"; then
	echo "tinygo-check: the smoke program prints something else under TinyGo" >&2
	exit 1
fi
# The scheduler's tests on the emulated board (256 KiB of flash, 64 KiB of
# RAM, 3 KiB goroutine stacks). They are too many for one binary and one
# heap, so build tags split them into four: the default set, the task
# tests (coop_tasks: tasks, errors, work from other goroutines), the
# lifecycle tests (coop_lifecycle: break, observers, misuse, shutdown,
# diagnostics) and the conformance tests (coop_conformance: asyncio's,
# Trio's and MicroPython's semantics and the audits of their edge cases,
# one suite a run). A test that alone needs more than the board has skips
# itself under TinyGo, saying why; one that fits only in a fresh heap runs
# alone. TinyGo bakes -run and -skip
# into the binary, losing ^, $, ( and [, and compiles the pattern in the
# board's RAM: patterns here are single names, and qemu_test fails a run
# that ran no test.
qemu_test() { # [flags...]: tinygo test on cortex-m-qemu, failing if no test ran
	local got passed
	if ! got=$("$tinygo" test -v -target=cortex-m-qemu -stack-size=3KB "$@" . 2>&1); then
		echo "$got" | tr -d '\r' | grep -v '^Timer with period zero' | tail -40
		echo "tinygo-check: tinygo test $* failed" >&2
		return 1
	fi
	passed=$(tr -d '\r' <<<"$got" | grep -c '^--- PASS' || true)
	if [ "$passed" -eq 0 ]; then
		echo "tinygo-check: tinygo test $* ran no test:" >&2
		tail -5 <<<"$got" >&2
		return 1
	fi
	echo "ok   tinygo test $* ($passed passed, $(tr -d '\r' <<<"$got" | grep -c '^--- SKIP' || true) skipped)"
}
qemu_test
qemu_test -tags coop_tasks
qemu_test -tags coop_lifecycle -skip TestPanicEscapingRunClosesTheLoop
qemu_test -tags coop_lifecycle -run TestPanicEscapingRunClosesTheLoop
for suite in Asyncio Trio MicroPython Audit Edge; do
	qemu_test -tags coop_conformance -run "Test$suite"
done
# The flash file system on a NOR flash model in RAM (QEMU's board has no
# flash TinyGo can write): its workload test fits in 64 KiB of RAM.
"$tinygo" test -target=cortex-m-qemu -run 'TestSmallBlocksWorkload' ./hw/flashfs

section "what each build of a device.Main program pulls"
PATH=$(dirname "$(command -v "$tinygo")"):$PATH go test -count=1 -run 'Deps$' ./device

section "the seed's programs that need no peripheral, on cortex-m-qemu"
failed=0
for f in scripts/tinygo/expected/*.txt; do
	n=$(basename "$f" .txt)
	limit=
	[ "$n" = grouped ] && limit=3200ms # it runs forever: cut where the seed's pattern has shown
	qemu_run "$(scripts/tinygo-main.sh "$n" $limit)" >"$out/$n.txt"
	if diff -u "$f" "$out/$n.txt" >"$out/$n.diff"; then
		echo "$n: $(wc -l <"$f") lines, as the seed"
	else
		echo "tinygo-check: $n prints something else on cortex-m-qemu:" >&2
		cat "$out/$n.diff" >&2
		failed=1
	fi
done
[ $failed = 0 ]

section "every example builds for pico and pico-w"
scripts/tinygo-sizes.sh
"$tinygo" build -target=pico -o "$out/outbox.elf" ./hw/machine/example/outbox

section "a program coop new writes builds for pico-w, as the README says"
go run ./cmd/coop new "$out/mine" >/dev/null
(cd "$out/mine" && "$tinygo" build -target=pico-w -o "$out/mine.uf2" .)
go run ./cmd/coop new --from button-queue "$out/queue" >/dev/null
(cd "$out/queue" && "$tinygo" build -target=pico-w -o "$out/queue.uf2" .)
echo "coop new and coop new --from button-queue: $(wc -c <"$out/mine.uf2") and $(wc -c <"$out/queue.uf2") bytes of UF2"

section "instruction counts on cortex-m-qemu"
scripts/mcu-bench.sh

section "ok"
