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
}

// railroadFlags defines the flags of the railroad in fs, for c. The
// function it returns checks them once fs has parsed the arguments, given
// the flags that were set.
func railroadFlags(fs *flag.FlagSet, c *runConfig) (check func(set map[string]bool) error) {
	rc := &c.railroadConfig
	fs.StringVar(&rc.technique, "technique", "", "")
	fs.BoolVar(&rc.report, "report", false, "")
	work := fs.String("work", "0s", "")
	return func(set map[string]bool) error {
		d, err := time.ParseDuration(*work)
		switch {
		case err != nil:
			return fmt.Errorf("--work %q: not a duration (such as 1ms)", *work)
		case d < 0:
			return fmt.Errorf("--work %s: the work must not be negative", *work)
		case set["work"] && !rc.report:
			return errors.New("--work: only with --report, which gives each toggle that much work")
		}
		rc.work = d
		tech, isRailroad := railroadPrograms[c.name]
		switch {
		case set["technique"] && c.name != "railroad":
			return fmt.Errorf("--technique: only for the railroad example (coop run railroad --technique async), not %s", c.name)
		case rc.report && !isRailroad:
			return fmt.Errorf("--report: only for the railroad examples (%s), not %s", railroadNames(), c.name)
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
		if tech == rt.TechThreads && c.virtual {
			return fmt.Errorf("%s: threads run in real time, not in virtual time: leave out --virtual", threadsName(c.name))
		}
		if rc.report && c.duration == 0 {
			return errors.New("--report: give the duration of each run with --for, such as --for 10s")
		}
		return nil
	}
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
func railroadSetup(programs []examples.Program, cfg runConfig, stdout, stderr io.Writer) (_ []examples.Program, status int, done bool) {
	rc := cfg.railroadConfig
	if rc.technique == allTechniques {
		return programs, railroadReport(cfg, stdout, stderr), true
	}
	if rc.technique == "" {
		return programs, exitOK, false
	}
	app, err := railroad.AppFor(rc.tech)
	if err != nil {
		fmt.Fprintf(stderr, "coop: %v\n", err)
		return programs, exitUsage, true
	}
	programs = append([]examples.Program(nil), programs...)
	for i, p := range programs {
		if p.Name == "railroad" {
			programs[i].App = app
		}
	}
	return programs, exitOK, false
}

// railroadAfter prints the report of --report once the run has ended as
// asked; it returns the exit status.
func railroadAfter(cfg runConfig, status int, stdout, stderr io.Writer) int {
	if !cfg.report || status != exitOK {
		return status
	}
	return railroadReport(cfg, stdout, stderr)
}

// railroadReport runs the railroad with the technique of cfg, or with
// every one, twice each on a fresh pyboard with the run's seed, for --for
// each, and prints the comparison: a row per technique, with whether the
// two runs gave the same trace.
func railroadReport(cfg runConfig, stdout, stderr io.Writer) int {
	rc := cfg.railroadConfig
	base := rt.RailroadConfig{Duration: cfg.duration, Work: rc.work, Rig: pyboardRig(cfg.seed, cfg.virtual)}
	techs := []rt.Technique{rc.tech}
	if rc.tech == 0 {
		techs = rt.Techniques()
	}
	var c rt.Comparison
	var notes []string
	for _, tech := range techs {
		rcfg := base
		if tech == rt.TechThreads && cfg.virtual {
			// Threads run in real time only: a short real run stands in.
			rcfg.Rig = pyboardRig(cfg.seed, false)
			rcfg.Duration = min(cfg.duration, threadsVirtualFor)
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
	if cfg.virtual {
		clock = "virtual time"
	}
	work := ""
	if rc.work > 0 {
		work = fmt.Sprintf(", %v of work per toggle", rc.work)
	}
	fmt.Fprintf(stdout, "railroad lights: blue and yellow every %v%s; %v per run, 2 runs each, seed %d, %s\n",
		c[0].Period, work, cfg.duration, cfg.seed, clock)
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
