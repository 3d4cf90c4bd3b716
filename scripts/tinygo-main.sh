#!/usr/bin/env bash
# Writes the main package a user would write for an example, into
# .tinygo-build/NAME, and prints its directory:
#
#	package main
#	func main() { device.Main(example.App) }
#
# With a board-time limit (scripts/tinygo-main.sh grouped 3200ms), App is
# run under coop.WaitFor and its timeout ends the program normally: for
# the programs that run forever, on an emulator. Sourced by
# scripts/tinygo-check.sh and scripts/tinygo-sizes.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1 limit=${2:-}
[ -d "examples/$name" ] || { echo "tinygo-main: no example $name" >&2; exit 2; }
dir=.tinygo-build/$name${limit:+-$limit}
mkdir -p "$dir"
if [ -z "$limit" ]; then
	cat >"$dir/main.go" <<GO
// Command $name is examples/$name on a board.
package main

import (
	"github.com/coopgo/coop/device"
	app "github.com/coopgo/coop/examples/$name"
)

func main() { device.Main(app.App) }
GO
else
	cat >"$dir/main.go" <<GO
// Command $name is examples/$name on a board, for $limit of board time.
package main

import (
	"errors"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/device"
	app "github.com/coopgo/coop/examples/$name"
	"github.com/coopgo/coop/hw"
)

func main() {
	limit, _ := time.ParseDuration("$limit")
	device.Main(func(t *coop.Task, b hw.Board) error {
		err := coop.WaitFor(t, limit, func(t *coop.Task) error { return app.App(t, b) })
		if errors.Is(err, coop.ErrTimeout) {
			return nil
		}
		return err
	})
}
GO
fi
echo "./$dir"
