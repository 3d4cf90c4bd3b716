//go:build !tinygo

package device

import (
	"os"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim/session/cli"
)

// Main runs app on a board and exits. On the host it is the simulator:
// app runs on a simulated board with the flags of `coop run` (--virtual,
// --for, --board, --wiring, --scenario, --seed, --timestamps, --pins,
// --trace, --timeline, --top, --stats, --step-cost…), wired by
// diagram.json and driven by scenario.yaml of the current directory when
// they exist (without a diagram.json or --board, on a bare Pico 2 W). It exits with status 0 when app returns nil or the run is
// stopped as asked, 1 when app (or a scenario expectation) fails, with the
// error printed as `coop run` prints it, and 2 for bad usage or input.
//
// With --devices N it runs app as a fleet of N simulated devices instead,
// with the flags of `coop fleet` (--devices, --for, --broker, --seed,
// --shard…), each device wired by diagram.json and publishing to one
// broker; `coop fleet --app ./DIR` runs a program's directory so. It
// exits with status 1 if a reading was lost or a device failed.
func Main(app func(t *coop.Task, b hw.Board) error) {
	os.Exit(cli.Main(app, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
}
