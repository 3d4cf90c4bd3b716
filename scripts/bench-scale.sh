#!/usr/bin/env bash
# Prints, as a Markdown table, the cost of one spawn, wake and timer op
# with 1k, 10k, 100k and 1M tasks alive (and as many pending timers): for
# a busy few among them, and for every one in turn, beside the floors of
# creating and resuming as many bare coroutines; then what 1M idle tasks
# hold and how long they take to create. Each size is measured in a
# process of its own. Usage: scripts/bench-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/coop
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" ./cmd/coop
"$bin" bench --scale
echo
"$bin" bench --memory 1000000
