// Package simtest runs programs on simulated boards in tests: a session
// (package session) on the virtual clock, traced, with the console and the
// pins at hand, and [Equal] to compare lines with a readable diff.
//
// The test of a program in its own directory, beside its diagram.json and
// scenario.yaml:
//
//	func TestApp(t *testing.T) {
//		r := simtest.Open(t, ".")
//		if err := r.Run(App, 3*time.Second); err != nil {
//			t.Fatal(err)
//		}
//		simtest.Equal(t, "console", r.Timed(), []string{"0s LED ON", "500ms LED OFF", …})
//		simtest.Equal(t, "pins", r.Pins(), []string{"0s GP15 (led1) on", …})
//	}
//
// [Setup] takes the wiring and the scenario as bytes, [New] a bare board.
// The rig's fields are exported: attach parts to r.Board before Run,
// script the world on r.Loop, read r.Trace after. A program with a
// scenario checks it after Run: r.Scenario.Done() and r.Scenario.Err().
package simtest

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/sim/wiring"
	"github.com/coopgo/coop/trace"
)

// App is a program as the examples write it.
type App = session.App

// Config is what a rig is made of; see [session.Config] for the fields.
// The rig always runs on the virtual clock.
type Config struct {
	Board    string          // "" takes the wiring's
	Wiring   session.File    // a zero File leaves the board bare
	Parts    []*sim.PartType // the program's own part types (session.Config.Parts)
	Scenario session.File    // a zero File runs none
	Seed     uint64          // the simulator's randomness, as coop run --seed
	StepCost time.Duration   // board time each task step takes, as coop run --step-cost
	Options  []coop.Option   // more loop options
}

// Rig is a program's session, set up for its test, recording everything.
type Rig struct {
	Session *session.Session // the run
	Loop    *coop.Loop       // its loop, on the virtual clock
	Board   *sim.Board       // its simulated board
	// Wiring is the wiring applied to Board, or nil.
	Wiring *wiring.Diagram
	// Scenario runs the scenario, or is nil without one. Its first step
	// has run, before the program starts, as with coop run.
	Scenario *scenario.Runner
	// Trace records the board: every pin change, value, console line and
	// interrupt, at its board time (no task steps).
	Trace *trace.Recorder

	app  App
	pins []string
}

// Setup returns a rig made as cfg says. The loop is closed when the test
// ends, cancelling what still runs.
func Setup(tb testing.TB, cfg Config) *Rig {
	tb.Helper()
	r, err := setup(tb.Name(), cfg, session.Observer{
		// Shown with -v, or when the test fails.
		Failure:      func(t *coop.Task, err error) { tb.Logf("%v: unawaited failure of %v: %v", t.Loop().Now(), t, err) },
		Warning:      func(w coop.Warning) { tb.Logf("%v", w) },
		BoardWarning: func(at time.Duration, text string) { tb.Logf("%v: warning: %s", at, text) },
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Loop.Close() })
	return r
}

// setup makes a rig as cfg says, its session called name and observed
// by log. Its caller closes the loop.
func setup(name string, cfg Config, log session.Observer) (*Rig, error) {
	r := &Rig{Trace: &trace.Recorder{}}
	s, err := session.New(func(t *coop.Task, b hw.Board) error { return r.app(t, b) }, session.Config{
		Name: name, Board: cfg.Board, Wiring: cfg.Wiring, Scenario: cfg.Scenario, Parts: cfg.Parts,
		Virtual: true, Seed: cfg.Seed, StepCost: cfg.StepCost, Options: cfg.Options,
	})
	if err != nil {
		return nil, err
	}
	r.Session, r.Loop, r.Board, r.Wiring, r.Scenario = s, s.Loop(), s.Board(), s.Wiring(), s.Scenario()
	r.Board.Observe(r.Trace)
	s.Observe(log)
	s.ObservePins(func(at time.Duration, text string) { r.pins = append(r.pins, at.String()+" "+text) })
	if r.Scenario != nil {
		if err := r.Loop.RunFor(0); err != nil {
			r.Loop.Close()
			return nil, err
		}
	}
	return r, nil
}

// Recording is what the test of a program checks, recorded by [Record].
type Recording struct {
	Timed []string // the console lines with their board times, as [Rig.Timed]
	Pins  []string // the pin changes, as [Rig.Pins]
	Err   error    // what [Rig.Run] returned
	// ScenarioDone is whether the scenario, if any, was done by the end,
	// and ScenarioErr its failed expectation.
	ScenarioDone bool
	ScenarioErr  error
}

// Record runs app on a rig made as cfg says, as [Rig.Run] does for at
// most d of board time, and returns what the test of a program checks.
// `coop new --from` writes a program's test from it. The error is the
// rig's: a wiring or scenario that is not valid.
func Record(cfg Config, app App, d time.Duration) (Recording, error) {
	r, err := setup("record", cfg, session.Observer{})
	if err != nil {
		return Recording{}, err
	}
	defer r.Loop.Close()
	rec := Recording{Err: r.Run(app, d)}
	rec.Timed, rec.Pins = r.Timed(), r.Pins()
	if r.Scenario != nil {
		rec.ScenarioDone, rec.ScenarioErr = r.Scenario.Done(), r.Scenario.Err()
	}
	return rec, nil
}

// New returns a rig with a bare board of kind configured by cfg. opts are
// added to the loop's options.
func New(tb testing.TB, kind string, cfg sim.Config, opts ...coop.Option) *Rig {
	tb.Helper()
	return Setup(tb, Config{Board: kind, Seed: cfg.Seed, Options: opts})
}

// Open returns a rig for the program in directory dir, as `go run .`
// runs it there: wired by its diagram.json (without one, on a bare
// [session.DefaultBoard]), driven by its scenario.yaml if it has one.
// parts are the program's own part types, as device.WithParts gives them.
func Open(tb testing.TB, dir string, parts ...*sim.PartType) *Rig {
	tb.Helper()
	cfg := Config{Parts: parts}
	for _, in := range []struct {
		name string
		f    *session.File
	}{{"diagram.json", &cfg.Wiring}, {"scenario.yaml", &cfg.Scenario}} {
		if f, err := session.ReadFile("", filepath.Join(dir, in.name)); err == nil {
			*in.f = f
		} else if !errors.Is(err, fs.ErrNotExist) {
			tb.Fatal(err)
		}
	}
	if cfg.Wiring.Data == nil {
		cfg.Board = session.DefaultBoard
	}
	return Setup(tb, cfg)
}

// ReadFile reads a wiring or scenario file for [Config].
func ReadFile(tb testing.TB, path string) session.File {
	tb.Helper()
	f, err := session.ReadFile("", path)
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

// Run runs app as task "main" for at most d of board time and returns its
// error if it finished, or nil if it still runs at d (it stays suspended;
// the rig's cleanup cancels it). As with [coop.Run], the loop returns as
// soon as main's last step ends: tasks woken in that round do not run
// until the loop runs again or is closed. A loop error, such as a
// deadlock, is returned as is.
func (r *Rig) Run(app App, d time.Duration) error {
	l := r.Loop
	r.app = app
	main := l.Spawn("main", func(t *coop.Task) error { return app(t, r.Board) })
	timeUp := false
	h := l.CallAt(l.Now()+d, func() { timeUp = true; l.Stop() })
	defer h.Cancel()
	err := l.RunUntilComplete(main)
	if !main.Done() && timeUp {
		return nil
	}
	return err
}

// CancelAt runs app as the task "main" and, from another task, cancels it
// at board time at and waits for it; the loop runs until board time until.
// It returns whether app was done by then, the board time it was done at
// (as its canceller saw it), and what it returned.
func (r *Rig) CancelAt(tb testing.TB, app App, at, until time.Duration) (done bool, doneAt time.Duration, result error) {
	tb.Helper()
	r.app = app
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

// Lines returns the console lines printed so far, without times.
func (r *Rig) Lines() []string {
	var s []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindConsole {
			s = append(s, e.Text)
		}
	}
	return s
}

// Output returns the console as printed: every line followed by a newline.
func (r *Rig) Output() string {
	l := r.Lines()
	if len(l) == 0 {
		return ""
	}
	return strings.Join(l, "\n") + "\n"
}

// Timed returns the console lines prefixed by their board time, as
// "1.5s LED ON".
func (r *Rig) Timed() []string {
	var s []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindConsole {
			s = append(s, e.At.String()+" "+e.Text)
		}
	}
	return s
}

// Pins returns every pin change so far, with its board time and the parts
// of the wiring on the pin, as `coop run --pins` words them: "0.5s GP15
// (led1) on".
func (r *Rig) Pins() []string { return append([]string(nil), r.pins...) }

// Levels returns the changes of pin (by its canonical name: "D13", not
// "LED", on a Metro M4) as "time level" strings, "1.5s 1".
func (r *Rig) Levels(pin string) []string {
	var s []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindPin && e.Source == pin {
			v := "0"
			if e.Level {
				v = "1"
			}
			s = append(s, e.At.String()+" "+v)
		}
	}
	return s
}

// Equal reports, as an error of tb, lines that differ from want, with a
// diff (- want, + got) and both in full.
func Equal(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		tb.Errorf("%s: (- want, + got)\n%s\ngot\n\t%s\nwant\n\t%s", what, diff,
			strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
