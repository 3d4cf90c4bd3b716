// Package cli is the command line of a run: the flags of `coop run`
// (--virtual, --for, --board, --wiring, --scenario, --seed, --timestamps,
// --pins, --trace, --timeline, --top, --stats, --blocking, --step-cost…),
// and what a run shows on a terminal: the console, pin changes, the status
// line, the task dashboard of --top, --stats files, keys that press the
// wiring's buttons, coop's messages and the exit status. The run itself
// is a [session.Session].
//
// `coop run` (cmd/coop) and a user's program through device.Main share
// it, so the two behave the same:
//
//	func main() { os.Exit(cli.Main(App, os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})) }
//
// # A fleet
//
// With --devices N, [Main] runs the program as a fleet of N simulated
// devices publishing to one broker (package fleet), with the flags of
// `coop fleet` ([ParseFleet], [RunFleet]), and prints what arrived:
// `go run . --devices 100 --for 1h` in a program's directory, or
// `coop fleet --app ./DIR`, which runs it so.
//
// # The web view
//
// --web serves a live page of the run (package web) and prints its
// address: the board and its parts, the console, the task table and a
// timing diagram. The session then runs on the virtual clock under a
// [session.Pacer], at 1× until the page asks otherwise, so the page can
// pause it, change its speed, step it and look back, and the run stays
// deterministic: the scenario the page downloads replays it exactly with
// --scenario and --virtual. The program's own scenario is left out (the
// page drives the world) unless --scenario names one, and keys press no
// buttons. When the run is over, once its outcome is printed (a failure,
// the files of --trace and --timeline written), the page stays up until
// Ctrl-C; the exit status is the run's.
//
// # Exit status
//
// [ExitOK] when the run ended as asked, [ExitFail] when the program or a
// scenario expectation failed (or output could not be written),
// [ExitUsage] for bad usage or input, with one line on standard error
// that names the flag or file and says what is allowed.
package cli
