//go:build !tinygo || coop_lifecycle

package coop_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestMisusePanics(t *testing.T) {
	tests := []struct {
		name string
		run  func()
		want string
	}{
		{"await from another task", func() {
			mustPanicInTask(func(t *coop.Task) error {
				other := t.Spawn("other", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				t.Sleep(0)
				return other.Sleep(ms)
			})
		}, `coop: Sleep called for task "other" while task "main" runs`},
		{"wait on itself", func() {
			mustPanicInTask(func(t *coop.Task) error { return t.Wait(t) })
		}, `coop: task "main" waits on itself`},
		{"gather itself", func() {
			mustPanicInTask(func(t *coop.Task) error {
				return coop.Gather(t, t.Spawn("x", func(*coop.Task) error { return nil }), t)
			})
		}, `coop: Gather: task "main" waits on itself (index 1)`},
		{"wait any on itself", func() {
			mustPanicInTask(func(t *coop.Task) error { _, err := coop.WaitAny(t, t); return err })
		}, `coop: WaitAny: task "main" waits on itself (index 0)`},
		{"ticker with a negative period", func() {
			mustPanicInTask(func(t *coop.Task) error { coop.NewTicker(t, -5*ms); return nil })
		}, "coop: NewTicker(-5ms): the period must be > 0"},
		{"closed loop", func() {
			l := coop.NewLoop(coop.WithVirtualClock())
			l.Close()
			l.Spawn("late", func(t *coop.Task) error { return nil })
		}, "coop: Spawn on a closed loop"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg := panicMessage(tt.run); !strings.HasPrefix(msg, tt.want) {
				t.Errorf("panic = %q, want it to start with %q", msg, tt.want)
			}
		})
	}
}

// A nil argument is a programmer error: the panic names the call, and Run
// still closes its loop (no goroutine is left behind).
func TestNilArgumentsNameTheCall(t *testing.T) {
	sleeper := func(t *coop.Task) error { return t.Sleep(time.Hour) }
	for _, tc := range []struct {
		name string
		run  func()
		want string
	}{
		{"Run", func() { coop.Run(nil) }, "coop: Run with a nil main function"},
		{"WithTaskEvents", func() { coop.WithTaskEvents(nil) }, "coop: WithTaskEvents(nil)"},
		{"CallSoon", func() { coop.NewLoop().CallSoon(nil) }, "coop: CallSoon with a nil function"},
		{"CallLater", func() {
			mustPanicInTask(func(t *coop.Task) error { t.Loop().CallLater(ms, nil); return nil })
		}, "coop: CallAt or CallLater with a nil function"},
		{"Spawn", func() {
			mustPanicInTask(func(t *coop.Task) error { t.Spawn("x", nil); return nil })
		}, "coop: Spawn with a nil function"},
		{"Gather", func() {
			mustPanicInTask(func(t *coop.Task) error { return coop.Gather(t, t.Spawn("a", sleeper), nil) })
		}, "coop: Gather: nil task at index 1"},
		{"WaitAny", func() {
			mustPanicInTask(func(t *coop.Task) error { _, err := coop.WaitAny(t, nil); return err })
		}, "coop: WaitAny: nil task at index 0"},
		{"Offload", func() {
			mustPanicInTask(func(t *coop.Task) error { _, err := coop.Offload[int](t, nil); return err })
		}, "coop: Offload with a nil function"},
		{"WaitFor", func() {
			mustPanicInTask(func(t *coop.Task) error { return coop.WaitFor(t, ms, nil) })
		}, "coop: WaitFor or WaitUntil with a nil function"},
		{"SpawnValue", func() {
			mustPanicInTask(func(t *coop.Task) error { coop.SpawnValue[int](t, "x", nil); return nil })
		}, "coop: SpawnValue with a nil parent task or function"},
		{"Event.Wait", func() {
			mustPanicInTask(func(t *coop.Task) error { var e coop.Event; return e.Wait(nil) })
		}, "coop: Event.Wait with a nil task"},
		{"Lock.Acquire", func() {
			mustPanicInTask(func(t *coop.Task) error { var m coop.Lock; return m.Acquire(nil) })
		}, "coop: Lock.Acquire with a nil task"},
		{"Queue.Get", func() {
			mustPanicInTask(func(t *coop.Task) error { _, err := coop.NewQueue[int](1).Get(nil); return err })
		}, "coop: Queue.Get with a nil task"},
		{"Task.Wait self", func() {
			mustPanicInTask(func(t *coop.Task) error { return t.Spawn("a", sleeper).Wait(nil) })
		}, "coop: Wait with a nil task"},
		{"Task.Wait target", func() {
			mustPanicInTask(func(t *coop.Task) error { var x *coop.Task; return x.Wait(t) })
		}, "coop: Wait on a nil task"},
		{"ThreadSafeFlag.Wait", func() {
			mustPanicInTask(func(t *coop.Task) error { var f coop.ThreadSafeFlag; return f.Wait(nil) })
		}, "coop: ThreadSafeFlag.Wait with a nil task"},
		{"Condition.WaitUntil", func() {
			mustPanicInTask(func(t *coop.Task) error {
				c := coop.NewCondition(nil)
				c.L.Acquire(t)
				return c.WaitUntil(t, nil)
			})
		}, "coop: Condition.WaitUntil with a nil predicate"},
		{"NewTicker", func() { coop.NewTicker(nil, ms) }, "coop: NewTicker with a nil task"},
		{"NewTaskGroup", func() { coop.NewTaskGroup(nil) }, "coop: NewTaskGroup with a nil parent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			if msg := panicMessage(tc.run); !strings.HasPrefix(msg, tc.want) {
				t.Errorf("panic = %q, want it to start with %q", msg, tc.want)
			}
			waitGoroutines(t, before)
		})
	}
}

// A task's await called from a goroutine the task started, while the task
// is parked, panics in that goroutine naming the call, before it touches
// the loop; the task and the loop go on.
func TestAwaitFromAnotherGoroutinePanics(t *testing.T) {
	before := runtime.NumGoroutine()
	var msg string
	err := coop.Run(func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		release := t.Loop().Hold()
		parked := make(chan struct{})
		go func() {
			defer release()
			<-parked // the task has parked: its step is over
			msg = panicMessage(func() { t.Sleep(ms) })
			flag.Set()
		}()
		t.Loop().CallSoon(func() { close(parked) })
		if err := flag.Wait(t); err != nil {
			return err
		}
		return t.Sleep(ms) // the task's own awaits still work
	}, coop.WithVirtualClock())
	if err != nil {
		t.Errorf("Run = %v, want nil", err)
	}
	want := `coop: Sleep called for task "main" while no task runs; a task's awaits must be made from its own function`
	if !strings.HasPrefix(msg, want) || !strings.Contains(msg, "another goroutine") {
		t.Errorf("panic = %q, want it to start with %q and name goroutines", msg, want)
	}
	waitGoroutines(t, before)
}
