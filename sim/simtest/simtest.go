// Package simtest runs programs on simulated boards in tests: a board on a
// virtual-clock loop, traced, with the console at hand.
//
//	func TestBlink(t *testing.T) {
//		r := simtest.New(t, "pico2w", sim.Config{})
//		if err := r.Run(blink.App, 3*time.Second); err != nil {
//			t.Fatal(err)
//		}
//		if got := r.Lines(); …
//	}
//
// Its fields are exported: attach parts to r.Board before Run, script the
// world on r.Loop, read r.Trace after.
package simtest

import (
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// App is a program as the examples write it.
type App func(t *coop.Task, b hw.Board) error

// Rig is a simulated board on a virtual-clock loop, recording everything.
type Rig struct {
	Loop  *coop.Loop
	Board *sim.Board
	Trace *trace.Recorder
}

// New returns a rig with a board of kind configured by cfg. The loop is
// closed when the test ends, cancelling what still runs. Options are added
// to the loop's, after WithVirtualClock.
func New(tb testing.TB, kind string, cfg sim.Config, opts ...coop.Option) *Rig {
	tb.Helper()
	l := coop.NewLoop(append([]coop.Option{coop.WithVirtualClock()}, opts...)...)
	tb.Cleanup(func() { l.Close() })
	b, err := sim.NewBoard(l, kind, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	r := &Rig{Loop: l, Board: b, Trace: &trace.Recorder{}}
	b.Observe(r.Trace)
	return r
}

// Run runs app as task "main" for at most d of board time and returns its
// error if it finished, or nil if it still runs at d (it stays suspended;
// the rig's cleanup cancels it). As with [coop.Run], the loop returns as
// soon as main's last step ends: tasks woken in that round do not run
// until the loop runs again or is closed. A loop error, such as a
// deadlock, is returned as is.
func (r *Rig) Run(app App, d time.Duration) error {
	l := r.Loop
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
