// Command coop runs coop's example programs on simulated boards.
//
//	coop list
//	coop bench [--time D] [--asyncio [--reps N]] [--scale] [--memory N]
//	coop run NAME [--board B] [--wiring F] [--scenario F] [--for D] [--virtual]
//	              [--timestamps] [--seed N] [--trace out.vcd] [--timeline out.svg]
//	              [--top] [--stats out.jsonl] [--stats-every D] [--blocking D]
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
// # Watching a run
//
// Warnings of the loop go to standard error as "coop: warning: …" lines: a
// step that held the loop longer than --blocking (20ms by default; in
// virtual time a step holds it only for the board time it spends in
// Task.Busy, such as a DHT22 read), and a task that ignored cancellation.
// A warning ends with the program's line where the loop was held, and up
// to two callers; frames of the runtime and of coop are left out.
//
// --top replaces the console with a table of the tasks, redrawn four
// times a second on the terminal's alternate screen: each task's state
// (and what it waits on), steps per second and share of board time its
// steps held the loop over the last second or so, longest step, how late it
// last woke and at worst, and deadline misses (ticks its Tickers skipped,
// late jobs of an rt.Periodic contract). Tasks are sorted by busy share,
// then name.
// The console's last lines, with their board times, and coop's messages
// show under the table; the messages are printed on standard error again
// at the end, after the table of every task of the run with its numbers
// over the whole run. With --virtual the table follows the board as it
// races ahead.
//
// --stats F writes the same numbers as JSON lines, one object per task
// alive at each sample, taken every --stats-every of board time (on the
// grid 1s, 2s, …), in spawn order: at_ns, id, task, state, waiting_on,
// steps, steps_per_s, busy_ns, busy_share, longest_step_ns, lateness_ns,
// max_lateness_ns, cancelled; durations in nanoseconds of the loop's clock,
// rates over the time since the sample before. In virtual time the file is
// the same on every run.
//
// In real time, when standard input is a terminal, keys press the wiring's
// buttons: 1 to 9 click the first to ninth (space: the first) for 150ms,
// taps faster than that queue, h then a button's key holds it down or lets
// it go, and q ends the run as Ctrl-C does; the status line says which keys
// do what. The terminal is put in cbreak mode (no echo, no line editing;
// Ctrl-C still interrupts) and restored on the way out, a panic or a signal
// that kills coop included. With --top, q works in virtual time too.
//
// # How long a run lasts
//
// Without a scenario, until the program returns; with one, until the
// scenario ends (the program, if it returned first, waits for it; if it
// fails first, the run ends). --for D makes it last D of board time, once
// what is due at D has run, whether the scenario ended before or not (a
// failed expectation still ends it at once); --scenario none runs without
// the example's scenario. Ctrl-C ends it at once. Ending a run cancels the
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
                  if it has one; none: no scenario, press buttons with keys)
  --for D         run for D of board time, such as 500ms, 10s or 1m30s, even
                  past the scenario's end (sooner if the program returns; a
                  scenario still going is stopped, not failed)
  --virtual       run in virtual time, as fast as possible, instead of real time
  --timestamps    prefix each console line with its board time: "[   1.500s] "
  --seed N        seed of the simulator's randomness (default 0)
  --trace F       write pins and tasks as a VCD file (GTKWave, PulseView)
  --timeline F    write an SVG timeline of pins, tasks and console
  --top           show a live table of the tasks, like top, instead of the
                  console (its last lines show under the table); on a
                  terminal only; q quits
  --stats F       write the tasks' numbers as JSON lines, one per task every
                  --stats-every of board time
  --stats-every D the period of --stats, in board time (default 1s)
  --blocking D    warn of a step that holds the loop longer than D, in real
                  and virtual time (default 20ms; 0 turns warnings off)

In real time on a terminal, keys press the wiring's buttons: 1 to 9 (space:
the first) click one for 150ms, h then its key holds it down or lets it go,
and q quits as Ctrl-C does.

The railroad examples of the book chapter (railroad, railroad-*) also take:

  --technique T   railroad only: roundrobin, timers, event, threads, async
                  (the default) or periodic; all, with --report, for every one
  --report        after the run, run the technique twice more for --for each,
                  with the same seed, and print its phase error, jitter, CPU
                  share and whether the runs were identical (threads need real
                  time: with --virtual, all runs them 3s in real time)
  --work D        with --report: processor time each toggle takes (default 0)

Without --for, the run lasts until the program returns or, with a scenario,
until the scenario ends (a program that fails ends it sooner); with --for it
lasts that long, past the scenario's end. A program that
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
		return runCommandIn(examples.All(), rest, stdin, stdout, stderr)
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
		case len(rest) == 0, rest[0] == "help" && len(rest) == 1:
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
