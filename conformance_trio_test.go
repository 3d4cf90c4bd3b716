//go:build !tinygo || coop_conformance

package coop_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Conformance with Trio's cancellation semantics (trio/_core/_tests/
// test_run.py, test_cancel_*): cancellation is level-triggered, every
// blocking call is a checkpoint, shielded code runs undisturbed and the
// cancellation is delivered at the first checkpoint after the shield.

// Trio test_cancel_edge_cases / "cancellation is level-triggered": once a
// task is cancelled, every await returns ErrCancelled at once, without
// waiting, including awaits that would not block (a set event, a free lock,
// a non-empty queue, a finished task); inside Shield the same awaits work.
func TestTrioEveryAwaitIsACheckpoint(t *testing.T) {
	type env struct {
		ev   *coop.Event
		lock *coop.Lock
		q    *coop.Queue[int]
		done *coop.Task
		sem  *coop.Semaphore
		flag *coop.ThreadSafeFlag
		bar  *coop.Barrier
		cond *coop.Condition
	}
	for _, c := range []struct {
		name  string
		await func(t *coop.Task, e *env) error
	}{
		{"Sleep", func(t *coop.Task, e *env) error { return t.Sleep(ms) }},
		{"Sleep(0)", func(t *coop.Task, e *env) error { return t.Sleep(0) }},
		{"SleepUntil past", func(t *coop.Task, e *env) error { return t.SleepUntil(0) }},
		{"Check", func(t *coop.Task, e *env) error { return t.Check() }},
		{"Event.Wait set", func(t *coop.Task, e *env) error { return e.ev.Wait(t) }},
		{"Lock.Acquire free", func(t *coop.Task, e *env) error {
			err := e.lock.Acquire(t)
			if err == nil {
				e.lock.Release()
			}
			return err
		}},
		{"Semaphore.Acquire free", func(t *coop.Task, e *env) error {
			err := e.sem.Acquire(t)
			if err == nil {
				e.sem.Release()
			}
			return err
		}},
		{"Queue.Get non-empty", func(t *coop.Task, e *env) error {
			_, err := e.q.Get(t)
			if err == nil {
				e.q.TryPut(1)
			}
			return err
		}},
		{"Queue.Put with room", func(t *coop.Task, e *env) error {
			err := e.q.Put(t, 2)
			if err == nil {
				e.q.TryGet()
			}
			return err
		}},
		{"Task.Wait finished", func(t *coop.Task, e *env) error { return e.done.Wait(t) }},
		{"Gather finished", func(t *coop.Task, e *env) error { return coop.Gather(t, e.done) }},
		{"WaitAny finished", func(t *coop.Task, e *env) error { _, err := coop.WaitAny(t, e.done); return err }},
		{"WaitFor", func(t *coop.Task, e *env) error {
			return coop.WaitFor(t, ms, func(*coop.Task) error { return nil })
		}},
		{"ThreadSafeFlag.Wait set", func(t *coop.Task, e *env) error {
			e.flag.Set()
			err := e.flag.Wait(t)
			e.flag.Clear()
			return err
		}},
		{"Barrier.Wait last party", func(t *coop.Task, e *env) error { return e.bar.Wait(t) }},
		{"Condition.Wait", func(t *coop.Task, e *env) error {
			if err := e.cond.L.Acquire(t); err != nil {
				return err
			}
			defer e.cond.L.Release()
			t.Spawn("notifier", func(n *coop.Task) error {
				if err := e.cond.L.Acquire(n); err != nil {
					return err
				}
				e.cond.Notify(1)
				e.cond.L.Release()
				return nil
			})
			return e.cond.Wait(t)
		}},
		{"Condition.WaitUntil true", func(t *coop.Task, e *env) error {
			// the lock taken under Shield: the checkpoint is WaitUntil's
			if err := t.Shield(func() error { return e.cond.L.Acquire(t) }); err != nil {
				return err
			}
			defer e.cond.L.Release()
			return e.cond.WaitUntil(t, func() bool { return true })
		}},
		{"Ticker.Next", func(t *coop.Task, e *env) error { return coop.NewTicker(t, ms).Next(t) }},
		{"Offload", func(t *coop.Task, e *env) error {
			_, err := coop.Offload(t, func(context.Context) (int, error) { return 1, nil })
			return err
		}},
		{"ValueTask.Result", func(t *coop.Task, e *env) error {
			_, err := coop.SpawnValue(t, "v", func(*coop.Task) (int, error) { return 1, nil }).Result(t)
			return err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var lg logger
			runV(t, func(main *coop.Task) error {
				e := &env{ev: new(coop.Event), lock: new(coop.Lock), q: coop.NewQueue[int](2),
					sem: coop.NewSemaphore(1), flag: new(coop.ThreadSafeFlag), bar: coop.NewBarrier(1),
					cond: coop.NewCondition(nil)}
				e.ev.Set()
				e.q.TryPut(1)
				e.done = main.Spawn("done", func(*coop.Task) error { return nil })
				if err := e.done.Wait(main); err != nil {
					return err
				}
				x := main.Spawn("x", func(t *coop.Task) error {
					if err := t.Sleep(5 * ms); err != nil {
						return err
					}
					t.Cancel()
					for i := range 3 {
						err := c.await(t, e)
						lg.log(t, "await %d: cancelled=%v", i, errors.Is(err, coop.ErrCancelled))
					}
					err := t.Shield(func() error { return c.await(t, e) })
					lg.log(t, "shielded: %v", err)
					err = c.await(t, e)
					lg.log(t, "after shield: cancelled=%v", errors.Is(err, coop.ErrCancelled))
					return err
				})
				err := x.Wait(main)
				lg.log(main, "x: %v", x.State())
				return ignoreCancelled(err)
			})
			want := []string{
				"5ms await 0: cancelled=true",
				"5ms await 1: cancelled=true",
				"5ms await 2: cancelled=true",
				"", // the shielded await's time depends on the call
				"", "",
			}
			if len(lg.lines) != 6 {
				t.Fatalf("log %q", lg.lines)
			}
			want[3] = lg.lines[3][:len(lg.lines[3])-len("shielded: <nil>")] + "shielded: <nil>"
			at := lg.lines[3][:len(lg.lines[3])-len(" shielded: <nil>")]
			want[4] = at + " after shield: cancelled=true"
			want[5] = at + " x: cancelled"
			lg.check(t, want...)
		})
	}
}

// Trio test_cancel_shield_abort / test_basic_timeout-style: a cancellation
// that arrives while the task is shielded (even while it sleeps inside the
// shield) does not interrupt it; it is delivered at the first await after
// the shield, and Check inside the shield reports no cancellation.
func TestTrioShieldDefersCancellation(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			err := t.Shield(func() error {
				err := t.Sleep(20 * ms)
				lg.log(t, "shielded sleep: %v, check %v, cancelled %v", err, t.Check(), t.Cancelled())
				return err
			})
			lg.log(t, "shield returned %v", err)
			err = t.Sleep(time.Hour)
			lg.log(t, "next await: %v", err)
			return err
		})
		if err := t.Sleep(5 * ms); err != nil {
			return err
		}
		x.Cancel()
		err := x.Wait(t)
		lg.log(t, "x: %v", x.State())
		return ignoreCancelled(err)
	})
	lg.check(t,
		"20ms shielded sleep: <nil>, check <nil>, cancelled true",
		"20ms shield returned <nil>",
		"20ms next await: coop: task cancelled",
		"20ms x: cancelled")
}

// Trio test_cancel_child_cancel_parent-style: a task waiting on a child
// inside Shield is not passed a cancellation; the child runs to its end.
func TestTrioShieldedWaitDoesNotCancelChild(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			child := t.Spawn("child", func(t *coop.Task) error {
				err := t.Sleep(10 * ms)
				lg.log(t, "child: %v", err)
				return err
			})
			return t.Shield(func() error { return child.Wait(t) })
		})
		if err := t.Sleep(ms); err != nil {
			return err
		}
		x.Cancel()
		lg.log(t, "x: %v", x.Wait(t))
		return nil
	})
	lg.check(t,
		"10ms child: <nil>",
		"10ms x: <nil>")
}

// Trio "a task that ignores cancellation cannot hang the run" (coop's
// cancel limit): a task that keeps awaiting after it was cancelled is named
// in a warning and abandoned; its defers run and Run returns.
func TestTrioIgnoredCancellationAbandoned(t *testing.T) {
	var lg logger
	var warnings []coop.Warning
	err := coop.Run(func(t *coop.Task) error {
		t.Spawn("stubborn", func(t *coop.Task) error {
			defer lg.log(t, "stubborn defer")
			for {
				t.Sleep(ms) // ignores ErrCancelled
			}
		})
		return t.Sleep(3 * ms)
	}, coop.WithVirtualClock(), coop.WithCancelLimit(3), coop.WithWarningHandler(func(w coop.Warning) {
		warnings = append(warnings, w)
	}))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	lg.check(t, "3ms stubborn defer")
	if len(warnings) != 1 || warnings[0].Kind != coop.WarnIgnoredCancel || warnings[0].Task != "stubborn" ||
		warnings[0].Count != 3 {
		t.Errorf("warnings %+v, want one WarnIgnoredCancel naming stubborn after 3 awaits", warnings)
	}
}

// Trio test_timekeeping / deterministic scheduling: timers due at one
// instant all become ready, in deadline then scheduling order, before any
// task they wake runs; so a task woken first that cancels a task woken at
// the same instant finds it already woken, and that task's sleep reports
// the cancellation; a task made ready by the first runs after all of them.
func TestTrioSameInstantBatch(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		var b *coop.Task
		a := t.Spawn("a", func(t *coop.Task) error {
			if err := t.Sleep(10 * ms); err != nil {
				return err
			}
			lg.log(t, "a woke; cancel b, set event")
			b.Cancel()
			ev.Set()
			return nil
		})
		b = t.Spawn("b", func(t *coop.Task) error {
			err := t.Sleep(10 * ms)
			lg.log(t, "b: %v", err)
			return err
		})
		c := t.Spawn("c", func(t *coop.Task) error {
			err := t.Sleep(10 * ms)
			lg.log(t, "c: %v", err)
			return err
		})
		d := t.Spawn("d", func(t *coop.Task) error {
			err := ev.Wait(t)
			lg.log(t, "d: %v", err)
			return err
		})
		// Busy holds the loop past the deadlines: they fire late, in order.
		late := t.Spawn("late", func(t *coop.Task) error {
			if err := t.Sleep(30 * ms); err != nil {
				return err
			}
			t.Spawn("l2", func(t *coop.Task) error {
				err := t.SleepUntil(35 * ms)
				lg.log(t, "l2 at 35ms woke")
				return err
			})
			t.Spawn("l1", func(t *coop.Task) error {
				err := t.SleepUntil(32 * ms)
				lg.log(t, "l1 at 32ms woke")
				return err
			})
			if err := t.Sleep(0); err != nil {
				return err
			}
			t.Busy(10 * ms)
			return nil
		})
		return ignoreCancelled(coop.Gather(t, a, b, c, d, late))
	})
	lg.check(t,
		"10ms a woke; cancel b, set event",
		"10ms b: coop: task cancelled",
		"10ms c: <nil>",
		"10ms d: <nil>",
		"40ms l1 at 32ms woke",
		"40ms l2 at 35ms woke")
}
