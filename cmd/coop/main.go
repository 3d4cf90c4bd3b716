// Command coop runs coop's example programs on simulated boards.
//
//	coop list
//	coop bench [--time D] [--asyncio]
//	coop run NAME [--board B] [--wiring F] [--scenario F] [--for D] [--virtual]
//	              [--timestamps] [--seed N] [--trace out.vcd] [--timeline out.svg]
//	coop help [run]
//
// `coop help run` describes the flags; they may come before or after NAME.
//
// # Output
//
// The program's console lines go to standard output exactly as it prints
// them. --timestamps prefixes each with its board time in seconds, with
// millisecond resolution, truncated, right-aligned in eight characters and
// bracketed: "[   1.500s] LED ON". Messages of coop (errors, warnings,
// unawaited task failures) go to standard error, each starting "coop: ".
//
// By default the board runs in real time, so a person sees the LEDs blink.
// When standard output is a terminal, a status line under the console shows
// the board's LEDs as dots in their colours, its buttons, DHT22 sensors,
// Wi-Fi (once the program uses it) and board time, redrawn up to ten times
// a second and erased before each line printed and at the end. With
// --virtual the board runs in virtual time, as fast as possible, and the same
// seed gives byte-identical output and traces.
//
// # How long a run lasts
//
// Without a scenario, until the program returns; with one, until the
// scenario ends (the program, if it returned first, waits for it; if it
// fails first, the run ends). --for D ends it after D of board time, once
// what is due at D has run. Ctrl-C ends it at once. Ending a run cancels the
// program, whose deferred cleanup runs. In virtual time a program that never
// returns needs --for or a scenario: after an hour of board time coop gives
// up and says so.
//
// # Exit status
//
//   - 0: the run ended as asked: the program returned nil, or was stopped by
//     --for, by the end of its scenario or by Ctrl-C and cleaned up; every
//     scenario expectation held (a scenario cut short by --for or Ctrl-C
//     is not a failure).
//   - 1: the program returned an error or panicked (printed as
//     "coop: NAME: ERR"), a scenario expectation failed (the message names
//     the step, what it expected and what happened), every task waited on
//     something that could never come (a deadlock, in virtual time), or an
//     output file could not be written.
//   - 2: bad usage or input: an unknown command, example, board or flag, a bad
//     flag value, an unreadable or malformed wiring or scenario, an output
//     file that cannot be created, or a --virtual run that never ends. The
//     message is one line on standard error that names the file or flag and
//     says what is allowed.
//
// A second Ctrl-C, while the program cleans up, kills coop at once.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/coopgo/coop/examples"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// Exit statuses.
const (
	exitOK    = 0 // the run ended as asked
	exitFail  = 1 // the program or a scenario expectation failed
	exitUsage = 2 // bad usage or input
)

const usage = `coop runs coop's example programs on simulated boards.

Usage:
  coop list               list the examples, with the seed each comes from
  coop run NAME [flags]   run example NAME on a simulated board
  coop bench [flags]      benchmark the scheduler (--asyncio: against CPython)
  coop help [command]     show this help, or a command's

Run 'coop help run' for the flags of run.
`

const runUsage = `Usage: coop run NAME [flags]

Runs example NAME (see coop list) on a simulated board and prints its console.
Flags may come before or after NAME:

  --board B       board kind: metro_m4, pico2w or pyboard (default: the wiring's)
  --wiring F      Wokwi diagram.json to wire the board (default: the example's)
  --scenario F    scenario YAML that drives the world (default: the example's,
                  if it has one)
  --for D         stop after D of board time, such as 500ms, 10s or 1m30s
                  (sooner if the program returns; a scenario still going is
                  stopped, not failed)
  --virtual       run in virtual time, as fast as possible, instead of real time
  --timestamps    prefix each console line with its board time: "[   1.500s] "
  --seed N        seed of the simulator's randomness (default 0)
  --trace F       write pins and tasks as a VCD file (GTKWave, PulseView)
  --timeline F    write an SVG timeline of pins, tasks and console

Without --for, the run lasts until the program returns or, with a scenario,
until the scenario ends (a program that fails ends it sooner). A program that
never returns runs in real time until Ctrl-C; in virtual time it needs --for or
a scenario (coop gives up after 1h of board time). Ctrl-C cancels the program,
which cleans up; a second Ctrl-C kills coop at once.

Exit status: 0 the run ended as asked, 1 the program or a scenario expectation
failed, 2 bad usage or input.
`

// run is the whole command, with its arguments (without the program name)
// and standard streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "run":
		return runCommand(examples.All(), rest, stdout, stderr)
	case "bench":
		return benchCommand(rest, stdout, stderr)
	case "list":
		if len(rest) > 0 {
			fmt.Fprintf(stderr, "coop: list takes no arguments, got %q\n", rest[0])
			return exitUsage
		}
		return listCommand(examples.All(), stdout, stderr)
	case "help", "-h", "-help", "--help":
		switch {
		case len(rest) == 0:
			fmt.Fprint(stdout, usage)
		case rest[0] == "run" && len(rest) == 1:
			fmt.Fprint(stdout, runUsage)
		case rest[0] == "bench" && len(rest) == 1:
			fmt.Fprint(stdout, benchUsage)
		case rest[0] == "list" && len(rest) == 1:
			fmt.Fprint(stdout, "Usage: coop list\n\nLists the examples: name, board, seed document, section and summary.\n")
		default:
			fmt.Fprintf(stderr, "coop: no help for %q (commands: run, list, bench)\n", rest[0])
			return exitUsage
		}
		return exitOK
	default:
		fmt.Fprintf(stderr, "coop: unknown command %q (commands: run, list, bench, help)\n", cmd)
		return exitUsage
	}
}
