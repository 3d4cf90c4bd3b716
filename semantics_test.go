//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// The documented semantics of asyncio (locks, queues, tasks), Trio
// (nurseries, shielded cleanup) and MicroPython's asyncio, case by case,
// for what the conformance tests do not cover yet. Each case names the
// behaviour and where it is documented; where coop deliberately differs,
// the case says so and checks coop's documented behaviour.

// semCase is a program run on the virtual clock and the log it must write.
type semCase struct {
	name string
	run  func(t *coop.Task, lg *logger) error
	want []string
}

func runSemCases(t *testing.T, cases []semCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runLogged(t, c.run, c.want, nil) })
	}
}

func TestConditionSemantics(t *testing.T) {
	runSemCases(t, []semCase{
		{"cancelled while it retakes the lock: ErrCancelled, lock held, notification passed on (asyncio test_cancelled_error_re_aquire)",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				a := condWaiter(t, lg, c, "a")
				b := condWaiter(t, lg, c, "b")
				t.Sleep(ms)
				c.L.Acquire(t)
				c.Notify(1) // to a, which then waits for the lock main holds
				t.Sleep(ms)
				a.Cancel()
				c.L.Release()
				return coop.Gather(t, a, b)
			}, []string{"2ms a: coop: task cancelled, locked true", "2ms b: <nil>, locked true"}},
		{"a consumer cancelled while it retakes the lock leaves the item to the next consumer (asyncio test_cancelled_wakeup_relock)",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				state := 0
				consumer := func(t *coop.Task) error {
					c.L.Acquire(t)
					defer c.L.Release()
					for {
						if err := c.WaitUntil(t, func() bool { return state != 0 }); err != nil {
							lg.log(t, "%s: %v", t.Name(), err)
							return nil
						}
						if state < 0 {
							return nil
						}
						state--
						lg.log(t, "%s consumed", t.Name())
					}
				}
				c0 := t.Spawn("c0", consumer)
				c1 := t.Spawn("c1", consumer)
				t.Sleep(0)
				c.L.Acquire(t)
				state++
				c.Notify(1)
				t.Sleep(0) // c0 wakes and waits to retake the lock
				c0.Cancel()
				c.L.Release()
				t.Sleep(ms)
				lg.log(t, "state %d", state)
				c.L.Acquire(t)
				state = -1
				c.NotifyAll()
				c.L.Release()
				return coop.Gather(t, c0, c1)
			}, []string{"0s c0: coop: task cancelled", "0s c1 consumed", "1ms state 0"}},
		{"Notify(n) wakes n waiters first come, first served; a notification with nobody waiting is not kept (asyncio Condition.notify)",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				c.L.Acquire(t)
				c.Notify(3) // nobody waits: nothing happens
				c.L.Release()
				var ws []*coop.Task
				for i := range 4 {
					ws = append(ws, condWaiter(t, lg, c, fmt.Sprint("w", i)))
				}
				t.Sleep(ms)
				c.L.Acquire(t)
				c.Notify(0)
				c.Notify(2)
				c.L.Release()
				t.Sleep(ms)
				c.L.Acquire(t)
				c.NotifyAll()
				c.L.Release()
				return coop.Gather(t, ws...)
			}, []string{"1ms w0: <nil>, locked true", "1ms w1: <nil>, locked true",
				"2ms w2: <nil>, locked true", "2ms w3: <nil>, locked true"}},
		{"WaitUntil checks the predicate with the lock held at each notification (asyncio Condition.wait_for)",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				value := 0
				w := t.Spawn("w", func(t *coop.Task) error {
					if err := c.L.Acquire(t); err != nil {
						return err
					}
					defer c.L.Release()
					err := c.WaitUntil(t, func() bool {
						lg.log(t, "predicate: value %d, locked %v", value, c.L.Locked())
						return value == 2
					})
					lg.log(t, "WaitUntil: %v", err)
					return err
				})
				for i := range 2 {
					t.Sleep(ms)
					c.L.Acquire(t)
					value = i + 1
					c.NotifyAll()
					c.L.Release()
				}
				return w.Wait(t)
			}, []string{"0s predicate: value 0, locked true", "1ms predicate: value 1, locked true",
				"2ms predicate: value 2, locked true", "2ms WaitUntil: <nil>"}},
		{"WaitUntil with a true predicate returns without waiting or yielding",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
				c.L.Acquire(t)
				err := c.WaitUntil(t, func() bool { return true })
				lg.log(t, "WaitUntil: %v, locked %v", err, c.L.Locked())
				c.L.Release()
				return t.Sleep(0)
			}, []string{"0s WaitUntil: <nil>, locked true", "0s other runs"}},
		{"Wait by a task already cancelled fails at once and keeps the lock (no one else takes it)",
			func(t *coop.Task, lg *logger) error {
				c := coop.NewCondition(nil)
				x := t.Spawn("x", func(t *coop.Task) error {
					c.L.Acquire(t)
					defer c.L.Release()
					t.Cancel()
					err := c.Wait(t)
					lg.log(t, "x: %v, locked %v", err, c.L.Locked())
					return err
				})
				y := t.Spawn("y", func(t *coop.Task) error {
					err := c.L.Acquire(t)
					lg.log(t, "y acquired: %v", err)
					c.L.Release()
					return err
				})
				return ignoreCancelled(coop.Gather(t, x, y))
			}, []string{"0s x: coop: task cancelled, locked true", "0s y acquired: <nil>"}},
	})
}

func TestLockSemantics(t *testing.T) {
	if msg := panicMessage(func() { var m coop.Lock; m.Release() }); !strings.Contains(msg, "Lock.Release of an unlocked lock") {
		t.Errorf("Release of an unlocked lock panicked with %q, want it named (asyncio raises RuntimeError)", msg)
	}
	runSemCases(t, []semCase{
		{"a task that releases and acquires again queues behind the waiter it handed the lock to (asyncio: no barging)",
			func(t *coop.Task, lg *logger) error {
				var m coop.Lock
				m.Acquire(t)
				w := t.Spawn("w", func(t *coop.Task) error {
					if err := m.Acquire(t); err != nil {
						return err
					}
					lg.log(t, "w holds")
					err := t.Sleep(ms)
					lg.log(t, "w releases")
					m.Release()
					return err
				})
				t.Sleep(ms)
				m.Release()
				if err := m.Acquire(t); err != nil {
					return err
				}
				lg.log(t, "main holds again")
				m.Release()
				return w.Wait(t)
			}, []string{"1ms w holds", "2ms w releases", "2ms main holds again"}},
		{"a holder cancelled mid-section releases in its defer: the lock goes to the next waiter, not left held",
			func(t *coop.Task, lg *logger) error {
				var m coop.Lock
				holder := t.Spawn("holder", func(t *coop.Task) error {
					m.Acquire(t)
					defer m.Release()
					return t.Sleep(time.Hour)
				})
				next := t.Spawn("next", func(t *coop.Task) error {
					err := m.Acquire(t)
					lg.log(t, "next: %v", err)
					m.Release()
					return err
				})
				t.Sleep(ms)
				holder.Cancel()
				err := next.Wait(t)
				lg.log(t, "holder %v, locked %v", holder.State(), m.Locked())
				return err
			}, []string{"1ms next: <nil>", "1ms holder cancelled, locked false"}},
	})
}

func TestSemaphoreSemantics(t *testing.T) {
	var zero coop.Semaphore
	if zero.TryAcquire() || zero.Available() != 0 {
		t.Errorf("zero Semaphore: TryAcquire true or Available %d, want no permits", zero.Available())
	}
	if msg := panicMessage(func() { coop.NewSemaphore(-1) }); !strings.Contains(msg, "NewSemaphore(-1)") {
		t.Errorf("NewSemaphore(-1) panicked with %q", msg)
	}
	runSemCases(t, []semCase{
		{"Release beyond the initial count adds a permit (asyncio.Semaphore; coop has no BoundedSemaphore)",
			func(t *coop.Task, lg *logger) error {
				s := coop.NewSemaphore(1)
				s.Release()
				lg.log(t, "available %d; TryAcquire %v %v %v", s.Available(), s.TryAcquire(), s.TryAcquire(), s.TryAcquire())
				return nil
			}, []string{"0s available 2; TryAcquire true true false"}},
		{"a permit released while a task waits goes to it: the releaser cannot take it back (asyncio 3.11.1+ fairness)",
			func(t *coop.Task, lg *logger) error {
				s := coop.NewSemaphore(1)
				s.Acquire(t)
				w := t.Spawn("w", func(t *coop.Task) error {
					err := s.Acquire(t)
					lg.log(t, "w acquired: %v", err)
					s.Release()
					return err
				})
				t.Sleep(ms)
				s.Release()
				lg.log(t, "TryAcquire %v, available %d", s.TryAcquire(), s.Available())
				err := w.Wait(t)
				lg.log(t, "available %d", s.Available())
				return err
			}, []string{"1ms TryAcquire false, available 0", "1ms w acquired: <nil>", "1ms available 1"}},
		{"permits are granted in the order asked; a free permit is taken at once, even while a task woken with its own permit has not run yet (asyncio test_acquire_fifo_order_2 makes the asker wait for it: only the order of the steps differs)",
			func(t *coop.Task, lg *logger) error {
				s := coop.NewSemaphore(1)
				var ts []*coop.Task
				for i := 1; i <= 3; i++ {
					ts = append(ts, t.Spawn(fmt.Sprint("t", i), func(t *coop.Task) error {
						if err := s.Acquire(t); err != nil {
							return err
						}
						lg.log(t, "t%d acquired", i)
						if i != 2 {
							return nil
						}
						s.Release()
						if err := s.Acquire(t); err != nil {
							return err
						}
						lg.log(t, "t2 acquired again")
						return nil
					}))
				}
				t.Sleep(0)
				s.Release() // to t2
				s.Release() // to t3
				return coop.Gather(t, ts...)
			}, []string{"0s t1 acquired", "0s t2 acquired", "0s t2 acquired again", "0s t3 acquired"}},
	})
}

func TestEventSemantics(t *testing.T) {
	runSemCases(t, []semCase{
		{"Set then Clear in one step: the waiters are woken all the same, in order; later Waits block (asyncio test_clear_with_waiters)",
			func(t *coop.Task, lg *logger) error {
				var ev coop.Event
				var ws []*coop.Task
				for i := range 3 {
					ws = append(ws, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
						err := ev.Wait(t)
						lg.log(t, "w%d: %v", i, err)
						return err
					}))
				}
				t.Sleep(ms)
				ev.Set()
				ev.Clear()
				late := t.Spawn("late", func(t *coop.Task) error {
					err := ev.Wait(t)
					lg.log(t, "late: %v", err)
					return err
				})
				t.Sleep(ms)
				lg.log(t, "set %v, late done %v", ev.IsSet(), late.Done())
				ev.Set()
				return coop.Gather(t, append(ws, late)...)
			}, []string{"1ms w0: <nil>", "1ms w1: <nil>", "1ms w2: <nil>", "2ms set false, late done false", "2ms late: <nil>"}},
	})
}

func TestBarrierSemantics(t *testing.T) {
	runSemCases(t, []semCase{
		{"one party: Wait passes at once, without yielding",
			func(t *coop.Task, lg *logger) error {
				b := coop.NewBarrier(1)
				t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
				lg.log(t, "wait: %v %v", b.Wait(t), b.Wait(t))
				return t.Sleep(0)
			}, []string{"0s wait: <nil> <nil>", "0s other runs"}},
		{"rounds pass when the last party arrives, which passes first; the barrier is reused (asyncio.Barrier)",
			func(t *coop.Task, lg *logger) error {
				b := coop.NewBarrier(3)
				var ts []*coop.Task
				for i, name := range []string{"a", "b", "c"} {
					ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
						for round := 1; round <= 2; round++ {
							if err := t.Sleep(time.Duration(i+1) * ms); err != nil {
								return err
							}
							if err := b.Wait(t); err != nil {
								return err
							}
							lg.log(t, "%s passed %d", name, round)
						}
						return nil
					}))
				}
				t.Sleep(5 * ms)
				lg.log(t, "waiting %d", b.Waiting())
				return coop.Gather(t, ts...)
			}, []string{"3ms c passed 1", "3ms a passed 1", "3ms b passed 1",
				"5ms waiting 1", // main's sleep, scheduled first, ends before b's: b has not arrived
				"6ms c passed 2", "6ms a passed 2", "6ms b passed 2"}},
	})
}

func TestQueueSemantics(t *testing.T) {
	runSemCases(t, []semCase{
		{"waiting getters are served first come, first served (asyncio Queue.get)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](0)
				var gs []*coop.Task
				for i := range 3 {
					gs = append(gs, t.Spawn(fmt.Sprint("g", i), func(t *coop.Task) error {
						v, err := q.Get(t)
						lg.log(t, "g%d got %d", i, v)
						return err
					}))
				}
				t.Sleep(ms)
				for v := range 3 {
					q.TryPut(10 + v)
				}
				return coop.Gather(t, gs...)
			}, []string{"1ms g0 got 10", "1ms g1 got 11", "1ms g2 got 12"}},
		{"waiting putters' values arrive in the order they waited (asyncio Queue.put)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](1)
				q.TryPut(0)
				var ps []*coop.Task
				for i := 1; i <= 3; i++ {
					ps = append(ps, t.Spawn(fmt.Sprint("p", i), func(t *coop.Task) error { return q.Put(t, i) }))
				}
				t.Sleep(ms)
				for range 4 {
					v, err := q.Get(t)
					if err != nil {
						return err
					}
					lg.log(t, "got %d", v)
					t.Sleep(ms)
				}
				return coop.Gather(t, ps...)
			}, []string{"1ms got 0", "2ms got 1", "3ms got 2", "4ms got 3"}},
		{"a value taken with TryGet before the woken getter resumes: the getter waits on, nothing is duplicated",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](0)
				g := t.Spawn("g", func(t *coop.Task) error {
					v, err := q.Get(t)
					lg.log(t, "g got %d", v)
					return err
				})
				t.Sleep(ms)
				q.TryPut(1)
				v, _ := q.TryGet()
				lg.log(t, "main took %d", v)
				t.Sleep(ms)
				lg.log(t, "g %v, len %d", g.State(), q.Len())
				q.TryPut(2)
				return g.Wait(t)
			}, []string{"1ms main took 1", "2ms g waiting, len 0", "2ms g got 2"}},
		{"Close: a putter woken for a free slot, not yet resumed, gets ErrClosed and its value is not added (asyncio 3.13 shutdown)",
			func(t *coop.Task, lg *logger) error {
				q := coop.NewQueue[int](1)
				q.TryPut(1)
				p := t.Spawn("p", func(t *coop.Task) error {
					err := q.Put(t, 2)
					lg.log(t, "put: %v", err)
					return nil
				})
				t.Sleep(ms)
				v, _ := q.TryGet() // wakes p for the free slot
				q.Close()
				if err := p.Wait(t); err != nil {
					return err
				}
				_, err := q.Get(t)
				lg.log(t, "took %d; len %d; Get: %v", v, q.Len(), errors.Is(err, coop.ErrClosed))
				return nil
			}, []string{"1ms put: coop: queue closed", "1ms took 1; len 0; Get: true"}},
	})
}

// MicroPython's asyncio: interrupts reach tasks through a ThreadSafeFlag
// (an Event is not safe from an interrupt, in MicroPython as in coop),
// and wait_for_ms bounds a wait on one.
func TestMicroPythonInterruptSemantics(t *testing.T) {
	runSemCases(t, []semCase{
		{"wait_for_ms on a ThreadSafeFlag: the timed-out waiter leaves the flag, and the next Set reaches the next Wait",
			func(t *coop.Task, lg *logger) error {
				var flag coop.ThreadSafeFlag
				err := coop.WaitFor(t, 5*ms, flag.Wait)
				lg.log(t, "wait_for_ms: timeout %v", errors.Is(err, coop.ErrTimeout))
				release := t.Loop().Hold() // the "interrupt" runs on a goroutine
				go func() {
					defer release()
					flag.Set()
				}()
				lg.log(t, "Wait: %v", flag.Wait(t))
				return nil
			}, []string{"5ms wait_for_ms: timeout true", "5ms Wait: <nil>"}},
		{"an Event is set on the loop from the interrupt's callback (Loop.CallSoon), waking every waiter",
			func(t *coop.Task, lg *logger) error {
				var ev coop.Event
				var ws []*coop.Task
				for i := range 2 {
					ws = append(ws, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
						err := ev.Wait(t)
						lg.log(t, "w%d: %v", i, err)
						return err
					}))
				}
				t.Sleep(ms)
				release := t.Loop().Hold()
				go func() {
					defer release()
					t.Loop().CallSoon(ev.Set)
				}()
				return coop.Gather(t, ws...)
			}, []string{"1ms w0: <nil>", "1ms w1: <nil>"}},
	})
}

// Trio's nursery and asyncio's TaskGroup: the first failure cancels the
// siblings, their shielded cleanup runs to its end before Wait returns,
// and Wait returns every failure joined, without the cancellations it
// caused.
func TestTaskGroupSemantics(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed in cleanup")
	runSemCases(t, []semCase{
		{"first failure cancels the siblings; shielded cleanup finishes first; failures joined (Trio nursery)",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				g.Spawn("a", func(t *coop.Task) error { t.Sleep(2 * ms); return errA })
				g.Spawn("b", func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					t.Shield(func() error { return t.Sleep(3 * ms) })
					lg.log(t, "b cleaned up after %v", err)
					return errors.Join(err, errB)
				})
				g.Spawn("c", func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					lg.log(t, "c: %v", err)
					return err
				})
				err := g.Wait()
				lg.log(t, "Wait: a %v, b %v, cancelled %v", errors.Is(err, errA), errors.Is(err, errB),
					errors.Is(err, coop.ErrCancelled))
				return nil
			}, []string{"2ms c: coop: task cancelled", "5ms b cleaned up after coop: task cancelled",
				"5ms Wait: a true, b true, cancelled false"}},
		{"a member spawned after a failure never runs (asyncio: the group is shutting down)",
			func(t *coop.Task, lg *logger) error {
				g := coop.NewTaskGroup(t)
				g.Spawn("a", func(t *coop.Task) error { return errA })
				t.Sleep(ms)
				late := g.Spawn("late", func(t *coop.Task) error { lg.log(t, "late runs"); return nil })
				err := g.Wait()
				lg.log(t, "Wait: %v; late %v", err, late.State())
				return nil
			}, []string{"1ms Wait: a failed; late cancelled"}},
		{"nested groups: an inner failure cancels the outer siblings and reaches the outer Wait",
			func(t *coop.Task, lg *logger) error {
				outer := coop.NewTaskGroup(t)
				outer.Spawn("inner parent", func(t *coop.Task) error {
					inner := coop.NewTaskGroup(t)
					inner.Spawn("x", func(t *coop.Task) error { t.Sleep(ms); return errA })
					inner.Spawn("y", func(t *coop.Task) error { return t.Sleep(time.Hour) })
					return inner.Wait()
				})
				sibling := outer.Spawn("sibling", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				err := outer.Wait()
				lg.log(t, "Wait: %v; sibling %v", err, sibling.State())
				return nil
			}, []string{"1ms Wait: a failed; sibling cancelled"}},
	})
}

// Edges a Go programmer meets that asyncio has no word for, or where Go's
// shape changes the question.
func TestTaskEdgeSemantics(t *testing.T) {
	errV := errors.New("value")
	runSemCases(t, []semCase{
		{"Cancel of a done task returns false and leaves its state and result (asyncio Task.cancel)",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { return errV })
				y := t.Spawn("y", func(t *coop.Task) error { return nil })
				lg.log(t, "x: %v", x.Wait(t))
				y.Wait(t)
				lg.log(t, "cancel %v %v; x %v %v, y %v %v, cancelled %v", x.Cancel(), y.Cancel(),
					x.State(), x.Err(), y.State(), y.Err(), y.Cancelled())
				return nil
			}, []string{"0s x: value", "0s cancel false false; x failed value, y done <nil>, cancelled false"}},
		{"cancelled before its first step: Cancel is true until it is done, the body never runs, Wait returns ErrCancelled",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { lg.log(t, "x runs"); return nil })
				lg.log(t, "cancel %v %v", x.Cancel(), x.Cancel())
				err := x.Wait(t)
				lg.log(t, "Wait: %v, %v; cancel %v", err, x.State(), x.Cancel())
				return nil
			}, []string{"0s cancel true true", "0s Wait: coop: task cancelled, cancelled; cancel false"}},
		{"a task that returns nil after its cancellation is done, not cancelled (asyncio: the cancellation was suppressed), also when it cancelled itself just before (asyncio test_cancel_at_end: cancelled)",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { t.Sleep(time.Hour); return nil })
				y := t.Spawn("y", func(t *coop.Task) error { t.Cancel(); return nil })
				t.Sleep(ms)
				x.Cancel()
				lg.log(t, "x: %v; %v, Cancelled %v", x.Wait(t), x.State(), x.Cancelled())
				lg.log(t, "y: %v; %v, Cancelled %v", y.Wait(t), y.State(), y.Cancelled())
				return nil
			}, []string{"1ms x: <nil>; done, Cancelled true", "1ms y: <nil>; done, Cancelled true"}},
		{"a panic is the task's result: a *PanicError with the stack, errors.Is sees a panicked error",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { panic(fmt.Errorf("wrapped: %w", errV)) })
				err := x.Wait(t)
				var pe *coop.PanicError
				lg.log(t, "%v; As %v, stack %v, Is %v, %v", err, errors.As(err, &pe),
					pe != nil && (runtime.Compiler == "tinygo" || strings.Contains(string(pe.Stack), "semantics_test.go")), errors.Is(err, errV), x.State())
				return nil
			}, []string{"0s panic: wrapped: value; As true, stack true, Is true, failed"}},
		{"Spawn through a finished task's handle starts a task on the loop; its parent is the task that spawned it",
			func(t *coop.Task, lg *logger) error {
				x := t.Spawn("x", func(t *coop.Task) error { return nil })
				x.Wait(t)
				y := x.Spawn("y", func(t *coop.Task) error { lg.log(t, "y runs"); return nil })
				err := y.Wait(t)
				lg.log(t, "y: %v, parent main %v", err, y.ParentID() == t.ID())
				return err
			}, []string{"0s y runs", "0s y: <nil>, parent main true"}},
		{"Run inside a task runs its own loop to the end within that step, as a blocking call (asyncio.run refuses)",
			func(t *coop.Task, lg *logger) error {
				t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
				err := coop.Run(func(inner *coop.Task) error {
					inner.Sleep(5 * ms)
					lg.log(inner, "inner loop at its 5ms")
					return errV
				}, coop.WithVirtualClock())
				lg.log(t, "nested Run: %v", err)
				return t.Sleep(0)
			}, []string{"5ms inner loop at its 5ms", "0s nested Run: value", "0s other runs"}},
	})
}

// What a new user declares with var: Event, Lock, ThreadSafeFlag and Queue
// work as zero values; the types that need a size, a lock, a parent or a
// period say so when used without their constructor, instead of failing on
// an index, a nil pointer or a division by zero, or waiting forever.
func TestZeroValues(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var q coop.Queue[int]
		g := t.Spawn("g", func(t *coop.Task) error {
			for range 3 {
				v, err := q.Get(t)
				if err != nil {
					return err
				}
				lg.log(t, "got %d", v)
			}
			return nil
		})
		lg.log(t, "zero Queue: TryPut %v %v, cap %d, full %v", q.TryPut(1), q.TryPut(2), q.Cap(), q.Full())
		t.Sleep(ms)
		if err := q.Put(t, 3); err != nil {
			return err
		}
		return g.Wait(t)
	})
	lg.check(t, "0s zero Queue: TryPut true true, cap 0, full false", "0s got 1", "0s got 2", "1ms got 3")

	for _, c := range []struct {
		name string
		use  func(t *coop.Task)
		want string
	}{
		{"RingQueue.Put", func(*coop.Task) { var r coop.RingQueue[int]; r.Put(1) },
			"coop: RingQueue.Put on a RingQueue not made with NewRingQueue; make one with NewRingQueue(size)"},
		{"RingQueue.Get", func(t *coop.Task) { var r coop.RingQueue[int]; r.Get(t) },
			"coop: RingQueue.Get on a RingQueue not made with NewRingQueue; make one with NewRingQueue(size)"},
		{"Condition.Wait", func(t *coop.Task) { var c coop.Condition; c.Wait(t) },
			"coop: Condition.Wait on a Condition without a lock; make one with NewCondition"},
		{"Barrier.Wait", func(t *coop.Task) { var b coop.Barrier; b.Wait(t) },
			"coop: Barrier.Wait on a Barrier not made with NewBarrier, which would never fill; make one with NewBarrier(parties)"},
		{"TaskGroup.Spawn", func(t *coop.Task) { var g coop.TaskGroup; g.Spawn("x", func(*coop.Task) error { return nil }) },
			"coop: TaskGroup.Spawn on a TaskGroup not made with NewTaskGroup; make one with NewTaskGroup(self)"},
		{"TaskGroup.Wait", func(t *coop.Task) { var g coop.TaskGroup; g.Wait() },
			"coop: TaskGroup.Wait on a TaskGroup not made with NewTaskGroup; make one with NewTaskGroup(self)"},
		{"Ticker.Next", func(t *coop.Task) { var tk coop.Ticker; tk.Next(t) },
			"coop: Ticker.Next on a Ticker not made with NewTicker; make one with NewTicker(self, period)"},
	} {
		msg := panicMessage(func() { mustPanicInTask(func(t *coop.Task) error { c.use(t); return nil }) })
		if msg != c.want {
			t.Errorf("zero %s panicked with %q, want %q", c.name, msg, c.want)
		}
	}
}

// A task can only await tasks of its own loop: the end of a task on
// another loop would wake it on the wrong one (asyncio: "attached to a
// different loop").
func TestWaitOnAnotherLoopPanics(t *testing.T) {
	other := coop.NewLoop(coop.WithVirtualClock())
	x := other.Spawn("x", func(t *coop.Task) error { return nil })
	defer other.Close()
	for _, c := range []struct {
		call  string
		await func(t *coop.Task)
	}{
		{"Wait", func(t *coop.Task) { x.Wait(t) }},
		{"Gather", func(t *coop.Task) { coop.Gather(t, x) }},
		{"WaitAny", func(t *coop.Task) { coop.WaitAny(t, x) }},
	} {
		msg := panicMessage(func() {
			mustPanicInTask(func(t *coop.Task) error { c.await(t); return nil })
		})
		want := fmt.Sprintf("coop: %s: task \"main\" waits on task \"x\" of another loop", c.call)
		if !strings.HasPrefix(msg, want) {
			t.Errorf("%s on another loop's task panicked with %q, want %q…", c.call, msg, want)
		}
	}
}

// A running loop refuses to be run again, or closed, from one of its tasks
// (asyncio: "This event loop is already running", "Cannot close a running
// event loop"); Run, which makes a loop of its own, is
// TestTaskEdgeSemantics' nested case.
func TestRunningLoopRefusesToRunAgain(t *testing.T) {
	for _, c := range []struct {
		name string
		run  func(l *coop.Loop, x *coop.Task)
		want string
	}{
		{"RunUntilComplete", func(l *coop.Loop, x *coop.Task) { l.RunUntilComplete(x) }, "coop: the loop is already running"},
		{"RunForever", func(l *coop.Loop, x *coop.Task) { l.RunForever() }, "coop: the loop is already running"},
		{"RunFor", func(l *coop.Loop, x *coop.Task) { l.RunFor(ms) }, "coop: the loop is already running"},
		{"Close", func(l *coop.Loop, x *coop.Task) { l.Close() }, "coop: Close called while the loop runs"},
	} {
		msg := panicMessage(func() {
			mustPanicInTask(func(t *coop.Task) error {
				c.run(t.Loop(), t.Spawn("x", func(t *coop.Task) error { return nil }))
				return nil
			})
		})
		if !strings.HasPrefix(msg, c.want) {
			t.Errorf("%s from a task of the running loop panicked with %q, want %q…", c.name, msg, c.want)
		}
	}
}

// asyncio.run: once main returns, the tasks left are cancelled and run their
// cleanup; a failure in that cleanup goes to the exception handler, and
// run returns main's result.
func TestRunShutdownSemantics(t *testing.T) {
	errMain, errCleanup := errors.New("main failed"), errors.New("cleanup failed")
	for _, c := range []struct {
		name     string
		main     func(t *coop.Task) error
		wantErr  string
		reported []string
	}{
		{"leftovers' cleanup failures are reported; Run returns main's error", func(t *coop.Task) error {
			t.Spawn("joined", func(t *coop.Task) error { return errors.Join(t.Sleep(time.Hour), errCleanup) })
			t.Spawn("replaced", func(t *coop.Task) error { t.Sleep(time.Hour); return errCleanup })
			t.Spawn("panics", func(t *coop.Task) error { t.Sleep(time.Hour); panic("in cleanup") })
			t.Spawn("clean", func(t *coop.Task) error { return t.Sleep(time.Hour) })
			t.Sleep(ms)
			return errMain
		}, "main failed", []string{
			"1ms joined: coop: task cancelled\ncleanup failed",
			"1ms replaced: cleanup failed",
			"1ms panics: panic: in cleanup"}},
		{"main panics: the leftovers still clean up; Run returns the *PanicError", func(t *coop.Task) error {
			t.Spawn("leftover", func(t *coop.Task) error {
				err := t.Sleep(time.Hour)
				t.Shield(func() error { return t.Sleep(2 * ms) })
				return errors.Join(err, fmt.Errorf("cleaned up at %v", t.Now()))
			})
			t.Sleep(ms)
			panic("main")
		}, "panic: main", []string{"3ms leftover: coop: task cancelled\ncleaned up at 3ms"}},
		{"a leftover abandoned in Condition.Wait unwinds holding the free lock: its deferred Release does not panic", func(t *coop.Task) error {
			c := coop.NewCondition(nil)
			t.Spawn("stuck", func(t *coop.Task) error {
				return t.Shield(func() error { // cleanup that waits for a notification nobody sends
					c.L.Acquire(t)
					defer c.L.Release()
					return c.Wait(t)
				})
			})
			return t.Sleep(ms)
		}, `coop: deadlock at 1ms: every task waits and nothing can wake them: "stuck" waits on condition`, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var reported []string
			err := coop.Run(c.main, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
				reported = append(reported, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
			}))
			if err == nil || err.Error() != c.wantErr {
				t.Errorf("Run = %v, want %q", err, c.wantErr)
			}
			if strings.Join(reported, "|") != strings.Join(c.reported, "|") {
				t.Errorf("reported %q, want %q", reported, c.reported)
			}
		})
	}
}

// Locks, semaphores, a bounded queue and a condition shared by workers that
// are cancelled at random moments, directly or by a WaitFor's timeout, some
// in the same step as the wake-up meant for them. However the cancellations
// fall: no lock or permit is held twice or left held, every value put is got
// exactly once or is still queued, and once the workers stop, none sleeps
// on something that is there for it (no lost wake-up). The seed drives the
// timings and WithShuffle, so a failure replays.
func TestPrimitivesUnderRandomCancellation(t *testing.T) {
	needsRoom(t, "hundreds of loops of sixteen tasks")
	for seed := range uint64(300) {
		var problems []string
		fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
		err := coop.Run(func(t *coop.Task) error {
			return stressPrimitives(t, rand.New(rand.NewPCG(seed, 1)), fail)
		}, coop.WithVirtualClock(), coop.WithShuffle(seed))
		if err != nil {
			fail("Run: %v", err)
		}
		if len(problems) > 0 {
			t.Fatalf("seed %d: %q", seed, problems)
		}
	}
}

func stressPrimitives(t *coop.Task, rng *rand.Rand, fail func(string, ...any)) error {
	d := func(n int) time.Duration { return time.Duration(rng.IntN(n)) * ms }
	var lock coop.Lock
	sem := coop.NewSemaphore(2)
	q := coop.NewQueue[int](2)
	cond := coop.NewCondition(nil)
	items, inLock, inSem, next := 0, 0, 0, 0
	put, got := map[int]bool{}, map[int]bool{}
	stopping := false

	// The critical sections, each also run under a WaitFor's timeout.
	locked := func(t *coop.Task) error {
		if err := lock.Acquire(t); err != nil {
			return err
		}
		if inLock++; inLock != 1 {
			fail("lock held by %d tasks", inLock)
		}
		err := t.Sleep(d(3))
		inLock--
		lock.Release()
		return err
	}
	permitted := func(t *coop.Task) error {
		if err := sem.Acquire(t); err != nil {
			return err
		}
		if inSem++; inSem > 2 {
			fail("semaphore of 2 held by %d tasks", inSem)
		}
		err := t.Sleep(d(3))
		inSem--
		sem.Release()
		return err
	}
	produce := func(t *coop.Task) error {
		next++
		v := next
		if err := q.Put(t, v); err != nil {
			return err
		}
		put[v] = true
		return nil
	}
	consume := func(t *coop.Task) error {
		v, err := q.Get(t)
		if err != nil {
			return err
		}
		if got[v] {
			fail("value %d got twice", v)
		}
		got[v] = true
		return nil
	}
	condition := func(t *coop.Task) error {
		if err := cond.L.Acquire(t); err != nil {
			return err
		}
		defer cond.L.Release()
		if rng.IntN(2) == 0 {
			items++
			cond.Notify(1)
			return nil
		}
		err := cond.WaitUntil(t, func() bool { return items > 0 })
		if !cond.L.Locked() {
			fail("Condition.Wait returned without the lock")
		}
		if err != nil {
			return err
		}
		items--
		return nil
	}
	timed := func(op func(*coop.Task) error) func(*coop.Task) error {
		return func(t *coop.Task) error {
			if err := coop.WaitFor(t, d(4), op); !errors.Is(err, coop.ErrTimeout) {
				return err
			}
			return nil
		}
	}
	ops := []func(*coop.Task) error{locked, permitted, produce, consume, condition,
		timed(locked), timed(permitted), timed(consume)}

	var workers []*coop.Task
	for i := range 16 {
		op := ops[i%len(ops)]
		workers = append(workers, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
			for !stopping {
				if err := op(t); err != nil {
					return err
				}
				if err := t.Sleep(d(3)); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	for range 10 {
		if err := t.Sleep(d(5)); err != nil {
			return err
		}
		workers[rng.IntN(len(workers))].Cancel()
		if rng.IntN(3) == 0 { // a wake-up and a cancellation in one step
			cond.L.Acquire(t)
			items++
			cond.Notify(1)
			cond.L.Release()
			workers[rng.IntN(len(workers))].Cancel()
		}
	}

	// Stop the workers and let every one finish or fall asleep for good.
	stopping = true
	if err := t.Sleep(50 * ms); err != nil {
		return err
	}
	for _, x := range t.Loop().Tasks() {
		if x.State == coop.StateReady {
			fail("%s still ready after the workers stopped", x.Name)
		}
		switch x.WaitingOn {
		case "condition":
			if items > 0 {
				fail("%s waits on the condition with %d items", x.Name, items)
			}
		case "queue get":
			if q.Len() > 0 {
				fail("%s waits to get with %d queued", x.Name, q.Len())
			}
		case "queue put":
			if !q.Full() {
				fail("%s waits to put with room", x.Name)
			}
		case "lock":
			if !lock.Locked() {
				fail("%s waits on a free lock", x.Name)
			}
		case "semaphore":
			if sem.Available() > 0 {
				fail("%s waits with %d permits free", x.Name, sem.Available())
			}
		}
	}
	for _, w := range workers {
		w.Cancel()
	}
	if err := coop.Gather(t, workers...); err != nil && !onlyCancellations(err) {
		fail("workers: %v", err)
	}
	for v, ok := q.TryGet(); ok; v, ok = q.TryGet() {
		if got[v] {
			fail("value %d got and still queued", v)
		}
		got[v] = true
	}
	for v := range put {
		if !got[v] {
			fail("value %d lost", v)
		}
	}
	if len(got) != len(put) {
		fail("%d values got, %d put", len(got), len(put))
	}
	if lock.Locked() || sem.Available() != 2 || cond.L.Locked() {
		fail("left held: lock %v, permits %d of 2, condition lock %v", lock.Locked(), sem.Available(), cond.L.Locked())
	}
	return nil
}

// onlyCancellations reports whether err joins nothing but cancellations.
func onlyCancellations(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !onlyCancellations(e) {
				return false
			}
		}
		return true
	}
	return errors.Is(err, coop.ErrCancelled)
}

// Random trees of tasks that sleep, fail, panic, are cancelled, swallow
// their cancellation, clean up under Shield, time out, and wait on each
// other through TaskGroup, Gather, WaitFor, Wait and WaitAny. However they
// fall, Run ends without a deadlock or warning, every task is done, the
// error handler hears only of failed tasks and of each at most once, a
// failure nobody could await (a task left to run on its own, one WaitAny
// did not return) is heard of exactly once, and every failure a leaf
// raises reaches the root's result or the error handler.
func TestTaskTreesUnderRandomFailures(t *testing.T) {
	needsRoom(t, "thousands of loops")
	for seed := range uint64(2000) {
		rng := rand.New(rand.NewPCG(seed, 7))
		reports := map[*coop.Task]int{}
		var rec treeRecord
		var rootErr error
		reported := map[*coop.Task]error{}
		var problems []string
		err := coop.Run(func(t *coop.Task) error {
			root := t.Spawn("root", randomTree(rng, &rec, 0))
			if rng.IntN(3) == 0 {
				t.Sleep(time.Duration(rng.IntN(4)) * ms)
				root.Cancel()
			}
			rootErr = root.Wait(t)
			return nil
		}, coop.WithVirtualClock(), coop.WithShuffle(seed),
			coop.WithErrorHandler(func(task *coop.Task, err error) { reports[task]++; reported[task] = err }),
			coop.WithWarningHandler(func(w coop.Warning) { problems = append(problems, "warning: "+w.String()) }))
		if err != nil {
			problems = append(problems, "Run: "+err.Error())
		}
		for _, x := range rec.all {
			switch {
			case !x.Done():
				problems = append(problems, x.Name()+" not done")
			case reports[x] > 1:
				problems = append(problems, fmt.Sprintf("%s reported %d times", x.Name(), reports[x]))
			case reports[x] > 0 && x.State() != coop.StateFailed:
				problems = append(problems, fmt.Sprintf("%s reported, but %v", x.Name(), x.State()))
			case strings.HasSuffix(x.Name(), ".alone") && x.State() == coop.StateFailed && reports[x] != 1:
				problems = append(problems, x.Name()+"'s failure, which nobody awaits, not reported")
			}
		}
		for _, x := range rec.unreturned {
			if x.State() == coop.StateFailed && reports[x] != 1 {
				problems = append(problems, x.Name()+"'s failure, which WaitAny did not return, not reported")
			}
		}
		// Every failure a leaf raised reaches someone: the root's result,
		// through the awaits that returned it, or the error handler.
		heard := func(f error) bool {
			if errors.Is(rootErr, f) {
				return true
			}
			for _, err := range reported {
				if errors.Is(err, f) {
					return true
				}
			}
			return false
		}
		for _, x := range rec.panicked {
			rec.failures = append(rec.failures, x.Err())
		}
		for _, f := range rec.failures {
			if !heard(f) {
				problems = append(problems, fmt.Sprintf("failure %q lost", f))
			}
		}
		if len(problems) > 0 {
			t.Fatalf("seed %d: %q", seed, problems)
		}
	}
}

// treeRecord is what the tasks of a random tree record: every task, the
// tasks WaitAny did not return, the failures the leaves returned and the
// leaves that panicked.
type treeRecord struct {
	all, unreturned []*coop.Task
	failures        []error
	panicked        []*coop.Task
}

// randomTree returns the body of a task that does one random thing, its
// children down to a depth of five; every task it starts is added to all.
func randomTree(rng *rand.Rand, rec *treeRecord, depth int) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		rec.all = append(rec.all, t)
		sleep := func() error { return t.Sleep(time.Duration(rng.IntN(4)) * ms) }
		kind := rng.IntN(10)
		switch {
		case depth < 2:
			kind = 1 + rng.IntN(9)
		case depth > 4:
			kind = 0
		}
		child := func() func(*coop.Task) error { return randomTree(rng, rec, depth+1) }
		switch kind {
		case 0: // a leaf: sleeps, then maybe fails or panics
			err := sleep()
			switch rng.IntN(8) {
			case 0, 1:
				f := fmt.Errorf("%s failed", t.Name())
				rec.failures = append(rec.failures, f)
				return errors.Join(err, f)
			case 2:
				rec.panicked = append(rec.panicked, t)
				panic(t.Name() + " panicked")
			}
			return err
		case 1:
			g := coop.NewTaskGroup(t)
			for i := range 1 + rng.IntN(3) {
				g.Spawn(fmt.Sprint(t.Name(), ".g", i), child())
			}
			if rng.IntN(3) == 0 {
				sleep()
			}
			return g.Wait()
		case 2:
			var ts []*coop.Task
			for i := range 1 + rng.IntN(3) {
				ts = append(ts, t.Spawn(fmt.Sprint(t.Name(), ".c", i), child()))
			}
			return coop.Gather(t, ts...)
		case 3:
			return coop.WaitFor(t, time.Duration(rng.IntN(4))*ms, child())
		case 4:
			x := t.Spawn(t.Name()+".w", child())
			if rng.IntN(2) == 0 {
				sleep()
				x.Cancel()
			}
			return x.Wait(t)
		case 5:
			x, y := t.Spawn(t.Name()+".x", child()), t.Spawn(t.Name()+".y", child())
			first, err := coop.WaitAny(t, x, y)
			// The one WaitAny did not return (both, if it was
			// cancelled) is awaited by nobody: its failure must be
			// heard of exactly once, as a task left alone's.
			for _, z := range []*coop.Task{x, y} {
				if z != first {
					rec.unreturned = append(rec.unreturned, z)
				}
			}
			if first != nil {
				return errors.Join(err, first.Err()) // WaitAny retrieved it: pass it on
			}
			return err
		case 7: // swallows its cancellation, cleans up shielded, returns nil
			if sleep() != nil {
				t.Shield(sleep)
			}
			return nil
		case 8: // cancels one of two children it gathers
			x, y := t.Spawn(t.Name()+".s", child()), t.Spawn(t.Name()+".v", child())
			sleep()
			y.Cancel()
			return coop.Gather(t, x, y)
		case 9: // cleanup bounded by a timeout, under Shield
			err := sleep()
			return errors.Join(err, t.Shield(func() error {
				return coop.WaitFor(t, time.Duration(rng.IntN(4))*ms, child())
			}))
		}
		t.Spawn(t.Name()+".alone", child())
		return sleep()
	}
}
