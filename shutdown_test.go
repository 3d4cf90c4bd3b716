package coop_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestRunCancelsLeftoversAndWaitsForTheirCleanup(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.Spawn("worker", func(t *coop.Task) error {
			for {
				if err := t.Sleep(100 * ms); err != nil {
					lg.log(t, "worker cancelled, cleaning up")
					return t.Shield(func() error {
						t.Sleep(50 * ms)
						lg.log(t, "worker clean")
						return err
					})
				}
				lg.log(t, "worker tick")
			}
		})
		t.Sleep(250 * ms)
		lg.log(t, "main returns")
		return nil
	})
	lg.check(t,
		"100ms worker tick",
		"200ms worker tick",
		"250ms main returns",
		"250ms worker cancelled, cleaning up",
		"300ms worker clean",
	)
}

func TestSpawnDuringShutdownNeverRuns(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.Spawn("worker", func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			t.Spawn("respawned", func(t *coop.Task) error {
				lg.log(t, "respawned runs")
				return nil
			})
			lg.log(t, "worker: %v", err)
			return err
		})
		return t.Sleep(ms)
	})
	lg.check(t, "1ms worker: coop: task cancelled")
}

// Run's Close cancels every leftover task, whatever it waits on, and runs
// its cleanup to the end; nothing is reported, nothing is left running.
func TestCloseWithTasksInEveryState(t *testing.T) {
	var lg logger
	var reported []error
	err := coop.Run(func(t *coop.Task) error {
		var ev coop.Event
		var m coop.Lock
		m.Acquire(t) // main never releases it
		q := coop.NewQueue[int](1)
		q.TryPut(0)
		var flag coop.ThreadSafeFlag
		spawn := func(name string, fn func(t *coop.Task) error) {
			t.Spawn(name, func(t *coop.Task) error {
				err := fn(t)
				t.Shield(func() error { return t.Sleep(ms) }) // cleanup takes time
				lg.log(t, "%s cleaned up: %v", name, errors.Is(err, coop.ErrCancelled))
				return err
			})
		}
		spawn("sleep", func(t *coop.Task) error { return t.Sleep(time.Hour) })
		spawn("yield", func(t *coop.Task) error {
			for {
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
		})
		spawn("event", ev.Wait)
		spawn("lock", m.Acquire)
		spawn("put", func(t *coop.Task) error { return q.Put(t, 1) })
		spawn("flag", flag.Wait)
		spawn("waitfor", func(t *coop.Task) error {
			return coop.WaitFor(t, time.Hour, func(t *coop.Task) error { return t.Sleep(2 * time.Hour) })
		})
		spawn("group", func(t *coop.Task) error {
			g := coop.NewTaskGroup(t)
			g.Spawn("member", func(t *coop.Task) error { return t.Sleep(time.Hour) })
			return g.Wait()
		})
		t.Spawn("never started", func(t *coop.Task) error {
			lg.log(t, "never started runs")
			return nil
		}).Cancel()
		return t.Sleep(0) // every task reaches its await
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(_ *coop.Task, err error) { reported = append(reported, err) }),
		coop.WithWarningHandler(func(w coop.Warning) { t.Errorf("warning: %v", w) }))
	if err != nil || len(reported) > 0 {
		t.Errorf("Run = %v, reported %v; want nil, nothing", err, reported)
	}
	lg.check(t,
		"1ms yield cleaned up: true", // it was in the ready queue already
		"1ms sleep cleaned up: true",
		"1ms event cleaned up: true",
		"1ms lock cleaned up: true",
		"1ms put cleaned up: true",
		"1ms flag cleaned up: true",
		"1ms waitfor cleaned up: true",
		"1ms group cleaned up: true",
	)
}

// Close with a cleanup stuck forever on the virtual clock: ErrDeadlock, the
// stuck task unwinds (its defers run), Run returns.
func TestCloseStuckCleanupVirtual(t *testing.T) {
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		t.Spawn("stuck", func(t *coop.Task) error {
			defer lg.log(t, "stuck unwound")
			t.Sleep(time.Hour)
			var never coop.Event
			return t.Shield(func() error { return never.Wait(t) })
		})
		return t.Sleep(ms)
	}, coop.WithVirtualClock())
	want := `coop: deadlock at 1ms: every task waits and nothing can wake them: "stuck" waits on event`
	if err == nil || err.Error() != want {
		t.Errorf("Run = %v, want %q", err, want)
	}
	lg.check(t, "1ms stuck unwound")
}

// On the real clock, where no deadlock can be proven, a cleanup stuck past
// the shutdown grace is named in a warning and abandoned.
func TestCloseStuckCleanupRealClock(t *testing.T) {
	var warnings []string
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		t.Spawn("stuck", func(t *coop.Task) error {
			defer func() { lg.lines = append(lg.lines, "stuck unwound") }()
			t.Sleep(time.Hour)
			var never coop.Event
			return t.Shield(func() error { return never.Wait(t) })
		})
		return t.Sleep(0)
	}, coop.WithShutdownGrace(30*ms), coop.WithWarningHandler(func(w coop.Warning) {
		warnings = append(warnings, fmt.Sprintf("%v %s %s", w.Kind, w.Task, w.Stack))
	}))
	if err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	if want := []string{"stuck cleanup stuck waiting on event"}; !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	lg.check(t, "stuck unwound")
}

// Run returns as soon as main's last step ends, as MicroPython's
// asyncio.run does: a task due at the same instant, whose sleep was
// scheduled after main's, never gets a normal step; its await returns
// ErrCancelled and it cleans up before Run returns main's error.
func TestRunReturnsRightAfterMain(t *testing.T) {
	var lg logger
	errMain := errors.New("main's result")
	err := coop.Run(func(t *coop.Task) error {
		t.Spawn("late", func(t *coop.Task) error {
			err := t.Sleep(5 * ms) // due with main, scheduled after it
			lg.log(t, "late: %v", err)
			return err
		})
		t.Spawn("callback", func(t *coop.Task) error {
			t.Loop().CallLater(5*ms, func() { lg.lines = append(lg.lines, "callback runs") })
			return nil
		})
		t.Sleep(5 * ms)
		lg.log(t, "main returns")
		return errMain
	}, coop.WithVirtualClock())
	if err != errMain {
		t.Errorf("Run = %v, want main's error", err)
	}
	// Callbacks are not tasks: one due with main still runs, during Close.
	lg.check(t, "5ms main returns", "5ms late: coop: task cancelled", "callback runs")
}
