package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/coopgo/coop/examples"
	mqttsensor "github.com/coopgo/coop/examples/mqtt-sensor"
	"github.com/coopgo/coop/sim/session/cli"
)

const fleetHelp = `Usage: coop fleet --devices N --for D [--app NAME|./DIR] [flags]

` + cli.FleetText + `
The program is --app NAME, an example that publishes through the flash
outbox (mqtt-sensor by default), or --app ./DIR, your program's directory
(its main is device.Main(App), as coop new writes): coop builds it and
runs it there with the fleet's flags, as go run . --devices N … would,
with diagram.json beside it wiring every device.

Flags:

`

// appFlag is coop fleet's --app, beside the flags of a fleet run.
func appFlag(app *string) cli.ExtraFlags {
	return func(fs *flag.FlagSet) func(map[string]bool) error {
		fs.StringVar(app, "app", "mqtt-sensor", "the program every device runs: an example's `NAME`, or ./DIR, your program's directory")
		return func(set map[string]bool) error {
			if set["app"] && *app == "" {
				return errors.New("fleet: --app: the value is empty")
			}
			return nil
		}
	}
}

func fleetUsage() string {
	var b strings.Builder
	b.WriteString(fleetHelp)
	var app string
	cli.FleetUsage(&b, appFlag(&app))
	return b.String()
}

// fleetCommand is `coop fleet`.
func fleetCommand(programs []examples.Program, args []string, stdio cli.Stdio) int {
	var app string
	f, pos, err := cli.ParseFleet("fleet", args, appFlag(&app))
	if errors.Is(err, flag.ErrHelp) {
		return cli.WriteHelp(stdio, fleetUsage())
	}
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("fleet takes no arguments, got %q", pos[0])
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	if isProgramDir(programs, app) {
		args, env := f.Args()
		return execProgram("fleet", app, args, env, stdio)
	}
	p, err := findProgram(programs, app)
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	cp := program(p)
	if p.Name == "mqtt-sensor" {
		// Nobody reads a thousand consoles.
		cp.App = mqttsensor.NewApp(mqttsensor.Options{Quiet: true})
	}
	return cli.RunFleet(cp, f, stdio)
}
