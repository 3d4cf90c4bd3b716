#!/usr/bin/env bash
# Prints, as a Markdown table, the cost of one spawn, wake and timer op
# with 1k, 10k, 100k and 1M tasks alive (and as many pending timers),
# beside the floor of resuming one of as many bare coroutines; then what
# 1M idle tasks hold and how long they take to create. Each measurement
# runs in its own process. Usage: scripts/bench-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/coop
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/coop
"$bin" bench --scale
echo
"$bin" bench --memory 1000000
