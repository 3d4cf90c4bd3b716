//go:build !tinygo || coop_conformance

package coop_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Conformance with CPython's asyncio test suite (Lib/test/test_asyncio:
// test_tasks, test_locks, test_queues, test_timeouts, test_taskgroups),
// ported to coop's API. Each test names the upstream test whose behaviour it
// checks. Where coop deliberately differs (sticky cancellation, joined
// errors), the expectation is coop's documented one.

// test_tasks.test_cancel_inner_future and test_cancel_task_waiting_for_task
// (nested cancellation): cancelling a task that awaits a task that awaits a
// third cancels all three, innermost cleanup first.
func TestAsyncioNestedCancel(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		inner := t.Spawn("inner", func(t *coop.Task) error {
			defer lg.log(t, "inner cleanup")
			return t.Sleep(time.Hour)
		})
		middle := t.Spawn("middle", func(t *coop.Task) error {
			defer lg.log(t, "middle cleanup")
			return inner.Wait(t)
		})
		outer := t.Spawn("outer", func(t *coop.Task) error {
			defer lg.log(t, "outer cleanup")
			return middle.Wait(t)
		})
		if err := t.Sleep(5 * ms); err != nil {
			return err
		}
		outer.Cancel()
		err := outer.Wait(t)
		lg.log(t, "outer=%v middle=%v inner=%v cancelled=%v", outer.State(), middle.State(), inner.State(),
			errors.Is(err, coop.ErrCancelled))
		return nil
	})
	lg.check(t,
		"5ms inner cleanup",
		"5ms middle cleanup",
		"5ms outer cleanup",
		"5ms outer=cancelled middle=cancelled inner=cancelled cancelled=true")
}

// test_tasks.test_await_finished_twice (await a done task again) and
// test_task_done_result: awaiting a finished task returns its result at once,
// without yielding, as often as asked; Done, Err and State tell the end.
func TestAsyncioAwaitFinishedTwice(t *testing.T) {
	var lg logger
	errX := errors.New("x")
	runV(t, func(t *coop.Task) error {
		ok := t.Spawn("ok", func(t *coop.Task) error { return nil })
		bad := t.Spawn("bad", func(t *coop.Task) error { return errX })
		if err := bad.Wait(t); !errors.Is(err, errX) {
			return fmt.Errorf("bad: %v", err)
		}
		t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
		for range 2 {
			lg.log(t, "ok: %v %v %v; bad: %v %v %v", ok.Wait(t), ok.Done(), ok.State(),
				bad.Wait(t), bad.Err(), bad.State())
		}
		return t.Sleep(0)
	})
	lg.check(t,
		"0s ok: <nil> true done; bad: x x failed",
		"0s ok: <nil> true done; bad: x x failed",
		"0s other runs")
}

// test_tasks.test_cancel_current_task / test_cancel_at_end: a cancelled task
// that catches the cancellation and finishes its cleanup still gets
// ErrCancelled from every await until it returns (sticky, README "How coop
// differs"); what it returns is its result.
func TestAsyncioCancelCaughtThenReturn(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			lg.log(t, "first await: %v", errors.Is(err, coop.ErrCancelled))
			err = t.Sleep(time.Hour)
			lg.log(t, "second await: %v", errors.Is(err, coop.ErrCancelled))
			return nil // swallowed
		})
		if err := t.Sleep(ms); err != nil {
			return err
		}
		x.Cancel()
		err := x.Wait(t)
		lg.log(t, "x: %v %v", err, x.State())
		return nil
	})
	lg.check(t,
		"1ms first await: true",
		"1ms second await: true",
		"1ms x: <nil> done")
}

// test_locks.LockTests.test_acquire_cancel and test_cancel_race /
// test_cancel_release_race: a waiter cancelled while it waits does not take
// the lock; one cancelled after the lock was handed to it, before it
// resumed, passes it on to the next waiter.
func TestAsyncioLockCancelRace(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var lock coop.Lock
		if err := lock.Acquire(t); err != nil {
			return err
		}
		waiter := func(name string) *coop.Task {
			return t.Spawn(name, func(t *coop.Task) error {
				err := lock.Acquire(t)
				lg.log(t, "%s acquire: %v", name, err)
				if err != nil {
					return err
				}
				lg.log(t, "%s holds, locked %v", name, lock.Locked())
				lock.Release()
				return nil
			})
		}
		ta, tb, tc := waiter("a"), waiter("b"), waiter("c")
		if err := t.Sleep(0); err != nil {
			return err
		}
		lock.Release() // handed to a
		ta.Cancel()    // before a resumed: goes on to b
		tc.Cancel()    // while waiting
		err := coop.Gather(t, ta, tb, tc)
		lg.log(t, "cancelled %d, locked %v", countCancelled(err), lock.Locked())
		// A task that releases and re-acquires at once queues behind a
		// woken waiter (asyncio's fairness, test_fifo).
		if err := lock.Acquire(t); err != nil {
			return err
		}
		d := waiter("d")
		if err := t.Sleep(0); err != nil {
			return err
		}
		lock.Release()
		if err := lock.Acquire(t); err != nil {
			return err
		}
		lg.log(t, "main re-acquired after d: %v", d.Done())
		lock.Release()
		return nil
	})
	lg.check(t,
		"0s a acquire: coop: task cancelled",
		"0s c acquire: coop: task cancelled",
		"0s b acquire: <nil>",
		"0s b holds, locked true",
		"0s cancelled 2, locked false",
		"0s d acquire: <nil>",
		"0s d holds, locked true",
		"0s main re-acquired after d: true")
}

// test_locks.EventTests.test_wait_cancel: a waiter cancelled while waiting
// leaves; the others are still woken by Set, in order.
func TestAsyncioEventWaitCancel(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		var ts []*coop.Task
		for i := range 3 {
			ts = append(ts, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
				err := ev.Wait(t)
				lg.log(t, "w%d: %v", i, err)
				return err
			}))
		}
		if err := t.Sleep(ms); err != nil {
			return err
		}
		ts[1].Cancel()
		ev.Set()
		ts[2].Cancel() // woken, not yet resumed: still cancelled
		return ignoreCancelled(coop.Gather(t, ts...))
	})
	lg.check(t,
		"1ms w1: coop: task cancelled",
		"1ms w0: <nil>",
		"1ms w2: coop: task cancelled")
}

// test_locks.ConditionTests: waiters are notified first come, first
// served; each retakes the lock before Wait returns, also when cancelled;
// a notification for a waiter cancelled before it resumed goes to the next.
func TestAsyncioCondition(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		c := coop.NewCondition(nil)
		var ts []*coop.Task
		for i := range 3 {
			ts = append(ts, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
				if err := c.L.Acquire(t); err != nil {
					return err
				}
				defer c.L.Release()
				err := c.Wait(t)
				lg.log(t, "w%d woke: %v, holds lock %v", i, err, c.L.Locked())
				return err
			}))
		}
		if err := t.Sleep(ms); err != nil {
			return err
		}
		if err := c.L.Acquire(t); err != nil {
			return err
		}
		c.Notify(1)
		ts[0].Cancel() // notified, not resumed: the notification goes to w1
		c.L.Release()
		if err := t.Sleep(ms); err != nil {
			return err
		}
		lg.log(t, "w1 done %v, w2 done %v", ts[1].Done(), ts[2].Done())
		if err := c.L.Acquire(t); err != nil {
			return err
		}
		c.NotifyAll()
		c.L.Release()
		return ignoreCancelled(coop.Gather(t, ts...))
	})
	lg.check(t,
		"1ms w0 woke: coop: task cancelled, holds lock true",
		"1ms w1 woke: <nil>, holds lock true",
		"2ms w1 done true, w2 done false",
		"2ms w2 woke: <nil>, holds lock true")
}

// test_locks.SemaphoreTests.test_acquire_cancel_before_awoken and
// test_acquire_fifo: permits go to waiters in order; one handed to a waiter
// cancelled before it resumed goes to the next.
func TestAsyncioSemaphore(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		sem := coop.NewSemaphore(2)
		var ts []*coop.Task
		for i := range 5 {
			ts = append(ts, t.Spawn(fmt.Sprint("t", i), func(t *coop.Task) error {
				if err := sem.Acquire(t); err != nil {
					lg.log(t, "t%d: %v", i, err)
					return err
				}
				lg.log(t, "t%d has a permit", i)
				defer sem.Release()
				return t.Sleep(10 * ms)
			}))
		}
		if err := t.Sleep(10 * ms); err != nil { // t0 and t1 release at 10ms, handing t2, t3
			return err
		}
		ts[2].Cancel() // handed, not resumed: its permit goes to t4
		err := coop.Gather(t, ts...)
		lg.log(t, "cancelled %d, available %d", countCancelled(err), sem.Available())
		return nil
	})
	lg.check(t,
		"0s t0 has a permit",
		"0s t1 has a permit",
		"10ms t2: coop: task cancelled",
		"10ms t3 has a permit",
		"10ms t4 has a permit",
		"20ms cancelled 1, available 2")
}

// test_queues: test_blocking_get, test_blocking_put, test_maxsize,
// test_order: values come out in order; Put waits while the queue is full,
// Get while it is empty; a Put into a queue with room and a Get from a
// non-empty queue return without yielding.
func TestAsyncioQueueBlocking(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[int](2)
		prod := t.Spawn("producer", func(t *coop.Task) error {
			for i := range 5 {
				if err := q.Put(t, i); err != nil {
					return err
				}
				lg.log(t, "put %d len %d full %v", i, q.Len(), q.Full())
			}
			return nil
		})
		cons := t.Spawn("consumer", func(t *coop.Task) error {
			for range 5 {
				if err := t.Sleep(10 * ms); err != nil {
					return err
				}
				v, err := q.Get(t)
				if err != nil {
					return err
				}
				lg.log(t, "got %d", v)
			}
			return nil
		})
		if err := coop.Gather(t, prod, cons); err != nil {
			return err
		}
		// An empty queue: Get waits for the next Put.
		getter := t.Spawn("getter", func(t *coop.Task) error {
			v, err := q.Get(t)
			lg.log(t, "getter got %d", v)
			return err
		})
		if err := t.Sleep(5 * ms); err != nil {
			return err
		}
		lg.log(t, "TryPut %v", q.TryPut(42))
		lg.log(t, "TryGet after: len %d", q.Len())
		return getter.Wait(t)
	})
	lg.check(t,
		"0s put 0 len 1 full false",
		"0s put 1 len 2 full true",
		"10ms got 0",
		"10ms put 2 len 2 full true",
		"20ms got 1",
		"20ms put 3 len 2 full true",
		"30ms got 2",
		"30ms put 4 len 2 full true",
		"40ms got 3",
		"50ms got 4",
		"55ms TryPut true",
		"55ms TryGet after: len 1",
		"55ms getter got 42")
}

// test_queues.test_get_cancelled_race and test_put_cancelled_race: a getter
// woken for a value and cancelled before it resumed leaves the value for the
// next getter; a putter woken for a slot and cancelled leaves the slot to
// the next putter.
func TestAsyncioQueueCancelledRace(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[string](1)
		get := func(name string) *coop.Task {
			return t.Spawn(name, func(t *coop.Task) error {
				v, err := q.Get(t)
				lg.log(t, "%s got %q %v", name, v, err)
				return err
			})
		}
		g1, g2 := get("g1"), get("g2")
		if err := t.Sleep(ms); err != nil {
			return err
		}
		lg.log(t, "put: %v", q.Put(t, "a"))
		g1.Cancel()
		if err := ignoreCancelled(coop.Gather(t, g1, g2)); err != nil {
			return err
		}
		// Put side.
		q.TryPut("full")
		put := func(v string) *coop.Task {
			return t.Spawn("put "+v, func(t *coop.Task) error {
				err := q.Put(t, v)
				lg.log(t, "put %s: %v", v, err)
				return err
			})
		}
		p1, p2 := put("p1"), put("p2")
		if err := t.Sleep(ms); err != nil {
			return err
		}
		v, _ := q.TryGet()
		p1.Cancel()
		if err := ignoreCancelled(coop.Gather(t, p1, p2)); err != nil {
			return err
		}
		w, _ := q.TryGet()
		lg.log(t, "took %q then %q, len %d", v, w, q.Len())
		return nil
	})
	lg.check(t,
		"1ms put: <nil>",
		"1ms g1 got \"\" coop: task cancelled",
		"1ms g2 got \"a\" <nil>",
		"2ms put p1: coop: task cancelled",
		"2ms put p2: <nil>",
		"2ms took \"full\" then \"p2\", len 0")
}

// test_timeouts / test_tasks.test_wait_for_*: a table of WaitFor cases,
// with the time WaitFor returns and what it returns.
func TestAsyncioWaitForTable(t *testing.T) {
	errWork := errors.New("work failed")
	errCleanup := errors.New("cleanup failed")
	for _, c := range []struct {
		name    string // upstream behaviour
		d       time.Duration
		fn      func(t *coop.Task) error
		at      time.Duration
		timeout bool
		is      error
	}{
		{"test_wait_for_result", 10 * ms, func(t *coop.Task) error { return t.Sleep(5 * ms) }, 5 * ms, false, nil},
		{"test_wait_for_timeout_less_then_0_or_0 (0)", 0, func(t *coop.Task) error { return nil }, 0, true, nil},
		{"test_wait_for_timeout_less_then_0_or_0 (<0)", -ms, func(t *coop.Task) error { return nil }, 0, true, nil},
		{"test_wait_for_timeout", 10 * ms, func(t *coop.Task) error { return t.Sleep(time.Hour) }, 10 * ms, true, nil},
		{"test_wait_for_raises_exception", 10 * ms, func(t *coop.Task) error { return errWork }, 0, false, errWork},
		{"test_wait_for_reraises_exception_during_cancellation", 10 * ms, func(t *coop.Task) error {
			if err := t.Sleep(time.Hour); err != nil {
				return errCleanup // another failure instead of the cancellation
			}
			return nil
		}, 10 * ms, true, errCleanup},
		{"test_wait_for_reraises_exception_during_cancellation (joined)", 10 * ms, func(t *coop.Task) error {
			if err := t.Sleep(time.Hour); err != nil {
				return errors.Join(err, errCleanup) // the cancellation, and a cleanup that failed
			}
			return nil
		}, 10 * ms, true, errCleanup},
		{"test_wait_for_cancellation_cleanup_awaits (shielded)", 10 * ms, func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			t.Shield(func() error { return t.Sleep(4 * ms) })
			return err
		}, 14 * ms, true, nil},
		{"test_wait_for_swallowed_cancellation", 10 * ms, func(t *coop.Task) error {
			t.Sleep(time.Hour)
			return nil // swallows the cancellation: still a timeout
		}, 10 * ms, true, nil},
		{"test_nested_timeouts (inner first)", 20 * ms, func(t *coop.Task) error {
			return coop.WaitFor(t, 5*ms, func(t *coop.Task) error { return t.Sleep(time.Hour) })
		}, 5 * ms, true, nil},
		{"test_nested_timeouts (outer first)", 5 * ms, func(t *coop.Task) error {
			return coop.WaitFor(t, 20*ms, func(t *coop.Task) error { return t.Sleep(time.Hour) })
		}, 5 * ms, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			runV(t, func(task *coop.Task) error {
				err := coop.WaitFor(task, c.d, c.fn)
				if task.Now() != c.at {
					t.Errorf("returned at %v, want %v", task.Now(), c.at)
				}
				if errors.Is(err, coop.ErrTimeout) != c.timeout {
					t.Errorf("err = %v, timeout want %v", err, c.timeout)
				}
				if c.is != nil && !errors.Is(err, c.is) {
					t.Errorf("err = %v, want it to wrap %v", err, c.is)
				}
				if c.is == nil && !c.timeout && err != nil {
					t.Errorf("err = %v, want nil", err)
				}
				if errors.Is(err, coop.ErrCancelled) {
					t.Errorf("err = %v wraps ErrCancelled; WaitFor's own task was not cancelled", err)
				}
				return nil
			})
		})
	}
}

// test_tasks.test_gather_shield / test_gather_cancel_before_first_await
// (coop: a task cancelled before it calls Gather gets ErrCancelled at once
// and leaves the tasks alone), and test_gather_propagate_cancel (a child
// cancelled by someone else is one of the joined errors; the siblings run
// on).
func TestAsyncioGatherCancellation(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		a := t.Spawn("a", func(t *coop.Task) error { return t.Sleep(10 * ms) })
		b := t.Spawn("b", func(t *coop.Task) error { return t.Sleep(20 * ms) })
		if err := t.Sleep(ms); err != nil {
			return err
		}
		a.Cancel()
		err := coop.Gather(t, a, b)
		lg.log(t, "gather: cancelled=%v a=%v b=%v", errors.Is(err, coop.ErrCancelled), a.State(), b.State())

		c := t.Spawn("c", func(t *coop.Task) error { return t.Sleep(10 * ms) })
		g := t.Spawn("g", func(t *coop.Task) error {
			t.Cancel()
			err := coop.Gather(t, c)
			lg.log(t, "pre-cancelled gather: %v, c done %v", err, c.Done())
			return err
		})
		if err := g.Wait(t); !errors.Is(err, coop.ErrCancelled) {
			return fmt.Errorf("g: %v", err)
		}
		lg.log(t, "c: %v", c.Wait(t))
		lg.log(t, "empty gather: %v", coop.Gather(t))
		return nil
	})
	lg.check(t,
		"20ms gather: cancelled=true a=cancelled b=done",
		"20ms pre-cancelled gather: coop: task cancelled, c done false",
		"30ms c: <nil>",
		"30ms empty gather: <nil>")
}

// test_taskgroups (test_taskgroup_01, _03, _04, _08, _cancel_children_on_
// child_error, _cancel_parent): the first failure cancels the other
// members, their cleanup runs, Wait returns the failures joined without the
// cancellations the group caused; a member spawned after a failure never
// runs; cancelling the parent cancels the members.
func TestAsyncioTaskGroup(t *testing.T) {
	errA, errB := errors.New("a failed"), errors.New("b failed")
	var lg logger
	runV(t, func(t *coop.Task) error {
		g := coop.NewTaskGroup(t)
		g.Spawn("ok", func(t *coop.Task) error { lg.log(t, "ok done"); return nil })
		g.Spawn("slow", func(t *coop.Task) error {
			defer lg.log(t, "slow cleanup")
			return t.Sleep(time.Hour)
		})
		g.Spawn("a", func(t *coop.Task) error {
			if err := t.Sleep(10 * ms); err != nil {
				return err
			}
			lg.log(t, "a fails")
			return errA
		})
		g.Spawn("b", func(t *coop.Task) error {
			if err := t.Sleep(10 * ms); err != nil {
				lg.log(t, "b cancelled")
				return err
			}
			return errB
		})
		g.Spawn("c", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			// Cancelled by the group, it fails in its cleanup: that counts.
			return errB
		})
		if err := t.Sleep(10 * ms); err != nil {
			return err
		}
		late := g.Spawn("late", func(t *coop.Task) error { lg.log(t, "late ran"); return nil })
		err := g.Wait()
		lg.log(t, "wait: %q a=%v b=%v late=%v", err, errors.Is(err, errA), errors.Is(err, errB), late.State())

		// Cancel the parent of a group.
		parent := t.Spawn("parent", func(t *coop.Task) error {
			g := coop.NewTaskGroup(t)
			g.Spawn("m1", func(t *coop.Task) error {
				defer lg.log(t, "m1 cleanup")
				return t.Sleep(time.Hour)
			})
			g.Spawn("m2", func(t *coop.Task) error {
				t.Sleep(time.Hour)
				return errA // fails in its cleanup
			})
			err := g.Wait()
			lg.log(t, "parent wait: cancelled=%v a=%v", errors.Is(err, coop.ErrCancelled), errors.Is(err, errA))
			return err
		})
		if err := t.Sleep(5 * ms); err != nil {
			return err
		}
		parent.Cancel()
		err = parent.Wait(t)
		lg.log(t, "parent: %v", parent.State())
		_ = err
		return nil
	})
	lg.check(t,
		"0s ok done",
		"10ms a fails",
		"10ms b cancelled", // woken by its timer at 10ms, before a's failure cancelled it
		"10ms slow cleanup",
		"10ms wait: \"a failed\\nb failed\" a=true b=true late=cancelled",
		"15ms m1 cleanup",
		"15ms parent wait: cancelled=true a=true",
		"15ms parent: failed")
}

// test_tasks.test_cancel_task_catching / test_taskgroups
// test_taskgroup_21-style (an exception raised while handling the
// cancellation): a cancelled task whose cleanup fails, returning the
// cancellation joined with that failure, has failed; nobody awaiting it, the
// error handler hears of it once, as it ends; a Gather cancelled with it
// returns the failure too.
func TestAsyncioFailureDuringCancellation(t *testing.T) {
	errCleanup := errors.New("cleanup failed")
	var reported []string
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		cleanupFails := func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			return errors.Join(err, errCleanup)
		}
		lone := t.Spawn("lone", cleanupFails)
		g := t.Spawn("gatherer", func(t *coop.Task) error {
			return coop.Gather(t, t.Spawn("child", cleanupFails))
		})
		if err := t.Sleep(ms); err != nil {
			return err
		}
		lone.Cancel()
		g.Cancel()
		err := g.Wait(t)
		lg.log(t, "lone %v, gatherer %v: cancelled=%v cleanup=%v", lone.State(), g.State(),
			errors.Is(err, coop.ErrCancelled), errors.Is(err, errCleanup))
		return nil
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		reported = append(reported, fmt.Sprintf("%v %s: cleanup=%v", task.Now(), task.Name(), errors.Is(err, errCleanup)))
	}))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	lg.check(t, "1ms lone failed, gatherer failed: cancelled=true cleanup=true")
	if fmt.Sprint(reported) != "[1ms lone: cleanup=true]" {
		t.Errorf("reported %q, want lone's failure once", reported)
	}
}

// test_locks (test_*_cancel), test_queues (test_cancelled_getters_not_
// being_held_in_self_getters, test_cancelled_puts_not_being_held_in_self_
// putters), test_tasks (test_cancel_sleeping_task, test_cancel_gather_1):
// cancelling a task blocked in any await ends that await with ErrCancelled
// at the moment of the cancellation, and leaves the primitive as if the
// task had never waited.
func TestAsyncioCancelPendingAwait(t *testing.T) {
	type env struct {
		ev    coop.Event
		lock  coop.Lock
		q     *coop.Queue[int]
		full  *coop.Queue[int]
		sem   *coop.Semaphore
		cond  *coop.Condition
		bar   *coop.Barrier
		flag  coop.ThreadSafeFlag
		child *coop.Task
	}
	for _, c := range []struct {
		name  string
		await func(t *coop.Task, e *env) error
		after func(e *env) string // the primitive's state once the task is done
		want  string
	}{
		{"Sleep", func(t *coop.Task, e *env) error { return t.Sleep(time.Hour) }, nil, ""},
		{"Event.Wait", func(t *coop.Task, e *env) error { return e.ev.Wait(t) },
			func(e *env) string { return fmt.Sprint("set ", e.ev.IsSet()) }, "set false"},
		{"Lock.Acquire", func(t *coop.Task, e *env) error { return e.lock.Acquire(t) },
			func(e *env) string { e.lock.Release(); return fmt.Sprint("locked ", e.lock.Locked()) }, "locked false"},
		{"Queue.Get", func(t *coop.Task, e *env) error { _, err := e.q.Get(t); return err },
			func(e *env) string { e.q.TryPut(7); v, _ := e.q.TryGet(); return fmt.Sprint("value ", v) }, "value 7"},
		{"Queue.Put", func(t *coop.Task, e *env) error { return e.full.Put(t, 2) },
			func(e *env) string { v, _ := e.full.TryGet(); return fmt.Sprint(v, " len ", e.full.Len()) }, "1 len 0"},
		{"Semaphore.Acquire", func(t *coop.Task, e *env) error { return e.sem.Acquire(t) },
			func(e *env) string { e.sem.Release(); return fmt.Sprint("available ", e.sem.Available()) }, "available 1"},
		{"Condition.Wait", func(t *coop.Task, e *env) error {
			if err := e.cond.L.Acquire(t); err != nil {
				return err
			}
			defer e.cond.L.Release()
			err := e.cond.Wait(t)
			if !e.cond.L.Locked() {
				return errors.New("Condition.Wait returned without the lock")
			}
			return err
		}, func(e *env) string { return fmt.Sprint("locked ", e.cond.L.Locked()) }, "locked false"},
		{"Barrier.Wait", func(t *coop.Task, e *env) error { return e.bar.Wait(t) },
			func(e *env) string { return fmt.Sprint("waiting ", e.bar.Waiting()) }, "waiting 0"},
		{"ThreadSafeFlag.Wait", func(t *coop.Task, e *env) error { return e.flag.Wait(t) }, nil, ""},
		{"Task.Wait (cancels the child)", func(t *coop.Task, e *env) error { return e.child.Wait(t) },
			func(e *env) string { return e.child.State().String() }, "cancelled"},
		{"Gather (cancels the children)", func(t *coop.Task, e *env) error { return coop.Gather(t, e.child) },
			func(e *env) string { return e.child.State().String() }, "cancelled"},
		{"WaitAny (leaves the task)", func(t *coop.Task, e *env) error { _, err := coop.WaitAny(t, e.child); return err },
			func(e *env) string { return e.child.State().String() }, "sleeping"},
		{"WaitFor", func(t *coop.Task, e *env) error {
			return coop.WaitFor(t, time.Hour, func(t *coop.Task) error { return t.Sleep(time.Hour) })
		}, nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var lg logger
			runV(t, func(main *coop.Task) error {
				e := &env{q: coop.NewQueue[int](0), full: coop.NewQueue[int](1), sem: coop.NewSemaphore(0),
					cond: coop.NewCondition(nil), bar: coop.NewBarrier(2)}
				e.full.TryPut(1)
				if err := e.lock.Acquire(main); err != nil {
					return err
				}
				e.child = main.Spawn("child", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				x := main.Spawn("x", func(t *coop.Task) error {
					err := c.await(t, e)
					lg.log(t, "await: %v", err)
					return err
				})
				if err := main.Sleep(5 * ms); err != nil {
					return err
				}
				x.Cancel()
				err := x.Wait(main)
				lg.log(main, "x: %v %v", x.State(), errors.Is(err, coop.ErrCancelled))
				if c.after != nil {
					lg.log(main, "%s", c.after(e))
				}
				e.child.Cancel()
				return nil
			})
			want := []string{"5ms await: coop: task cancelled", "5ms x: cancelled true"}
			if c.after != nil {
				want = append(want, "5ms "+c.want)
			}
			lg.check(t, want...)
		})
	}
}

// test_tasks.test_exception_traceback / "Task exception was never
// retrieved" for an awaited task: a child whose awaiter was cancelled, and
// that failed while cancelled with it, is reported once, since the await
// that was to return its failure returned the cancellation instead.
func TestAsyncioUnretrievedAfterAwaiterCancelled(t *testing.T) {
	errCleanup := errors.New("cleanup failed")
	var reported []string
	err := coop.Run(func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			child := t.Spawn("child", func(t *coop.Task) error {
				t.Sleep(time.Hour)
				return errCleanup
			})
			return child.Wait(t)
		})
		if err := t.Sleep(ms); err != nil {
			return err
		}
		x.Cancel()
		if err := x.Wait(t); !errors.Is(err, coop.ErrCancelled) || errors.Is(err, errCleanup) {
			return fmt.Errorf("x: %v, want the cancellation alone", err)
		}
		return t.Sleep(ms)
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		reported = append(reported, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
	}))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	if fmt.Sprint(reported) != "[1ms child: cleanup failed]" {
		t.Errorf("reported %q, want child's failure once", reported)
	}
}

// test_threads.test_to_thread_cancelled-style: a task cancelled in
// Offload, whose function returns its context's error, ends cancelled, not
// failed: ErrCancelled joined with context.Canceled is a cancellation
// alone, so nothing is reported; a group around it sees no failure.
func TestAsyncioOffloadCancelledIsACancellation(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		blocked := func(t *coop.Task) error {
			_, err := coop.Offload(t, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				return 0, fmt.Errorf("read: %w", ctx.Err())
			})
			return err
		}
		x := t.Spawn("x", blocked)
		if err := t.Sleep(0); err != nil { // x starts its Offload: the clock stands still from now
			return err
		}
		x.Cancel()
		for !x.Done() { // not awaited: a failure would be reported
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		lg.log(t, "x: %v, is context.Canceled %v", x.State(), errors.Is(x.Err(), context.Canceled))
		g := coop.NewTaskGroup(t)
		g.Spawn("blocked", blocked)
		g.Spawn("canceller", func(t *coop.Task) error { return errors.New("fails") })
		lg.log(t, "group: %v", g.Wait())
		return nil
	})
	lg.check(t,
		"0s x: cancelled, is context.Canceled true",
		"0s group: fails")
}
