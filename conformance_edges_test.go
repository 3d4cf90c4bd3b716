//go:build !tinygo || coop_conformance

package coop_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/coopgo/coop"
)

// Edges of asyncio's, Trio's and MicroPython's semantics that the other
// conformance tests leave out: queues without a bound and closed ones,
// cancellation from loop callbacks, Stop and the runs of a Loop, the order
// of callbacks among tasks, timeouts that meet another wake-up at their
// instant, groups that grow while they are awaited. Each case runs on the
// virtual clock and checks the exact log; where coop differs on purpose,
// the case says what asyncio does and checks coop's documented behaviour.

// note logs a line from a loop callback, which has no task: stamped with
// the loop's time.
func note(l *coop.Loop, lg *logger, format string, args ...any) {
	lg.lines = append(lg.lines, fmt.Sprintf("%v %s", l.Now(), fmt.Sprintf(format, args...)))
}

// A Loop driven from outside, as asyncio's run_forever, run_until_complete
// and stop.
func TestEdgeLoopRuns(t *testing.T) {
	t.Run("a Stop in the round where RunUntilComplete's task ends ends that run only: the next RunFor runs its time", func(t *testing.T) {
		var lg logger
		l := coop.NewLoop(coop.WithVirtualClock())
		l.Spawn("ticker", func(t *coop.Task) error {
			for {
				if err := t.Sleep(10 * ms); err != nil {
					return err
				}
				lg.log(t, "tick")
			}
		})
		main := l.Spawn("main", func(t *coop.Task) error { t.Loop().Stop(); return nil })
		note(l, &lg, "RunUntilComplete: %v", l.RunUntilComplete(main))
		note(l, &lg, "RunFor: %v", l.RunFor(25*ms))
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		lg.check(t, "0s RunUntilComplete: <nil>", "10ms tick", "20ms tick", "25ms RunFor: <nil>")
	})
	t.Run("RunUntilComplete of a task cancelled before the loop first ran: it never runs, the run returns ErrCancelled and nothing else of the round runs (MicroPython's run_until_complete)", func(t *testing.T) {
		l := coop.NewLoop(coop.WithVirtualClock())
		var ran []string
		x := l.Spawn("x", func(t *coop.Task) error { ran = append(ran, "x"); return nil })
		y := l.Spawn("y", func(t *coop.Task) error { ran = append(ran, "y"); return nil })
		cancelled := x.Cancel()
		err := l.RunUntilComplete(x)
		if !cancelled || !errors.Is(err, coop.ErrCancelled) || len(ran) != 0 || x.State() != coop.StateCancelled || y.State() != coop.StateReady {
			t.Errorf("Cancel %v, RunUntilComplete = %v, ran %q, x %v, y %v; want true, ErrCancelled, none, cancelled, ready",
				cancelled, err, ran, x.State(), y.State())
		}
		if err := l.Close(); err != nil || len(ran) != 0 || y.State() != coop.StateCancelled {
			t.Errorf("Close = %v, ran %q, y %v; want nil, none, cancelled before it ran", err, ran, y.State())
		}
	})
}
