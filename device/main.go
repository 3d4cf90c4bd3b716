//go:build !tinygo

package device

import (
	"os"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
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
func Main(app func(t *coop.Task, b hw.Board) error, opts ...Option) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	os.Exit(cli.Main(app, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}, c.parts...))
}

// config is what the options of Main set on the host.
type config struct {
	parts []*sim.PartType
}

// WithParts gives the simulator the program's own part types, beside
// coop's (see [sim.PartTypesWith]): its diagram.json may use them and its
// scenario.yaml act on them with their inputs. A part type imports
// package sim, which a board's build leaves out, so a program that
// defines parts keeps them, and the main that passes them, in files built
// for the host only:
//
//	//go:build !tinygo
//
//	func main() { device.Main(App, device.WithParts(TiltType())) }
//
// and calls device.Main(App) in a file with //go:build tinygo.
func WithParts(types ...*sim.PartType) Option {
	return func(c *config) { c.parts = append(c.parts, types...) }
}
