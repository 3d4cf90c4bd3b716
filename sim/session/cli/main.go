package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

// Files a program's directory may hold beside its source: the default
// wiring and scenario of its runs.
const (
	WiringFile   = "diagram.json"
	ScenarioFile = "scenario.yaml"
)

// Main runs app, the program in the current directory, with the flags of
// `coop run` in args, on a simulated board, and returns the exit status:
// it is device.Main on the host. The wiring is diagram.json and the
// scenario scenario.yaml of the current directory, when they exist (without
// a wiring or --board, the board is a bare [session.DefaultBoard]); the
// program is named after the directory.
//
// parts are the program's own part types, which its wiring may use and
// its scenario act on beside coop's (see [sim.PartTypesWith]).
//
// With --devices N among args, Main runs the program as a fleet of N
// simulated devices instead, with the flags of `coop fleet` (--devices,
// --for, --broker, --seed, --shard…; see [RunFleet]), wired by
// diagram.json: `coop fleet --app ./DIR` runs a program's directory so.
func Main(app session.App, args []string, stdio Stdio, parts ...*sim.PartType) int {
	name := "program"
	if wd, err := os.Getwd(); err == nil {
		name = filepath.Base(wd)
	}
	if isFleet(args) {
		return mainFleet(name, app, parts, args, stdio)
	}
	f, pos, err := Parse(name, args, nil)
	if code, end := endOnArgs(name, pos, err, stdio, func(w *strings.Builder) {
		fmt.Fprintf(w, "Usage: go run . [flags]\n       go run . --devices N --for D [fleet flags]\n\nRuns %s on a simulated board and prints its console. The wiring is\n%s and the scenario %s in this directory, when they exist\n(without a wiring, a bare Pico 2 W).\nWith --devices, runs it as a fleet of N simulated devices publishing to\none broker (go run . --devices 1 --help names the fleet's flags).\n\nFlags:\n\n", name, WiringFile, ScenarioFile)
		Usage(w, nil)
		w.WriteString("\n" + RunText + "\n" + ExitText)
		w.WriteString("go run turns any failure into its own status 1; the program built with\ngo build exits with the statuses above.\n")
	}); end {
		return code
	}
	p := Program{Name: name, App: app, Parts: parts}
	if f.c.wiring == "" {
		if p.Wiring, err = readDefault(WiringFile); err != nil {
			fmt.Fprintf(stdio.Err, "coop: %v\n", err)
			return ExitUsage
		}
		if p.Wiring.Data == nil && f.c.board == "" {
			f.c.board = session.DefaultBoard
		}
	}
	if f.c.scenario == "" {
		if p.Scenario, err = readDefault(ScenarioFile); err != nil {
			fmt.Fprintf(stdio.Err, "coop: %v\n", err)
			return ExitUsage
		}
	}
	return Run(p, f, stdio)
}

// endOnArgs ends a program's run at its flags when they say so: for the
// help, which help writes, for a positional argument (a program takes
// flags only), or for a flag error. It returns the exit status and true
// then, false when the run goes on.
func endOnArgs(name string, pos []string, err error, stdio Stdio, help func(w *strings.Builder)) (int, bool) {
	if errors.Is(err, flag.ErrHelp) {
		var w strings.Builder
		help(&w)
		return WriteHelp(stdio, w.String()), true
	}
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("%s: unexpected argument %q: a program takes flags only", name, pos[0])
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return ExitUsage, true
	}
	return 0, false
}

// readDefault reads a default input file of the current directory; a zero
// File if there is none.
func readDefault(name string) (session.File, error) {
	f, err := session.ReadFile("", name)
	if errors.Is(err, fs.ErrNotExist) {
		return session.File{}, nil
	}
	return f, err
}

// RunText says, for help texts, how a run's keys press buttons and how
// long a run lasts.
const RunText = `In real time on a terminal, keys press the wiring's buttons: 1 to 9 (space:
the first) click one for 150ms, h then its key holds it down or lets it go,
and q quits as Ctrl-C does.

Without --for, the run lasts until the program returns or, with a scenario,
until the scenario ends (a program that fails ends it sooner): end a scenario
with an expectation or a delay, or its last input ends the run before the
program answers it. With --for the run lasts that long, past the scenario's
end. A program that never returns runs in real time until Ctrl-C; in virtual
time it needs --for or a scenario (coop gives up after 1h of board time).
Ctrl-C cancels the program, which cleans up; a second Ctrl-C kills coop at
once.
`

// ExitText says what the exit statuses of a run mean, for help texts.
const ExitText = `Exit status: 0 the run ended as asked, 1 the program or a scenario expectation
failed, 2 bad usage or input.
`

// WriteHelp writes a help text to standard output and returns the exit
// status: 0, or 1 if it could not be written.
func WriteHelp(stdio Stdio, text string) int {
	if _, err := io.WriteString(stdio.Out, text); err != nil {
		fmt.Fprintf(stdio.Err, "coop: writing the help: %v\n", err)
		return ExitFail
	}
	return ExitOK
}
