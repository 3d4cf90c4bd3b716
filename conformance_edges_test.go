//go:build !tinygo || coop_conformance

package coop_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

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

func TestEdgeQueue(t *testing.T) {
	runAuditCases(t, []auditCase{
		{"maxsize <= 0 is unbounded: Put never waits nor yields; Cap 0, never Full (asyncio.Queue(0))",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](-1)
				t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
				for i := range 5 {
					if err := q.Put(t, i); err != nil {
						return err
					}
				}
				lg.log(t, "len %d, cap %d, full %v", q.Len(), q.Cap(), q.Full())
				return t.Sleep(0)
			}, []string{"0s len 5, cap 0, full false", "0s other runs"}, nil},
		{"TryGet on an empty queue and TryPut on a full one fail and change nothing; Get of a queued value does not yield (get_nowait, put_nowait)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[string](1)
				v, ok := q.TryGet()
				lg.log(t, "TryGet %q %v", v, ok)
				lg.log(t, "TryPut a %v, TryPut b %v, len %d", q.TryPut("a"), q.TryPut("b"), q.Len())
				t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
				v, err := q.Get(t)
				lg.log(t, "Get %q %v, len %d", v, err, q.Len())
				return t.Sleep(0)
			}, []string{`0s TryGet "" false`, "0s TryPut a true, TryPut b false, len 1", `0s Get "a" <nil>, len 0`, "0s other runs"}, nil},
		{"Close wakes a waiting getter with ErrClosed; a closed queue refuses TryPut, TryGet finds nothing, a second Close does nothing (asyncio 3.13 shutdown)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](0)
				g := t.Spawn("g", func(t *coop.Task) error {
					_, err := q.Get(t)
					lg.log(t, "g: %v, is ErrClosed %v", err, errors.Is(err, coop.ErrClosed))
					return nil
				})
				t.Sleep(ms)
				q.Close()
				q.Close()
				_, ok := q.TryGet()
				lg.log(t, "closed %v, TryPut %v, TryGet %v", q.Closed(), q.TryPut(1), ok)
				return g.Wait(t)
			}, []string{"1ms closed true, TryPut false, TryGet false", "1ms g: coop: queue closed, is ErrClosed true"}, nil},
		{"a value put, then Close, with two getters waiting: the first takes the value, the second gets ErrClosed (asyncio 3.13 shutdown, the same)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](0)
				get := func(name string) *coop.Task {
					return t.Spawn(name, func(t *coop.Task) error {
						v, err := q.Get(t)
						lg.log(t, "%s: %d %v", name, v, err)
						return nil
					})
				}
				g1, g2 := get("g1"), get("g2")
				t.Sleep(ms)
				q.TryPut(7)
				q.Close()
				return coop.Gather(t, g1, g2)
			}, []string{"1ms g1: 7 <nil>", "1ms g2: 0 coop: queue closed"}, nil},
	})
}

func TestEdgeCancel(t *testing.T) {
	runAuditCases(t, []auditCase{
		{"Cancel from a loop callback: the sleeping task's await returns ErrCancelled at the callback's time",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					lg.log(t, "x: %v", err)
					return err
				})
				l := t.Loop()
				l.CallLater(3*ms, func() { note(l, lg, "cancel %v, current %v", x.Cancel(), l.Current()) })
				err := x.Wait(t)
				lg.log(t, "x %v, cancelled %v", x.State(), errors.Is(err, coop.ErrCancelled))
				return nil
			}, []string{"3ms cancel true, current <nil>", "3ms x: coop: task cancelled", "3ms x cancelled, cancelled true"}, nil},
		{"a callback due at the instant a task's timer fires: scheduled first, its Cancel reaches the woken task's await; scheduled after, the task has run and Cancel is false (asyncio's _must_cancel, the same)",
			func(t *coop.Task, lg *logger) error {
				l := t.Loop()
				var before, after *coop.Task
				l.CallAt(5*ms, func() { note(l, lg, "cancel before: %v", before.Cancel()) })
				sleeper := func(t *coop.Task) error {
					err := t.SleepUntil(5 * ms)
					lg.log(t, "%s: %v", t.Name(), err)
					return nil
				}
				before = t.Spawn("before", sleeper)
				after = t.Spawn("after", sleeper)
				t.Sleep(0) // both have scheduled their timers
				l.CallAt(5*ms, func() { note(l, lg, "cancel after: %v", after.Cancel()) })
				return coop.Gather(t, before, after)
			}, []string{"5ms cancel before: true", "5ms before: coop: task cancelled", "5ms after: <nil>", "5ms cancel after: false"}, nil},
		{"a cancelled task's cleanup may start tasks: they are not cancelled with it and run to their end (asyncio: a new task is independent)",
			func(t *coop.Task, lg *logger) error {
				var helper *coop.Task
				x := t.Spawn("x", func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					helper = t.Spawn("helper", func(t *coop.Task) error {
						err := t.Sleep(ms)
						lg.log(t, "helper: %v", err)
						return err
					})
					return err
				})
				t.Sleep(ms)
				x.Cancel()
				lg.log(t, "x: %v", x.Wait(t))
				return helper.Wait(t)
			}, []string{"1ms x: coop: task cancelled", "2ms helper: <nil>"}, nil},
	})
}

// A Loop driven from outside, as asyncio's run_forever, run_until_complete
// and stop.
func TestEdgeLoopRuns(t *testing.T) {
	t.Run("Stop in a callback ends the run after the round: what that round woke runs in the next run", func(t *testing.T) {
		var lg logger
		l := coop.NewLoop(coop.WithVirtualClock())
		var ev coop.Event
		l.CallAt(10*ms, func() { note(l, &lg, "stop"); l.Stop() })
		l.Spawn("a", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			lg.log(t, "a wakes")
			ev.Set()
			return nil
		})
		b := l.Spawn("b", func(t *coop.Task) error { ev.Wait(t); lg.log(t, "b runs"); return nil })
		err := l.RunForever()
		note(l, &lg, "RunForever: %v, b %v", err, b.State())
		// Nothing alive, nothing pending: on the virtual clock nothing
		// could ever happen, and RunForever returns (asyncio's waits).
		err = l.RunForever()
		note(l, &lg, "RunForever: %v, b %v", err, b.State())
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		lg.check(t, "10ms stop", "10ms a wakes", "10ms RunForever: <nil>, b ready", "10ms b runs", "10ms RunForever: <nil>, b done")
	})
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
	t.Run("a Stop while the loop does not run ends the next run before its first round (asyncio runs that round, MicroPython ignores the Stop)", func(t *testing.T) {
		var lg logger
		l := coop.NewLoop(coop.WithVirtualClock())
		l.Stop()
		x := l.Spawn("x", func(t *coop.Task) error { lg.log(t, "x runs"); return nil })
		note(l, &lg, "RunForever: %v, x %v", l.RunForever(), x.State())
		note(l, &lg, "RunUntilComplete: %v, x %v", l.RunUntilComplete(x), x.State())
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		lg.check(t, "0s RunForever: <nil>, x ready", "0s x runs", "0s RunUntilComplete: <nil>, x done")
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
	t.Run("Close drops callbacks scheduled for later, as asyncio's close clears its queues", func(t *testing.T) {
		l := coop.NewLoop(coop.WithVirtualClock())
		ran := false
		h := l.CallLater(time.Second, func() { ran = true })
		x := l.Spawn("x", func(t *coop.Task) error { return t.Sleep(ms) })
		if err := l.RunUntilComplete(x); err != nil {
			t.Fatal(err)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		if cancelled := h.Cancel(); ran || l.Now() != ms || !cancelled {
			t.Errorf("after Close: ran %v at %v, Cancel %v; want not run at 1ms, still cancellable", ran, l.Now(), cancelled)
		}
	})
}

// The order of callbacks among tasks, and what a callback sees.
func TestEdgeCallbackOrder(t *testing.T) {
	runAuditCases(t, []auditCase{
		{"CallSoon from a task: the callback runs in the next round, after the tasks made ready before that round, also those made ready after the call, and before timers due then (asyncio's call_soon queues it at once, before them)",
			func(t *coop.Task, lg *logger) error {
				l := t.Loop()
				var ev coop.Event
				w := t.Spawn("w", func(t *coop.Task) error { ev.Wait(t); lg.log(t, "w runs"); return nil })
				t.Sleep(ms)
				l.CallSoon(func() { note(l, lg, "soon, current %v", l.Current()) })
				ev.Set()
				x := t.Spawn("x", func(t *coop.Task) error { lg.log(t, "x runs"); return nil })
				l.CallLater(0, func() { note(l, lg, "later(0)") })
				return coop.Gather(t, w, x)
			}, []string{"1ms w runs", "1ms x runs", "1ms soon, current <nil>", "1ms later(0)"}, nil},
		{"callbacks and tasks due at one instant run in the order their timers were scheduled, interleaved (asyncio's timer heap leaves such ties unordered)",
			func(t *coop.Task, lg *logger) error {
				l := t.Loop()
				sleeper := func(t *coop.Task) error {
					err := t.SleepUntil(5 * ms)
					lg.log(t, "%s", t.Name())
					return err
				}
				l.CallAt(5*ms, func() { note(l, lg, "cb1") })
				a := t.Spawn("a", sleeper)
				t.Sleep(0) // a schedules its timer
				l.CallAt(5*ms, func() { note(l, lg, "cb2") })
				b := t.Spawn("b", sleeper) // schedules its timer once main waits
				return coop.Gather(t, a, b)
			}, []string{"5ms cb1", "5ms a", "5ms cb2", "5ms b"}, nil},
		{"Sleep of a negative duration yields as Sleep(0) does: round robin, first in, first out",
			func(t *coop.Task, lg *logger) error {
				var ts []*coop.Task
				for _, name := range []string{"a", "b"} {
					ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
						for i := range 2 {
							lg.log(t, "%s%d", name, i)
							if err := t.Sleep(-time.Second); err != nil {
								return err
							}
						}
						return nil
					}))
				}
				return coop.Gather(t, ts...)
			}, []string{"0s a0", "0s b0", "0s a1", "0s b1"}, nil},
	})
}

func TestEdgeTimeouts(t *testing.T) {
	runAuditCases(t, []auditCase{
		{"the function's event is set at the deadline by a callback scheduled before WaitFor: the timeout, due in the same batch, wins and the function's await returns ErrCancelled (asyncio 3.12, the same)",
			func(t *coop.Task, lg *logger) error {
				var ev coop.Event
				t.Loop().CallLater(10*ms, ev.Set)
				err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
					err := ev.Wait(t)
					lg.log(t, "fn: %v", err)
					return err
				})
				lg.log(t, "WaitFor: %v, set %v", err, ev.IsSet())
				return nil
			}, []string{"10ms fn: coop: task cancelled", "10ms WaitFor: coop: timeout, set true"}, nil},
		{"nested timeouts, the outer first, the innermost cleaning up under Shield: each returns once the cleanup inside it is done",
			func(t *coop.Task, lg *logger) error {
				err := coop.WaitFor(t, 5*ms, func(t *coop.Task) error {
					err := coop.WaitFor(t, 20*ms, func(t *coop.Task) error {
						err := t.Sleep(time.Hour)
						t.Shield(func() error { return t.Sleep(3 * ms) })
						lg.log(t, "innermost cleaned up")
						return err
					})
					lg.log(t, "inner: %v", err)
					return err
				})
				lg.log(t, "outer: %v", err)
				return nil
			}, []string{"8ms innermost cleaned up", "8ms inner: coop: task cancelled", "8ms outer: coop: timeout"}, nil},
		{"a timeout over Condition.Wait: the function retakes the lock before it ends, and its deferred Release leaves it free",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				err := coop.WaitFor(t, 5*ms, func(t *coop.Task) error {
					if err := c.L.Acquire(t); err != nil {
						return err
					}
					defer c.L.Release()
					err := c.Wait(t)
					lg.log(t, "Wait: %v, locked %v", err, c.L.Locked())
					return err
				})
				lg.log(t, "WaitFor: %v, locked %v", err, c.L.Locked())
				return nil
			}, []string{"5ms Wait: coop: task cancelled, locked true", "5ms WaitFor: coop: timeout, locked false"}, nil},
	})
}

func TestEdgeTaskGroup(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	runAuditCases(t, []auditCase{
		{"a member spawns a sibling while the parent waits: Wait waits for it too (Trio's nursery.start_soon from a child)",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				g.Spawn("a", func(t *coop.Task) error {
					if err := t.Sleep(ms); err != nil {
						return err
					}
					g.Spawn("b", func(t *coop.Task) error {
						err := t.Sleep(5 * ms)
						lg.log(t, "b: %v", err)
						return err
					})
					return nil
				})
				lg.log(t, "Wait: %v", g.Wait())
				return nil
			}, []string{"6ms b: <nil>", "6ms Wait: <nil>"}, nil},
		{"a member cancelled by another task, not by the group, does not fail it: the others go on (asyncio's TaskGroup, the same)",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				m := g.Spawn("m", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				s := g.Spawn("s", func(t *coop.Task) error {
					err := t.Sleep(2 * ms)
					lg.log(t, "s: %v", err)
					return err
				})
				t.Spawn("canceller", func(t *coop.Task) error {
					err := t.Sleep(ms)
					m.Cancel()
					return err
				})
				err := g.Wait()
				lg.log(t, "Wait: %v; m %v, s %v", err, m.State(), s.State())
				return nil
			}, []string{"2ms s: <nil>", "2ms Wait: <nil>; m cancelled, s done"}, nil},
		{"failures are joined in the order the members failed, not the order they were spawned",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				g.Spawn("a", func(t *coop.Task) error {
					err := t.Sleep(time.Hour) // cancelled when b fails, it fails in its cleanup
					return errors.Join(err, errA)
				})
				g.Spawn("b", func(t *coop.Task) error {
					if err := t.Sleep(ms); err != nil {
						return err
					}
					return errB
				})
				err := g.Wait()
				lg.log(t, "Wait: %q, cancelled %v", err, errors.Is(err, coop.ErrCancelled))
				return nil
			}, []string{`1ms Wait: "b failed\na failed", cancelled false`}, nil},
	})
}

func TestEdgeCondition(t *testing.T) {
	runAuditCases(t, []auditCase{
		{"a waiter cancelled before any notification passes nothing on: the other stays waiting until notified (asyncio notifies one more, a spurious wake-up it allows); Notify of 0 or fewer wakes nobody",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				w0, w1 := condWaiter(t, lg, c, "w0"), condWaiter(t, lg, c, "w1")
				t.Sleep(ms)
				w0.Cancel()
				c.Notify(0)
				c.Notify(-1)
				t.Sleep(ms)
				lg.log(t, "w1 done %v", w1.Done())
				c.L.Acquire(t)
				c.Notify(1)
				c.L.Release()
				return coop.Gather(t, w0, w1)
			}, []string{"1ms w0: coop: task cancelled, locked true", "2ms w1 done false", "2ms w1: <nil>, locked true"}, nil},
	})
}

// A lock is not reentrant (asyncio.Lock is not either, and hangs): on the
// virtual clock a task that acquires a lock it holds is a deadlock Run
// names.
func TestEdgeLockNotReentrant(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error {
		var m coop.Lock
		if err := m.Acquire(t); err != nil {
			return err
		}
		return m.Acquire(t)
	}, coop.WithVirtualClock())
	if !errors.Is(err, coop.ErrDeadlock) || !strings.Contains(err.Error(), `"main" waits on lock`) {
		t.Errorf("Run = %v, want an ErrDeadlock naming main waiting on the lock", err)
	}
}

// A group whose Wait has returned is finished: Spawn on it panics, naming
// the task, as asyncio's create_task raises "TaskGroup is finished"; a
// second Wait returns what the first did.
func TestEdgeTaskGroupFinished(t *testing.T) {
	errA := errors.New("a failed")
	var second error
	msg := panicMessage(func() {
		mustPanicInTask(func(t *coop.Task) error {
			g := coop.NewTaskGroup(t)
			g.Spawn("a", func(*coop.Task) error { return errA })
			if err := g.Wait(); !errors.Is(err, errA) {
				return fmt.Errorf("Wait = %v, want a failed", err)
			}
			second = g.Wait()
			g.Spawn("late", func(*coop.Task) error { return nil })
			return nil
		})
	})
	if want := `coop: TaskGroup.Spawn("late") after the group's Wait returned; make a new group`; msg != want {
		t.Errorf("Spawn on a finished group panicked with %q, want %q", msg, want)
	}
	if !errors.Is(second, errA) {
		t.Errorf("second Wait = %v, want a failed again", second)
	}
}
