// Package exampletest sets up an example program for its test the way
// `coop run` runs it: a simulated board of the program's kind on a virtual
// clock, traced, wired by the program's default wiring, with its default
// scenario, if it has one, started.
//
//	func TestApp(t *testing.T) {
//		r := exampletest.New(t, "blink", sim.Config{})
//		if err := r.Run(blink.App, 3*time.Second); err != nil {
//			t.Fatal(err)
//		}
//		exampletest.Equal(t, "console", r.Timed(), []string{"0s LED ON", …})
//	}
//
// A program with a scenario checks it after Run: r.Scenario.Done() and
// r.Scenario.Err().
package exampletest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/simtest"
	"github.com/coopgo/coop/sim/wiring"
)

// Rig is a program's simulated board, set up for its test. The embedded
// rig's fields and methods are at hand: Run, Timed, Levels, Board, Loop,
// Trace.
type Rig struct {
	*simtest.Rig
	Program examples.Program
	Wiring  *wiring.Diagram // the default wiring, applied to Board
	// Scenario runs the default scenario, or is nil if the program has
	// none. Its first step has run, before the program starts, as with
	// coop run.
	Scenario *scenario.Runner
}

// New returns a rig for the example called name, configured by cfg and
// wired by the program's default wiring. opts are added to the loop's
// options.
func New(tb testing.TB, name string, cfg sim.Config, opts ...coop.Option) *Rig {
	tb.Helper()
	p, err := examples.Find(name)
	if err != nil {
		tb.Fatal(err)
	}
	return NewProgram(tb, p, cfg, opts...)
}

// NewProgram is New for a program that need not be in the registry.
func NewProgram(tb testing.TB, p examples.Program, cfg sim.Config, opts ...coop.Option) *Rig {
	tb.Helper()
	name := p.Name
	d, err := wiring.Parse(name+"/"+examples.WiringFile, p.Wiring)
	if err != nil {
		tb.Fatal(err)
	}
	r := simtest.New(tb, p.Board, cfg, opts...)
	if err := d.Apply(r.Board); err != nil {
		tb.Fatal(err)
	}
	rig := &Rig{Rig: r, Program: p, Wiring: d}
	if p.Scenario != nil {
		s, err := scenario.Parse(name+"/"+examples.ScenarioFile, p.Scenario)
		if err != nil {
			tb.Fatal(err)
		}
		if rig.Scenario, err = s.Start(r.Board, d); err != nil {
			tb.Fatal(err)
		}
		if err := r.Loop.RunFor(0); err != nil {
			tb.Fatal(err)
		}
	}
	return rig
}

// CancelAt runs app as the task "main" and, from another task, cancels it
// at board time at and waits for it; the loop runs until board time until.
// It returns whether app was done by then, the board time it was done at
// (as its canceller saw it), and what it returned.
func (r *Rig) CancelAt(tb testing.TB, app func(*coop.Task, hw.Board) error, at, until time.Duration) (done bool, doneAt time.Duration, result error) {
	tb.Helper()
	main := r.Loop.Spawn("main", func(t *coop.Task) error {
		result = app(t, r.Board)
		return result
	})
	r.Loop.Spawn("stop", func(t *coop.Task) error {
		if err := t.Sleep(at); err != nil {
			return err
		}
		main.Cancel()
		_ = main.Wait(t)
		doneAt = t.Now()
		return nil
	})
	if err := r.Loop.RunFor(until); err != nil {
		tb.Fatal(err)
	}
	return main.Done(), doneAt, result
}

// Equal reports, as an error of tb, lines that differ from want, showing
// both in full, one per line.
func Equal(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if !slices.Equal(got, want) {
		tb.Errorf("%s:\ngot\n\t%s\nwant\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
