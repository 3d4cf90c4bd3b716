#!/usr/bin/env bash
# Runs coop's scheduler benchmarks and their CPython asyncio twins
# (bench/asyncio_bench.py) in one go and prints them side by side with the
# speed-up. Usage: scripts/bench-vs-asyncio.sh [benchtime, default 1s]
set -euo pipefail
cd "$(dirname "$0")/.."
benchtime=${1:-1s}
secs=${benchtime%s}

go_out=$(go test -run '^$' -bench 'SpawnWait|Yield|EventPingPong|Queue|Gather1000' -benchtime "$benchtime" -count 1 . | grep '^Benchmark')
py_out=$(python3 bench/asyncio_bench.py "$secs" | grep '^Benchmark')

printf '%-24s %14s %16s %9s\n' benchmark "coop ns/op" "asyncio ns/op" speed-up
while read -r name _ ns _; do
	base=${name%-*}
	py=$(awk -v n="$base" '$1 == n { print $3 }' <<<"$py_out")
	[ -n "$py" ] || continue
	awk -v b="$base" -v g="$ns" -v p="$py" 'BEGIN { printf "%-24s %14.1f %16.1f %8.1fx\n", b, g, p, p / g }'
done <<<"$go_out"
printf '(%s; %s)\n' "$(go version | cut -d' ' -f3)" "$(python3 --version)"
