package main

// The railroad lights of the book chapter (seed 002): --technique picks the
// way the railroad example is written, --report compares the techniques as
// numbers after the run ([rt.RunRailroad], [rt.CompareRailroad]).

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/examples/railroad"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session/cli"
)

// allTechniques is the --technique that compares every technique.
const allTechniques = "all"

// threadsVirtualFor is how long, in real time, the threads run in a
// --virtual comparison of every technique: they cannot run in virtual
// time. Tests shorten it.
var threadsVirtualFor = 3 * time.Second

// railroadPrograms are the programs that are the railroad with one
// technique each, and the example that takes --technique.
var railroadPrograms = map[string]rt.Technique{
	"railroad-roundrobin": rt.TechRoundRobin,
	"railroad-timers":     rt.TechTimers,
	"railroad-threads":    rt.TechThreads,
	"railroad-async":      rt.TechAsync,
	"railroad":            railroad.Default,
}

// railroadConfig is what the arguments of `coop run` ask of the railroad.
type railroadConfig struct {
	technique string        // --technique, or ""
	report    bool          // --report
	work      time.Duration // --work
	tech      rt.Technique  // the technique to run and report; 0 for all

	set   map[string]bool // the flags given, once parsed
	work0 *string
}

// flags defines the flags of the railroad in fs, for `coop run`.
func (rc *railroadConfig) flags(fs *flag.FlagSet) (check func(set map[string]bool) error) {
	fs.StringVar(&rc.technique, "technique", "", "railroad only: the `technique` of the program: roundrobin, timers, event, threads, async (the default) or periodic; all, with --report, for every one")
	fs.BoolVar(&rc.report, "report", false, "railroad only: after the run, run the technique twice more for --for each, with the same seed, and print its phase error, jitter, CPU share and whether the runs were identical (threads need real time: with --virtual, --technique all runs them for 3s of real time)")
	rc.work0 = fs.String("work", "0s", "with --report: processor time `D` each toggle takes")
	return func(set map[string]bool) error {
		rc.set = set
		return nil
	}
}

// check checks the railroad's flags, given the example and the run's flags.
func (rc *railroadConfig) check(name string, f cli.Flags) error {
	set := rc.set
	d, err := time.ParseDuration(*rc.work0)
	switch {
	case err != nil:
		return fmt.Errorf("--work %q: not a duration (such as 1ms)", *rc.work0)
	case d < 0:
		return fmt.Errorf("--work %s: the work must not be negative", *rc.work0)
	case set["work"] && !rc.report:
		return errors.New("--work: only with --report, which gives each toggle that much work")
	}
	rc.work = d
	tech, isRailroad := railroadPrograms[name]
	switch {
	case set["technique"] && name != "railroad":
		return fmt.Errorf("--technique: only for the railroad example (coop run railroad --technique async), not %s", name)
	case rc.report && !isRailroad:
		return fmt.Errorf("--report: only for the railroad examples (%s), not %s", railroadNames(), name)
	case rc.technique == allTechniques:
		if !rc.report {
			return errors.New("--technique all: only with --report, which compares the techniques")
		}
		tech = 0
	case set["technique"]:
		if tech, err = rt.ParseTechnique(rc.technique); err != nil {
			return fmt.Errorf("--technique %q: not a technique (%s, %s)", rc.technique,
				strings.Join(techniqueNames(), ", "), allTechniques)
		}
	}
	rc.tech = tech
	if tech == rt.TechThreads && f.Virtual() {
		return fmt.Errorf("%s: threads run in real time, not in virtual time: leave out --virtual", threadsName(name))
	}
	if rc.report && f.For() == 0 {
		return errors.New("--report: give the duration of each run with --for, such as --for 10s")
	}
	return nil
}

func threadsName(name string) string {
	if name == "railroad" {
		return "railroad --technique threads"
	}
	return name
}

func techniqueNames() []string {
	var names []string
	for _, tech := range rt.Techniques() {
		names = append(names, tech.String())
	}
	return names
}

func railroadNames() string {
	var names []string
	for _, p := range examples.All() {
		if _, ok := railroadPrograms[p.Name]; ok {
			names = append(names, p.Name)
		}
	}
	return strings.Join(names, ", ")
}

// railroadSetup prepares a run of the railroad: with --technique, the
// railroad example becomes the program of that technique. With
// --technique all there is no program to run: it prints the comparison
// and returns done with the exit status.
func railroadSetup(p examples.Program, rc *railroadConfig, f cli.Flags, stdout, stderr io.Writer) (_ examples.Program, status int, done bool) {
	if rc.technique == allTechniques {
		return p, railroadReport(rc, f, stdout, stderr), true
	}
	if rc.technique == "" {
		return p, exitOK, false
	}
	app, err := railroad.AppFor(rc.tech)
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return p, exitUsage, true
	}
	p.App = app
	return p, exitOK, false
}

// railroadAfter prints the report of --report once the run has ended as
// asked; it returns the exit status.
func railroadAfter(rc *railroadConfig, f cli.Flags, status int, stdout, stderr io.Writer) int {
	if !rc.report || status != exitOK {
		return status
	}
	return railroadReport(rc, f, stdout, stderr)
}

// railroadReport runs the railroad with the technique of rc, or with
// every one, twice each on a fresh pyboard with the run's seed, for --for
// each, and prints the comparison: a row per technique, with whether the
// two runs gave the same trace.
func railroadReport(rc *railroadConfig, f cli.Flags, stdout, stderr io.Writer) int {
	duration, seed, virtual := f.For(), f.Seed(), f.Virtual()
	base := rt.RailroadConfig{Duration: duration, Work: rc.work, Rig: pyboardRig(seed, virtual)}
	techs := []rt.Technique{rc.tech}
	if rc.tech == 0 {
		techs = rt.Techniques()
	}
	var c rt.Comparison
	var notes []string
	for _, tech := range techs {
		rcfg := base
		if tech == rt.TechThreads && virtual {
			// Threads run in real time only: a short real run stands in.
			rcfg.Rig = pyboardRig(seed, false)
			rcfg.Duration = min(duration, threadsVirtualFor)
			notes = append(notes, fmt.Sprintf("threads ran in real time, %v per run: threads cannot run in virtual time", rcfg.Duration))
		}
		rep, err := rt.RunRailroad(tech, rcfg)
		if err != nil {
			fmt.Fprintf(stderr, "coop: report: %v\n", err)
			return exitFail
		}
		c = append(c, rep)
	}
	clock := "real time"
	if virtual {
		clock = "virtual time"
	}
	work := ""
	if rc.work > 0 {
		work = fmt.Sprintf(", %v of work per toggle", rc.work)
	}
	fmt.Fprintf(stdout, "railroad lights: blue and yellow every %v%s; %v per run, 2 runs each, seed %d, %s\n",
		c[0].Period, work, duration, seed, clock)
	fmt.Fprint(stdout, c)
	for _, n := range notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return exitOK
}

// pyboardRig makes a fresh pyboard, on a loop on the virtual clock or the
// real one, for each run of a report.
func pyboardRig(seed uint64, virtual bool) func() (*coop.Loop, hw.Board, error) {
	return func() (*coop.Loop, hw.Board, error) {
		var opts []coop.Option
		if virtual {
			opts = append(opts, coop.WithVirtualClock())
		}
		l := coop.NewLoop(opts...)
		b, err := sim.NewBoard(l, "pyboard", sim.Config{Seed: seed})
		if err != nil {
			l.Close()
		}
		return l, b, err
	}
}
