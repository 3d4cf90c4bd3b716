// Command coop runs coop's example programs, and yours, on simulated
// boards.
//
//	coop list
//	coop show NAME
//	coop run NAME|./DIR [--board B] [--wiring F] [--scenario F] [--for D] [--virtual]
//	              [--timestamps] [--pins] [--seed N] [--trace out.vcd] [--timeline out.svg]
//	              [--top] [--stats out.jsonl] [--stats-every D] [--blocking D] [--step-cost D]
//	coop new [--module M] [--replace DIR] DIR
//	coop telemetry --broker URL [--broker-ca F] [--topic F] [--client-id ID] [--for D] [--count N]
//	coop fleet --devices N --for D [--app NAME|./DIR] [--broker URL] [--broker-ca F] [--seed S] [--shard K/N]
//	coop bench [--time D] [--asyncio [--reps N]] [--scale] [--memory N]
//	coop version
//	coop help [COMMAND]
//
// `coop help run` describes the flags; they may come before or after NAME.
// `coop run ./DIR` (any argument that is a directory, or starts with . or
// /) builds the program in DIR, a main package calling device.Main, and
// runs it there as `go run` would, with the same flags, passing its exit
// status through. `coop new DIR` writes such a program, with its wiring,
// scenario and test. `coop fleet --app ./DIR` runs it the same way with
// the fleet's flags, which device.Main takes too: N devices of the
// program in its process. The run itself is package sim/session; its flags and
// output, package sim/session/cli, which device.Main shares.
//
// # Output
//
// The program's console lines go to standard output exactly as it prints
// them. --timestamps prefixes each with its board time in seconds, with
// millisecond resolution, truncated, right-aligned in eight characters and
// bracketed: "[   1.500s] LED ON". --pins adds a line for each pin change,
// always with its board time, naming the parts of the wiring on the pin:
// "[   0.500s] GP15 (led1) on". Messages of coop (errors, warnings,
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
// max_lateness_ns, misses (deadline misses, as in the table), cancelled
// (waiting_on, misses and cancelled only when there are some); durations
// in nanoseconds of the loop's clock,
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
// fails first, the run ends): a scenario's last input (press: btn1) ends
// the run before the program answers it, so end a scenario with an
// expectation or a delay. --for D makes it last D of board time, once
// what is due at D has run, whether the scenario ended before or not (a
// failed expectation still ends it at once); --scenario none runs without
// the example's scenario. Ctrl-C ends it at once. Ending a run cancels the
// program, whose deferred cleanup runs. In virtual time a program that never
// returns needs --for or a scenario: after an hour of board time coop gives
// up and says so.
//
// # Exit status
//
// One rule for every command: 0 it did as asked (--help of any command
// included), 1 it failed, 2 bad usage or input. For run:
//
//   - 0: the run ended as asked: the program returned nil, or was stopped by
//     --for, by the end of its scenario or by Ctrl-C and cleaned up; every
//     scenario expectation held (a scenario cut short by --for or Ctrl-C
//     is not a failure).
//   - 1: the program returned an error or panicked (printed as
//     "coop: NAME: ERR"), a scenario expectation failed (the message names
//     the step, what it expected and what happened), every task waited on
//     something that could never come (a deadlock, in virtual time), or an
//     output file or standard output could not be written.
//   - 2: bad usage or input: an unknown command, example, board or flag, a bad
//     flag value (a --for over 100 years), an unreadable, malformed or too
//     large (over 1 MiB) wiring or scenario, a wiring for another board, an
//     output file that cannot be created, a program directory that does
//     not build, or a --virtual run that never ends. The
//     message is one line on standard error that names the file or flag and
//     says what is allowed.
//
// A second Ctrl-C, while the program cleans up, kills coop at once.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/internal/table"
	"github.com/coopgo/coop/sim/session/cli"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// Exit statuses.
const (
	exitOK    = cli.ExitOK    // the run ended as asked
	exitFail  = cli.ExitFail  // the program or a scenario expectation failed
	exitUsage = cli.ExitUsage // bad usage or input
)

// runUsage is the help of run, its flags' from their usage strings.
func runUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: coop run NAME [flags]
       coop run ./DIR [flags]

Runs example NAME (see coop list), or the program in directory DIR as go run
would, on a simulated board and prints its console. Flags may come before or
after NAME:

`)
	var rc railroadConfig
	cli.Usage(&b, rc.flags)
	b.WriteString("\n" + cli.RunText + "\n")
	b.WriteString(cli.ExitText)
	return b.String()
}

// command is one of coop's commands.
type command struct {
	name, args, summary string
	// run runs the command with its arguments; it prints its help for
	// -h or --help.
	run func(args []string, stdio cli.Stdio) int
	// help is the command's help.
	help func() string
}

// commands are coop's commands, in the order the usage lists them.
func commands() []command {
	return []command{
		{"list", "", "list the examples, by the seed each comes from", listCmd, func() string { return listUsage }},
		{"show", "NAME", "where example NAME comes from, its wiring and scenario",
			func(args []string, stdio cli.Stdio) int {
				return showCommand(examples.All(), args, stdio.Out, stdio.Err)
			},
			func() string { return showUsage }},
		{"run", "NAME [flags]", "run example NAME on a simulated board",
			func(args []string, stdio cli.Stdio) int { return runCommand(examples.All(), args, stdio) }, runUsage},
		{"run", "./DIR [flags]", "run the program in DIR (its main calls device.Main)", nil, nil},
		{"new", "DIR", "write a program of your own in DIR, ready to run",
			func(args []string, stdio cli.Stdio) int { return newCommand(args, stdio.Out, stdio.Err) }, newHelp},
		{"telemetry", "--broker URL [flags]", "print the readings devices publish, gaps and duplicates counted",
			telemetryCommand, telemetryUsage},
		{"fleet", "--devices N --for D [flags]", "simulate N devices publishing to one broker; messages, latency, losses",
			func(args []string, stdio cli.Stdio) int { return fleetCommand(examples.All(), args, stdio) }, fleetUsage},
		{"fleet", "--app ./DIR --devices N --for D", "the same, every device running the program in DIR", nil, nil},
		{"bench", "[flags]", "benchmark the scheduler (--asyncio: against CPython)",
			func(args []string, stdio cli.Stdio) int { return benchCommand(args, stdio.Out, stdio.Err) }, benchUsage},
		{"version", "", "print coop's version", versionCmd, func() string { return versionUsage }},
	}
}

// usage is coop's help.
func usage() string {
	t := table.New(table.Column{}, table.Column{})
	names := []string{}
	for _, c := range commands() {
		t.Add("  coop "+strings.TrimSpace(c.name+" "+c.args), c.summary)
		if c.run != nil {
			names = append(names, c.name)
		}
	}
	t.Add("  coop help [command]", "show this help, or a command's")
	return "coop runs coop's example programs, and yours, on simulated boards.\n\nUsage:\n" +
		strings.Join(t.Lines()[1:], "\n") + "\n\nRun 'coop help COMMAND' for a command's flags (" + strings.Join(names, ", ") + ").\n"
}

// findCommand returns the command called name.
func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			return c, true
		}
	}
	return command{}, false
}

// commandNames lists the commands, for messages.
func commandNames() string {
	var names []string
	for _, c := range commands() {
		if c.run != nil {
			names = append(names, c.name)
		}
	}
	return strings.Join(names, ", ")
}

const listUsage = `Usage: coop list

Lists the examples under the title of the seed document each comes from:
name, board, section of the seed and summary, in lines of at most 100
characters. coop show NAME tells the rest.
`

const versionUsage = "Usage: coop version\n\nPrints coop's version, from its build info, and the Go that built it.\n"

// noArgs parses the arguments of a command that takes none: it returns
// the exit status to return at once, or -1 to go on.
func noArgs(cmd, help string, args []string, stdio cli.Stdio) int {
	pos, err := cli.ParseArgs(flag.NewFlagSet(cmd, flag.ContinueOnError), cmd, args)
	if errors.Is(err, flag.ErrHelp) {
		return cli.WriteHelp(stdio, help)
	}
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("%s takes no arguments, got %q", cmd, pos[0])
	}
	if err != nil {
		fmt.Fprintf(stdio.Err, "coop: %v\n", err)
		return exitUsage
	}
	return -1
}

func listCmd(args []string, stdio cli.Stdio) int {
	if code := noArgs("list", listUsage, args, stdio); code >= 0 {
		return code
	}
	return listCommand(examples.All(), stdio.Out, stdio.Err)
}

func versionCmd(args []string, stdio cli.Stdio) int {
	if code := noArgs("version", versionUsage, args, stdio); code >= 0 {
		return code
	}
	return cli.WriteHelp(stdio, versionText())
}

// run is the whole command, with its arguments (without the program name)
// and standard streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	stdio := cli.Stdio{In: stdin, Out: stdout, Err: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "help", "-h", "-help", "--help":
		switch {
		case len(rest) == 0, rest[0] == "help" && len(rest) == 1:
			return cli.WriteHelp(stdio, usage())
		case len(rest) == 1:
			if c, ok := findCommand(rest[0]); ok {
				return cli.WriteHelp(stdio, c.help())
			}
		}
		fmt.Fprintf(stderr, "coop: no help for %q (commands: %s)\n", strings.Join(rest, " "), commandNames())
		return exitUsage
	case "--version", "-version":
		return versionCmd(rest, stdio)
	default:
		c, ok := findCommand(cmd)
		if !ok {
			hint := suggest.Hint(cmd, append(strings.Split(commandNames(), ", "), "help"))
			fmt.Fprintf(stderr, "coop: unknown command %q (%scommands: %s, help)\n", cmd, hint, commandNames())
			return exitUsage
		}
		return c.run(rest, stdio)
	}
}
