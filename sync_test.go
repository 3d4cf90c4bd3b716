//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestEventWaitOnSetEventDoesNotYield(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		ev.Set()
		t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other"); return nil })
		ev.Wait(t)
		lg.log(t, "main after Wait")
		t.Sleep(0)
		lg.log(t, "main after yield")
		return nil
	})
	lg.check(t, "0s main after Wait", "0s other", "0s main after yield")
}

func TestEventSetClear(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		for _, name := range []string{"w1", "w2"} {
			t.Spawn(name, func(t *coop.Task) error {
				if err := ev.Wait(t); err != nil {
					return err
				}
				lg.log(t, "%s released, set=%v", name, ev.IsSet())
				return nil
			})
		}
		t.Sleep(5 * ms)
		ev.Set()
		ev.Clear()
		return t.Sleep(ms)
	})
	lg.check(t, "5ms w1 released, set=false", "5ms w2 released, set=false")
}

// Lock: FIFO hand-off skips cancelled waiters; a waiter handed the lock and
// cancelled before it ran gets ErrCancelled and passes the lock on.
func TestLockHandoffWithCancellation(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var m coop.Lock
		m.Acquire(t)
		ws := map[string]*coop.Task{}
		var order []*coop.Task
		for _, name := range []string{"b", "c", "d", "e"} {
			w := t.Spawn(name, func(t *coop.Task) error {
				if err := m.Acquire(t); err != nil {
					lg.log(t, "%s: %v", name, err)
					return err
				}
				defer m.Release()
				lg.log(t, "%s holds", name)
				err := t.Sleep(ms)
				lg.log(t, "%s releases (%v)", name, err)
				return nil
			})
			ws[name] = w
			order = append(order, w)
		}
		t.Sleep(0)
		ws["c"].Cancel()
		m.Release()      // to b
		ws["b"].Cancel() // handed the lock, not yet resumed: it passes it to d
		coop.Gather(t, order...)
		lg.log(t, "locked %v", m.Locked())
		return nil
	}, coop.WithErrorHandler(func(*coop.Task, error) {}))
	lg.check(t,
		"0s c: coop: task cancelled",
		"0s b: coop: task cancelled",
		"0s d holds",
		"1ms d releases (<nil>)",
		"1ms e holds",
		"2ms e releases (<nil>)",
		"2ms locked false",
	)
}

// Condition: a cancelled waiter holds the lock again when Wait returns; a
// waiter notified and then cancelled before it resumed gets ErrCancelled
// and passes the notification on to the next waiter.
func TestConditionCancellation(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		c := coop.NewCondition(nil)
		var ws []*coop.Task
		for _, name := range []string{"w1", "w2", "w3"} {
			ws = append(ws, t.Spawn(name, func(t *coop.Task) error {
				c.L.Acquire(t)
				defer c.L.Release()
				err := c.Wait(t)
				lg.log(t, "%s: %v, locked %v", name, err, c.L.Locked())
				return nil
			}))
		}
		t.Sleep(0)
		c.L.Acquire(t)
		ws[0].Cancel() // while waiting: returns ErrCancelled with the lock
		c.Notify(1)    // to w2
		ws[1].Cancel() // after the notification: it goes on to w3
		c.L.Release()
		t.Sleep(ms)
		lg.log(t, "gather: %v", coop.Gather(t, ws...))
		return nil
	})
	lg.check(t,
		"0s w1: coop: task cancelled, locked true",
		"0s w2: coop: task cancelled, locked true",
		"0s w3: <nil>, locked true",
		"1ms gather: <nil>",
	)
}

func TestBarrierCancelledWaiterDoesNotCount(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		b := coop.NewBarrier(2)
		a := t.Spawn("a", func(t *coop.Task) error { return b.Wait(t) })
		t.Sleep(0) // a arrives and waits
		err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
			a.Cancel()
			return b.Wait(t) // the only party now
		})
		lg.log(t, "lone arrival: %v, waiting %d", err, b.Waiting())
		return nil
	})
	lg.check(t, "10ms lone arrival: coop: timeout, waiting 0")
}

func TestLockIsFIFOAndExclusive(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		var ts []*coop.Task
		for _, name := range []string{"a", "b", "c"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				if err := mu.Acquire(t); err != nil {
					return err
				}
				defer mu.Release()
				lg.log(t, "%s in", name)
				t.Sleep(10 * ms) // the section awaits: others must stay out
				lg.log(t, "%s out", name)
				return nil
			}))
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t, "0s a in", "10ms a out", "10ms b in", "20ms b out", "20ms c in", "30ms c out")
}

func TestLockCancelledWaiter(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		mu.Acquire(t)
		waiter := t.Spawn("waiter", func(t *coop.Task) error {
			err := mu.Acquire(t)
			lg.log(t, "waiter: %v", err)
			return err
		})
		next := t.Spawn("next", func(t *coop.Task) error {
			if err := mu.Acquire(t); err != nil {
				return err
			}
			lg.log(t, "next has the lock")
			mu.Release()
			return nil
		})
		t.Sleep(ms)
		waiter.Cancel()
		t.Sleep(ms)
		mu.Release() // goes to next: the cancelled waiter left the line
		if err := next.Wait(t); err != nil {
			return err
		}
		lg.log(t, "locked: %v", mu.Locked())
		return nil
	})
	lg.check(t, "1ms waiter: coop: task cancelled", "2ms next has the lock", "2ms locked: false")
}

// A waiter handed the lock and cancelled before it resumed gets
// ErrCancelled (asyncio's test_locks: a cancelled acquire never owns the
// lock), and with nobody else waiting the lock is released.
func TestLockHandedToCancelledWaiterIsReleased(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		mu.Acquire(t)
		waiter := t.Spawn("waiter", func(t *coop.Task) error {
			if err := mu.Acquire(t); err != nil {
				return err
			}
			mu.Release()
			return errors.New("Acquire = nil for a cancelled waiter")
		})
		t.Sleep(0)
		mu.Release() // hands the lock to waiter…
		waiter.Cancel()
		if err := waiter.Wait(t); !errors.Is(err, coop.ErrCancelled) {
			return fmt.Errorf("waiter returned %v, want ErrCancelled", err)
		}
		if mu.Locked() { // …which gave it back
			return errors.New("lock still locked")
		}
		return nil
	})
}

func TestSemaphore(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		sem := coop.NewSemaphore(2)
		var ts []*coop.Task
		for _, name := range []string{"a", "b", "c", "d"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				if err := sem.Acquire(t); err != nil {
					return err
				}
				lg.log(t, "%s runs", name)
				t.Sleep(10 * ms)
				sem.Release()
				return nil
			}))
		}
		err := coop.Gather(t, ts...)
		lg.log(t, "free %d, try %v", sem.Available(), sem.TryAcquire())
		return err
	})
	lg.check(t, "0s a runs", "0s b runs", "10ms c runs", "10ms d runs", "20ms free 2, try true")
}

func TestCondition(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		cond := coop.NewCondition(nil)
		items := 0
		var ts []*coop.Task
		for _, name := range []string{"c1", "c2"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				cond.L.Acquire(t)
				defer cond.L.Release()
				if err := cond.WaitUntil(t, func() bool { return items > 0 }); err != nil {
					return err
				}
				items--
				lg.log(t, "%s took one", name)
				return nil
			}))
		}
		for range 2 {
			t.Sleep(5 * ms)
			cond.L.Acquire(t)
			items++
			cond.Notify(1)
			cond.L.Release()
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t, "5ms c1 took one", "10ms c2 took one")
}

func TestBarrier(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		b := coop.NewBarrier(3)
		var ts []*coop.Task
		for i, name := range []string{"a", "b", "c"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				for round := range 2 {
					t.Sleep(time.Duration(i+1) * 10 * ms)
					if err := b.Wait(t); err != nil {
						return err
					}
					lg.log(t, "%s passes %d", name, round)
				}
				return nil
			}))
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t,
		"30ms c passes 0", "30ms a passes 0", "30ms b passes 0",
		"60ms c passes 1", "60ms a passes 1", "60ms b passes 1",
	)
}

// A notification that reached a waiter cancelled before it resumed is not
// lost: it goes to the next waiter, and the cancelled one's Wait returns
// ErrCancelled with the lock held.
func TestConditionNotificationIsNotLost(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		cond := coop.NewCondition(nil)
		waiter := func(t *coop.Task) error {
			cond.L.Acquire(t)
			defer cond.L.Release()
			err := cond.Wait(t)
			lg.log(t, "%s: %v, locked %v", t.Name(), err, cond.L.Locked())
			return nil
		}
		first := t.Spawn("first", waiter)
		second := t.Spawn("second", waiter)
		t.Sleep(0)
		cond.L.Acquire(t)
		cond.Notify(1) // to first…
		first.Cancel() // …which is cancelled before it resumes
		cond.L.Release()
		return coop.Gather(t, first, second)
	})
	lg.check(t, "0s first: coop: task cancelled, locked true", "0s second: <nil>, locked true")
}
