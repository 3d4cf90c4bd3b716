#!/usr/bin/env bash
# Runs coop's scheduler workloads and their CPython asyncio twins
# (bench/asyncio_bench.py; MicroPython's too when micropython is on PATH,
# which scripts/setup-micropython.sh builds)
# side by side: interleaved runs, medians and spread, wall and CPU time,
# the ratio per workload, withheld from a disturbed run.
# Usage: scripts/bench-vs-asyncio.sh [repetitions, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/coop bench --asyncio --reps "${1:-5}"
