// Package exampletest sets up an example program for its test the way
// `coop run` runs it: [simtest.Setup] with the program's board, default
// wiring and default scenario.
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
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/simtest"
)

// Rig is a program's simulated board, set up for its test: a simtest rig
// and the program.
type Rig struct {
	*simtest.Rig
	Program examples.Program
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
	c := simtest.Config{
		Board:  p.Board,
		Wiring: session.File{Name: p.Name + "/" + examples.WiringFile, Data: p.Wiring},
		Seed:   cfg.Seed, Options: opts,
	}
	if p.Scenario != nil {
		c.Scenario = session.File{Name: p.Name + "/" + examples.ScenarioFile, Data: p.Scenario}
	}
	return &Rig{Rig: simtest.Setup(tb, c), Program: p}
}

// Equal is [simtest.Equal].
func Equal(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	simtest.Equal(tb, what, got, want)
}
