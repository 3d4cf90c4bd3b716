#!/usr/bin/env bash
# What the scheduler costs on a microcontroller, in instructions: builds
# internal/mcubench for a Cortex-M3 (TinyGo's cortex-m-qemu target, with a
# Raspberry Pi Pico's 8 KB goroutine stacks), runs it under QEMU with
# instruction counting (-icount shift=0, one instruction per translation
# block, every block logged) and prints instructions per task step, per
# Event wake, per spawn, and bytes of RAM per task. Needs TinyGo 0.42
# (TINYGO, or tinygo on PATH) and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")/.."
tinygo=${TINYGO:-tinygo}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
build() { "$tinygo" build -target=cortex-m-qemu -stack-size=8KB -ldflags="-X main.part=$1" -o "$out/$1.elf" ./internal/mcubench; }
build ram
build count
qemu=(qemu-system-arm -machine lm3s6965evb -semihosting -nographic -icount shift=0)
timeout 60 "${qemu[@]}" -kernel "$out/ram.elf" 2>/dev/null | grep -v '^Timer with period zero' | tr -d '\r' >"$out/console.txt"
# Every executed instruction is one "Trace" line (logged from a copy
# without symbols: naming each line costs more than running it); a line at
# main.mark's address after one that is not is a mark. The program runs each measure n0 and
# n1 times (internal/mcubench); the cost of one operation is the
# difference of the two runs' counts over n1-n0.
mark=$(llvm-nm-19 "$out/count.elf" 2>/dev/null || "$tinygo" nm "$out/count.elf")
mark=$(printf "%s\n" "$mark" | awk '$3 == "main.mark" { sub(/^0+/, "", $1); print $1 }')
[ -n "$mark" ] || { echo "mcu-bench: no main.mark in the program" >&2; exit 1; }
llvm-objcopy-19 --strip-all "$out/count.elf" "$out/stripped.elf"
timeout 600 "${qemu[@]}" -singlestep -d exec,nochain -D "$out/exec.log" \
	-kernel "$out/stripped.elf" 2>/dev/null | grep -v '^Timer with period zero' | tr -d '\r' >>"$out/console.txt"
awk -v mark="$mark" '
	/^Trace/ {
		n++
		split($4, f, "/")
		pc = f[2]; sub(/^0+/, "", pc)
		inmark = (pc == mark)
		if (inmark && !prev) marks[++m] = n
		prev = inmark
	}
	END { for (i = 1; i <= m; i++) print marks[i] }
' "$out/exec.log" >"$out/marks.txt"
mapfile -t at <"$out/marks.txt"
runs=$(sed -n 's/^mcubench: runs: \([0-9]*\) \([0-9]*\) marks: \([0-9]*\)$/\1 \2 \3/p' "$out/console.txt")
read -r n0 n1 nmarks <<<"$runs"
[ "${#at[@]}" = "$nmarks" ] || { echo "mcu-bench: found ${#at[@]} marks in QEMU's log, the program made $nmarks" >&2; cat "$out/console.txt" >&2; exit 1; }
# Marks come in threes per measure: before run n0, before run n1, end.
per() { # index of the measure's first mark, divisor
	awk -v a="${at[$1]}" -v b="${at[$1 + 1]}" -v c="${at[$1 + 2]}" -v n0="$n0" -v n1="$n1" -v d="$2" \
		'BEGIN { printf "%.0f", ((c - b) - (b - a)) / (n1 - n0) / d }'
}
step=$(per 0 1) wake=$(per 3 2) spawn=$(per 6 1)
bytes=$(sed -n 's/^mcubench: bytes per waiting task: \([0-9]*\).*/\1/p' "$out/console.txt")
echo "instructions per task step:  $step"
echo "instructions per Event wake: $wake"
echo "instructions per spawn:      $spawn (create, run to the end, await)"
echo "RAM per waiting task:        $bytes bytes (stack and task, 8 KB stacks as on a Pico)"
