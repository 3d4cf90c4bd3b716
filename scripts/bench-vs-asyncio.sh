#!/usr/bin/env bash
# Runs coop's scheduler benchmarks and their CPython asyncio twins
# (bench/asyncio_bench.py) in one go and prints them side by side with the
# speed-up. Usage: scripts/bench-vs-asyncio.sh [time per benchmark, default 1s]
set -euo pipefail
cd "$(dirname "$0")/.."
go run ./cmd/coop bench --asyncio --time "${1:-1s}"
