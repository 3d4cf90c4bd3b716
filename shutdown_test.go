//go:build !tinygo || coop_lifecycle

package coop_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
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

// An Offload function that ignores its context cannot hang shutdown, on
// either clock: once the shutdown grace is over, the task waiting on it is
// named in a warning and abandoned, and Run returns.
func TestShutdownGraceAbandonsStuckOffload(t *testing.T) {
	for _, virtual := range []bool{true, false} {
		t.Run(fmt.Sprintf("virtual=%v", virtual), func(t *testing.T) {
			before := runtime.NumGoroutine()
			unblock := make(chan struct{})
			var warnings []coop.Warning
			var cleanedUp bool
			opts := []coop.Option{
				coop.WithShutdownGrace(20 * ms),
				coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }),
			}
			if virtual {
				opts = append(opts, coop.WithVirtualClock())
			}
			err := coop.Run(func(t *coop.Task) error {
				t.Spawn("stubborn", func(t *coop.Task) error {
					defer func() { cleanedUp = true }()
					_, err := coop.Offload(t, func(ctx context.Context) (int, error) {
						<-unblock // ignores ctx
						return 0, nil
					})
					return err
				})
				return t.Sleep(0) // stubborn starts its Offload; main returns
			}, opts...)
			if err != nil {
				t.Errorf("Run = %v, want nil", err)
			}
			if !cleanedUp {
				t.Error("the abandoned task's defers did not run")
			}
			if len(warnings) != 1 || warnings[0].Kind != coop.WarnStuckCleanup || warnings[0].Task != "stubborn" ||
				!strings.Contains(warnings[0].Stack, "offload: its function ignores its context") {
				t.Errorf("warnings = %q, want one stuck cleanup naming task stubborn and its offload", warnings)
			}
			close(unblock)
			waitGoroutines(t, before)
		})
	}
}

// Whatever escapes Run (a panicking error, warning or task-event handler,
// a Goexit on Run's goroutine), the loop is closed first: every task is
// cancelled and cleans up, and no goroutine is left behind.
func TestPanicEscapingRunClosesTheLoop(t *testing.T) {
	errBoom := errors.New("boom")
	failing := func(t *coop.Task) error { t.Sleep(ms); return errBoom }
	for _, tc := range []struct {
		name   string
		opts   []coop.Option
		main   func(t *coop.Task) error
		goexit bool // the handler ends Run's goroutine with runtime.Goexit
	}{
		{"error handler panics", []coop.Option{coop.WithErrorHandler(func(*coop.Task, error) { panic("handler") })},
			func(t *coop.Task) error { t.Spawn("failing", failing); return t.Sleep(time.Hour) }, false},
		{"error handler calls Goexit", []coop.Option{coop.WithErrorHandler(func(*coop.Task, error) { runtime.Goexit() })},
			func(t *coop.Task) error { t.Spawn("failing", failing); return t.Sleep(time.Hour) }, true},
		{"task event hook panics", []coop.Option{coop.WithTaskEvents(func(ev coop.TaskEvent) {
			if ev.Task.Name() == "failing" && ev.State == coop.StateRunning {
				panic("hook")
			}
		})}, func(t *coop.Task) error { t.Spawn("failing", failing); return t.Sleep(time.Hour) }, false},
		{"warning handler panics", []coop.Option{coop.WithBlockingThreshold(ms),
			coop.WithWarningHandler(func(coop.Warning) { panic("warning") })},
			func(t *coop.Task) error {
				t.Spawn("busy", func(t *coop.Task) error { t.Busy(2 * ms); return nil })
				return t.Sleep(time.Hour)
			}, false},
		{"callback panics into a panicking handler", []coop.Option{coop.WithErrorHandler(func(*coop.Task, error) { panic("handler") })},
			func(t *coop.Task) error {
				t.Loop().CallLater(ms, func() { panic("callback") })
				return t.Sleep(time.Hour)
			}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			var cleanups []string
			sleeper := func(t *coop.Task) error {
				defer func() { cleanups = append(cleanups, t.Name()) }()
				return t.Sleep(time.Hour)
			}
			done := make(chan any)
			returned := false
			go func() {
				defer func() { done <- recover() }()
				coop.Run(func(t *coop.Task) error {
					t.Spawn("s1", sleeper)
					t.Spawn("s2", sleeper)
					return tc.main(t)
				}, append([]coop.Option{coop.WithVirtualClock()}, tc.opts...)...)
				returned = true
			}()
			p := <-done
			switch {
			case tc.goexit && (p != nil || returned):
				t.Errorf("Run ended with panic %v, returned %v; want the Goexit to go on", p, returned)
			case !tc.goexit && p == nil:
				t.Errorf("Run returned; want the handler's panic to go on")
			}
			slices.Sort(cleanups)
			if !slices.Equal(cleanups, []string{"s1", "s2"}) {
				t.Errorf("tasks cleaned up: %v, want s1 and s2", cleanups)
			}
			waitGoroutines(t, before)
		})
	}
}

// A task that calls runtime.Goexit (t.FailNow in a test) ends with an error
// wrapping ErrGoexit and naming it; the loop and Run's caller go on.
func TestGoexitInTaskBecomesItsError(t *testing.T) {
	before := runtime.NumGoroutine()
	var childErr error
	cleaned := false
	err := coop.Run(func(t *coop.Task) error {
		child := t.Spawn("quitter", func(t *coop.Task) error {
			defer func() { cleaned = true }()
			t.Sleep(ms)
			runtime.Goexit()
			return nil
		})
		childErr = child.Wait(t)
		if err := t.Sleep(ms); err != nil { // the loop goes on
			return err
		}
		runtime.Goexit() // main too
		return nil
	}, coop.WithVirtualClock())
	if !errors.Is(childErr, coop.ErrGoexit) || !strings.Contains(childErr.Error(), `task "quitter"`) {
		t.Errorf("child's error = %v, want ErrGoexit naming the task", childErr)
	}
	if !cleaned {
		t.Error("the task's defers did not run")
	}
	if !errors.Is(err, coop.ErrGoexit) || !strings.Contains(err.Error(), `task "main"`) {
		t.Errorf("Run = %v, want ErrGoexit naming main", err)
	}
	waitGoroutines(t, before)
}
