//go:build !tinygo || coop_conformance

package coop_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Conformance with MicroPython's extmod asyncio tests (tests/extmod/asyncio_*.py),
// ported to coop's API. Each test names the file whose behaviour it checks; the
// expected traces are MicroPython's expected output, with the loop time of every
// line, except where README's "How coop differs" says otherwise.

// MicroPython asyncio_cancel_self.py: a task that cancels itself gets
// ErrCancelled at its next await, and its awaiter sees the cancellation.
func TestMicroPythonCancelSelf(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		task := t.Spawn("task", func(t *coop.Task) error {
			lg.log(t, "task start")
			lg.log(t, "cancel self: %v", t.Cancel())
			err := t.Sleep(0)
			lg.log(t, "sleep: cancelled=%v", errors.Is(err, coop.ErrCancelled))
			return err
		})
		err := task.Wait(t)
		lg.log(t, "main: cancelled=%v state=%v", errors.Is(err, coop.ErrCancelled), task.State())
		return nil
	})
	lg.check(t,
		"0s task start",
		"0s cancel self: true",
		"0s sleep: cancelled=true",
		"0s main: cancelled=true state=cancelled")
}

// MicroPython asyncio_cancel_task.py: cancel a task before it runs (it never
// runs), cancel one while it sleeps (its cleanup runs, its awaiter gets the
// cancellation), and cancel a finished task (Cancel returns false).
func TestMicroPythonCancelTask(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		// Cancel before it runs.
		t1 := t.Spawn("t1", func(t *coop.Task) error { lg.log(t, "t1 body"); return nil })
		lg.log(t, "cancel t1: %v", t1.Cancel())
		err := t1.Wait(t)
		lg.log(t, "t1: cancelled=%v done=%v", errors.Is(err, coop.ErrCancelled), t1.Done())

		// Cancel during a sleep, then await it.
		t2 := t.Spawn("t2", func(t *coop.Task) error {
			lg.log(t, "t2 start")
			defer lg.log(t, "t2 cleanup")
			err := t.Sleep(time.Second)
			lg.log(t, "t2 sleep: %v", err)
			return err
		})
		if err := t.Sleep(100 * ms); err != nil {
			return err
		}
		lg.log(t, "cancel t2: %v", t2.Cancel())
		err = t2.Wait(t)
		lg.log(t, "t2: cancelled=%v", errors.Is(err, coop.ErrCancelled))

		// Cancel a task that has finished.
		t3 := t.Spawn("t3", func(t *coop.Task) error { return nil })
		if err := t3.Wait(t); err != nil {
			return err
		}
		lg.log(t, "cancel t3: %v, t2 again: %v", t3.Cancel(), t2.Cancel())
		return nil
	})
	lg.check(t,
		"0s cancel t1: true",
		"0s t1: cancelled=true done=true",
		"0s t2 start",
		"100ms cancel t2: true",
		"100ms t2 sleep: coop: task cancelled",
		"100ms t2 cleanup",
		"100ms t2: cancelled=true",
		"100ms cancel t3: false, t2 again: false")
}

// MicroPython asyncio_cancel_wait_on_finished.py: cancelling a task whose
// awaited task has just finished, before it resumed, still cancels it.
func TestMicroPythonCancelWaitOnFinished(t *testing.T) {
	var lines []string
	p := func(s string) { lines = append(lines, s) }
	runV(t, func(t *coop.Task) error {
		sleeper := t.Spawn("sleep_task", func(t *coop.Task) error {
			p("sleep_task sleep")
			if err := t.Sleep(0); err != nil {
				return err
			}
			p("sleep_task wake")
			return nil
		})
		waiting := t.Spawn("wait_task", func(t *coop.Task) error {
			p("wait_task wait")
			if err := sleeper.Wait(t); err != nil {
				return err
			}
			p("wait_task wake")
			return nil
		})
		p("main sleep")
		if err := t.Sleep(0); err != nil {
			return err
		}
		p("main sleep")
		if err := t.Sleep(0); err != nil {
			return err
		}
		waiting.Cancel()
		p("main wait")
		err := waiting.Wait(t)
		p(fmt.Sprint(err))
		return nil
	})
	want := []string{"main sleep", "sleep_task sleep", "wait_task wait", "main sleep", "sleep_task wake", "main wait", "coop: task cancelled"}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("got\n  %q\nwant\n  %q", lines, want)
	}
}

// MicroPython asyncio_cancel_fair.py / asyncio_cancel_fair2.py: tasks
// cancelled while waiting on a task all get their cancellation, in the order
// they were cancelled, and the awaited task is cancelled once.
func TestMicroPythonCancelFair(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var tasks []*coop.Task
		for i := range 3 {
			tasks = append(tasks, t.Spawn(fmt.Sprint("t", i), func(t *coop.Task) error {
				lg.log(t, "start %d", i)
				err := t.Sleep(time.Second)
				lg.log(t, "cancelled %d: %v", i, errors.Is(err, coop.ErrCancelled))
				return err
			}))
		}
		if err := t.Sleep(0); err != nil {
			return err
		}
		for _, i := range []int{2, 0, 1} {
			tasks[i].Cancel()
		}
		err := coop.Gather(t, tasks...)
		lg.log(t, "gather: %d cancellations", countCancelled(err))
		return nil
	})
	lg.check(t,
		"0s start 0",
		"0s start 1",
		"0s start 2",
		"0s cancelled 2: true",
		"0s cancelled 0: true",
		"0s cancelled 1: true",
		"0s gather: 3 cancellations")
}

// countCancelled counts the errors joined in err that are cancellations.
func countCancelled(err error) int {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		n := 0
		for _, e := range j.Unwrap() {
			n += countCancelled(e)
		}
		return n
	}
	if errors.Is(err, coop.ErrCancelled) {
		return 1
	}
	return 0
}

// MicroPython asyncio_basic.py and asyncio_basic2.py: sleeps of different
// lengths end in deadline order, at the exact times; equal deadlines in the
// order the sleeps were scheduled.
func TestMicroPythonSleepOrder(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		for _, c := range []struct {
			name string
			d    time.Duration
		}{{"a", 30 * ms}, {"b", 10 * ms}, {"c", 20 * ms}, {"d", 10 * ms}, {"e", 0}, {"f", 10 * ms}} {
			t.Spawn(c.name, func(t *coop.Task) error {
				lg.log(t, "%s sleeps %v", c.name, c.d)
				err := t.Sleep(c.d)
				lg.log(t, "%s woke", c.name)
				return err
			})
		}
		err := t.Sleep(50 * ms)
		lg.log(t, "main woke")
		return err
	})
	lg.check(t,
		"0s a sleeps 30ms",
		"0s b sleeps 10ms",
		"0s c sleeps 20ms",
		"0s d sleeps 10ms",
		"0s e sleeps 0s",
		"0s f sleeps 10ms",
		"0s e woke",
		"10ms b woke",
		"10ms d woke",
		"10ms f woke",
		"20ms c woke",
		"30ms a woke",
		"50ms main woke")
}

// MicroPython asyncio_fair.py: tasks that yield with sleep(0) take turns,
// round robin, in the order they became ready.
func TestMicroPythonSleepZeroRoundRobin(t *testing.T) {
	var lines []string
	runV(t, func(t *coop.Task) error {
		var ts []*coop.Task
		for _, name := range []string{"a", "b", "c"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				for i := range 3 {
					lines = append(lines, fmt.Sprint(name, i))
					if err := t.Sleep(0); err != nil {
						return err
					}
				}
				return nil
			}))
		}
		return coop.Gather(t, ts...)
	})
	want := "[a0 b0 c0 a1 b1 c1 a2 b2 c2]"
	if fmt.Sprint(lines) != want {
		t.Errorf("got %v, want %v", lines, want)
	}
}

// MicroPython asyncio_event.py: waiters are woken in the order they waited;
// Wait on a set event returns at once without yielding; Clear makes later
// waits block until the next Set.
func TestMicroPythonEvent(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		var ts []*coop.Task
		for i := range 4 {
			ts = append(ts, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
				lg.log(t, "w%d wait", i)
				err := ev.Wait(t)
				lg.log(t, "w%d woke", i)
				return err
			}))
		}
		if err := t.Sleep(10 * ms); err != nil {
			return err
		}
		lg.log(t, "set")
		ev.Set()
		lg.log(t, "set done, is set %v", ev.IsSet())
		if err := coop.Gather(t, ts...); err != nil {
			return err
		}
		// Set before Wait: no yield, a ready task does not run in between.
		t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
		if err := ev.Wait(t); err != nil {
			return err
		}
		lg.log(t, "wait on set event returned")
		ev.Clear()
		t.Spawn("setter", func(t *coop.Task) error {
			if err := t.Sleep(5 * ms); err != nil {
				return err
			}
			lg.log(t, "setter sets")
			ev.Set()
			return nil
		})
		err := ev.Wait(t)
		lg.log(t, "wait after clear returned")
		return err
	})
	lg.check(t,
		"0s w0 wait",
		"0s w1 wait",
		"0s w2 wait",
		"0s w3 wait",
		"10ms set",
		"10ms set done, is set true",
		"10ms w0 woke",
		"10ms w1 woke",
		"10ms w2 woke",
		"10ms w3 woke",
		"10ms wait on set event returned",
		"10ms other runs",
		"15ms setter sets",
		"15ms wait after clear returned")
}

// MicroPython asyncio_lock.py: a lock is taken in the order tasks asked for
// it, each holding it across awaits.
func TestMicroPythonLockFIFO(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var lock coop.Lock
		var ts []*coop.Task
		for i := range 3 {
			ts = append(ts, t.Spawn(fmt.Sprint("t", i), func(t *coop.Task) error {
				lg.log(t, "task %d acquire", i)
				if err := lock.Acquire(t); err != nil {
					return err
				}
				lg.log(t, "task %d has lock", i)
				err := t.Sleep(10 * ms)
				lg.log(t, "task %d release", i)
				lock.Release()
				return err
			}))
		}
		err := coop.Gather(t, ts...)
		lg.log(t, "locked %v", lock.Locked())
		return err
	})
	lg.check(t,
		"0s task 0 acquire",
		"0s task 0 has lock",
		"0s task 1 acquire",
		"0s task 2 acquire",
		"10ms task 0 release",
		"10ms task 1 has lock",
		"20ms task 1 release",
		"20ms task 2 has lock",
		"30ms task 2 release",
		"30ms locked false")
}

// MicroPython asyncio_lock_cancel.py: tasks cancelled while they wait for a
// lock leave the queue without taking it; the others get it in order.
func TestMicroPythonLockCancel(t *testing.T) {
	var lines []string
	p := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	runV(t, func(t *coop.Task) error {
		var lock coop.Lock
		if err := lock.Acquire(t); err != nil {
			return err
		}
		flag := true
		task := func(i int) func(t *coop.Task) error {
			return func(t *coop.Task) error {
				p("task %d start", i)
				if err := lock.Acquire(t); err != nil {
					p("task %d cancel", i)
					return nil
				}
				p("task %d lock_flag %v", i, flag)
				flag = true
				if err := t.Sleep(0); err != nil {
					return err
				}
				lock.Release()
				flag = false
				p("task %d done", i)
				return nil
			}
		}
		var ts []*coop.Task
		for i := range 4 {
			ts = append(ts, t.Spawn(fmt.Sprint("t", i), task(i)))
		}
		if err := t.Sleep(0); err != nil {
			return err
		}
		ts[1].Cancel()
		ts[2].Cancel()
		lock.Release()
		flag = false
		for range 4 {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		p("%v", lock.Locked())
		return nil
	})
	want := []string{
		"task 0 start", "task 1 start", "task 2 start", "task 3 start",
		"task 1 cancel", "task 2 cancel",
		"task 0 lock_flag false", "task 0 done",
		"task 3 lock_flag false", "task 3 done",
		"false",
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("got\n  %q\nwant\n  %q", lines, want)
	}
}

// MicroPython asyncio_wait_for.py: wait_for returns the result in time,
// times out (cancelling the work and waiting for its cleanup), passes the
// work's failure on, and cancelling the waiter cancels the work.
func TestMicroPythonWaitFor(t *testing.T) {
	var lg logger
	errBoom := errors.New("boom")
	work := func(id int, d time.Duration) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			lg.log(t, "task start %d", id)
			defer lg.log(t, "task cleanup %d", id)
			if err := t.Sleep(d); err != nil {
				lg.log(t, "task cancelled %d", id)
				return err
			}
			lg.log(t, "task end %d", id)
			return nil
		}
	}
	runV(t, func(t *coop.Task) error {
		lg.log(t, "wait_for in time: %v", coop.WaitFor(t, 20*ms, work(1, 10*ms)))
		err := coop.WaitFor(t, 10*ms, work(2, 20*ms))
		lg.log(t, "wait_for timeout: %v", errors.Is(err, coop.ErrTimeout))
		err = coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
			lg.log(t, "task raise")
			return errBoom
		})
		lg.log(t, "wait_for raise: %v", err)
		// Cleanup that awaits, under Shield, is waited for too.
		err = coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
			lg.log(t, "task_catch start")
			err := t.Sleep(20 * ms)
			t.Shield(func() error {
				lg.log(t, "task_catch cleanup")
				return t.Sleep(5 * ms)
			})
			lg.log(t, "task_catch done")
			return err
		})
		lg.log(t, "wait_for catch: %v", errors.Is(err, coop.ErrTimeout))
		// Cancel the task that waits in wait_for.
		waiter := t.Spawn("wait_for_cancel", func(t *coop.Task) error {
			lg.log(t, "task_wait_for_cancel start")
			err := coop.WaitFor(t, 100*ms, work(4, 50*ms))
			lg.log(t, "task_wait_for_cancel: cancelled=%v", errors.Is(err, coop.ErrCancelled))
			return err
		})
		if err := t.Sleep(10 * ms); err != nil {
			return err
		}
		waiter.Cancel()
		err = waiter.Wait(t)
		lg.log(t, "main: cancelled=%v", errors.Is(err, coop.ErrCancelled))
		return nil
	})
	lg.check(t,
		"0s task start 1",
		"10ms task end 1",
		"10ms task cleanup 1",
		"10ms wait_for in time: <nil>",
		"10ms task start 2",
		"20ms task cancelled 2",
		"20ms task cleanup 2",
		"20ms wait_for timeout: true",
		"20ms task raise",
		"20ms wait_for raise: boom",
		"20ms task_catch start",
		"30ms task_catch cleanup",
		"35ms task_catch done",
		"35ms wait_for catch: true",
		"35ms task_wait_for_cancel start",
		"35ms task start 4",
		"45ms task cancelled 4",
		"45ms task cleanup 4",
		"45ms task_wait_for_cancel: cancelled=true",
		"45ms main: cancelled=true")
}

// MicroPython asyncio_wait_for.py (the race case) and CPython
// test_wait_for_race_condition: work finishing at the very instant of the
// deadline. The timeout was scheduled first, so it fires first and wins, as
// in MicroPython (whose wait_for sleeps before the work's own sleep).
func TestMicroPythonWaitForAtDeadline(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
			err := t.Sleep(10 * ms)
			lg.log(t, "work sleep: %v", err)
			return err
		})
		lg.log(t, "timeout=%v", errors.Is(err, coop.ErrTimeout))
		// Work that finished before the deadline instant wins.
		err = coop.WaitFor(t, 10*ms, func(t *coop.Task) error {
			return t.Sleep(10*ms - 1)
		})
		lg.log(t, "in time: %v", err)
		return nil
	})
	lg.check(t,
		"10ms work sleep: coop: task cancelled",
		"10ms timeout=true",
		"19.999999ms in time: <nil>")
}

// MicroPython asyncio_gather.py: gather waits for all and returns their
// failures joined (coop joins errors where asyncio raises the first or
// returns them with return_exceptions); a cancelled gather cancels all.
func TestMicroPythonGather(t *testing.T) {
	var lg logger
	errA, errB := errors.New("a failed"), errors.New("b failed")
	runV(t, func(t *coop.Task) error {
		fact := func(name string, d time.Duration, err error) func(t *coop.Task) error {
			return func(t *coop.Task) error {
				lg.log(t, "%s start", name)
				if err := t.Sleep(d); err != nil {
					lg.log(t, "%s cancelled", name)
					return err
				}
				lg.log(t, "%s end", name)
				return err
			}
		}
		err := coop.Gather(t, t.Spawn("x", fact("x", 20*ms, nil)), t.Spawn("y", fact("y", 10*ms, nil)))
		lg.log(t, "gather ok: %v", err)
		err = coop.Gather(t,
			t.Spawn("a", fact("a", 20*ms, errA)),
			t.Spawn("b", fact("b", 10*ms, errB)),
			t.Spawn("c", fact("c", 30*ms, nil)))
		lg.log(t, "gather errs: %q a=%v b=%v", err, errors.Is(err, errA), errors.Is(err, errB))

		// Cancel the task doing the gather: every child is cancelled.
		g := t.Spawn("gatherer", func(t *coop.Task) error {
			err := coop.Gather(t, t.Spawn("p", fact("p", 50*ms, nil)), t.Spawn("q", fact("q", 50*ms, nil)))
			lg.log(t, "gatherer: cancelled=%v", errors.Is(err, coop.ErrCancelled))
			return err
		})
		if err := t.Sleep(10 * ms); err != nil {
			return err
		}
		g.Cancel()
		err = g.Wait(t)
		lg.log(t, "main: cancelled=%v", errors.Is(err, coop.ErrCancelled))
		return nil
	})
	lg.check(t,
		"0s x start",
		"0s y start",
		"10ms y end",
		"20ms x end",
		"20ms gather ok: <nil>",
		"20ms a start",
		"20ms b start",
		"20ms c start",
		"30ms b end",
		"40ms a end",
		"50ms c end",
		"50ms gather errs: \"a failed\\nb failed\" a=true b=true",
		"50ms p start",
		"50ms q start",
		"60ms p cancelled",
		"60ms q cancelled",
		"60ms gatherer: cancelled=true",
		"60ms main: cancelled=true")
}

// MicroPython asyncio_exception.py and asyncio_task_exception.py: a task's
// error is its result, returned by every await of it; a panic becomes a
// *PanicError; the error of a task nobody awaits goes to the error handler,
// once, as it ends.
func TestMicroPythonTaskException(t *testing.T) {
	var lg logger
	errX := errors.New("x failed")
	var reported []string
	err := coop.Run(func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error { lg.log(t, "x raises"); return errX })
		p := t.Spawn("p", func(t *coop.Task) error { panic(errX) })
		lone := t.Spawn("lone", func(t *coop.Task) error {
			if err := t.Sleep(10 * ms); err != nil {
				return err
			}
			lg.log(t, "lone raises")
			return errors.New("lone failed")
		})
		_ = lone
		lg.log(t, "x: %v", x.Wait(t))
		lg.log(t, "x again: %v", x.Wait(t))
		err := p.Wait(t)
		var pe *coop.PanicError
		lg.log(t, "p: %v is errX %v as panic %v", err, errors.Is(err, errX), errors.As(err, &pe))
		if err := t.Sleep(20 * ms); err != nil {
			return err
		}
		lg.log(t, "main raises")
		return errors.New("main failed")
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		reported = append(reported, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
	}))
	lg.check(t,
		"0s x raises",
		"0s x: x failed",
		"0s x again: x failed",
		"0s p: panic: x failed is errX true as panic true",
		"10ms lone raises",
		"20ms main raises")
	if err == nil || err.Error() != "main failed" {
		t.Errorf("Run = %v, want main's error", err)
	}
	// x was awaited before it ended; p failed with nobody awaiting it,
	// and main, woken in that round by x's end, awaited p in the next,
	// before the report MicroPython (and coop) makes a round later; lone's
	// failure nobody retrieves.
	if fmt.Sprint(reported) != "[10ms lone: lone failed]" {
		t.Errorf("reported %q, want lone's failure, once", reported)
	}
}

// MicroPython asyncio_threadsafeflag.py: a flag set from another goroutine
// wakes the one task waiting on it; a set flag makes Wait return at once and
// is cleared by it; signals are not counted.
func TestMicroPythonThreadSafeFlag(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		flag.Set()
		flag.Set()
		if err := flag.Wait(t); err != nil {
			return err
		}
		lg.log(t, "set flag: returned at once")
		release := t.Loop().Hold()
		go func() {
			defer release()
			flag.Set()
		}()
		err := flag.Wait(t)
		lg.log(t, "woken from a goroutine: %v", err)
		// A second Wait blocks: the two Sets before counted once.
		err = coop.WaitFor(t, 10*ms, flag.Wait)
		lg.log(t, "no signal left: timeout=%v", errors.Is(err, coop.ErrTimeout))
		return nil
	})
	lg.check(t,
		"0s set flag: returned at once",
		"0s woken from a goroutine: <nil>",
		"10ms no signal left: timeout=true")
}

// MicroPython asyncio_loop_stop.py and asyncio.run: Run returns main's
// result once main returns; tasks still alive are cancelled and their
// cleanup (defers, and shielded awaits) runs before Run returns. A task
// made ready in main's last round never runs its body.
func TestMicroPythonRunCancelsLeftovers(t *testing.T) {
	var lg logger
	errMain := errors.New("main result")
	err := coop.Run(func(t *coop.Task) error {
		t.Spawn("forever", func(t *coop.Task) error {
			defer lg.log(t, "forever defer")
			for {
				if err := t.Sleep(7 * ms); err != nil {
					lg.log(t, "forever cancelled")
					return err
				}
				lg.log(t, "forever tick")
			}
		})
		t.Spawn("cleaner", func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			lg.log(t, "cleaner cancelled: %v", errors.Is(err, coop.ErrCancelled))
			lg.log(t, "cleaner unshielded sleep: %v", t.Sleep(ms))
			t.Shield(func() error {
				err := t.Sleep(3 * ms)
				lg.log(t, "cleaner shielded sleep: %v", err)
				return err
			})
			return err
		})
		err := t.Sleep(15 * ms)
		lg.log(t, "main returns")
		t.Spawn("late", func(t *coop.Task) error { lg.log(t, "late ran"); return nil })
		if err != nil {
			return err
		}
		return errMain
	}, coop.WithVirtualClock())
	lg.check(t,
		"7ms forever tick",
		"14ms forever tick",
		"15ms main returns",
		"15ms forever cancelled",
		"15ms forever defer",
		"15ms cleaner cancelled: true",
		"15ms cleaner unshielded sleep: coop: task cancelled",
		"18ms cleaner shielded sleep: <nil>")
	if err != errMain {
		t.Errorf("Run = %v, want main's error", err)
	}
}

// MicroPython asyncio_task_done.py: Done is false until the task has run to
// its end, true after, whether it returned, failed or was cancelled.
func TestMicroPythonTaskDone(t *testing.T) {
	var lg logger
	errV := errors.New("ValueError")
	var reported []string
	err := coop.Run(func(t *coop.Task) error {
		for _, c := range []struct {
			name string
			d    time.Duration
			err  error
		}{{"immediate", -1, nil}, {"delayed", 10 * ms, nil}, {"raises", -1, errV}, {"raises later", 10 * ms, errV}} {
			x := t.Spawn(c.name, func(t *coop.Task) error {
				lg.log(t, "task start")
				if c.d >= 0 {
					if err := t.Sleep(c.d); err != nil {
						return err
					}
				}
				if c.err != nil {
					return c.err
				}
				lg.log(t, "task done")
				return nil
			})
			lg.log(t, "%s: %v", c.name, x.Done())
			if err := t.Sleep(0); err != nil {
				return err
			}
			lg.log(t, "%s: %v", c.name, x.Done())
			err := x.Wait(t)
			lg.log(t, "%s: %v %v %v", c.name, x.Done(), err, x.State())
		}
		x := t.Spawn("cancelled", func(t *coop.Task) error { return t.Sleep(time.Hour) })
		if err := t.Sleep(0); err != nil {
			return err
		}
		x.Cancel()
		lg.log(t, "cancelled: done %v right after Cancel", x.Done())
		err := x.Wait(t)
		lg.log(t, "cancelled: %v %v", x.Done(), errors.Is(err, coop.ErrCancelled))
		return nil
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		reported = append(reported, fmt.Sprintf("%v %s: %v", task.Now(), task.Name(), err))
	}))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	// "raises" failed with nobody awaiting it, but main awaited it the
	// round after, before the report waiting for that round: as in
	// MicroPython, nothing is reported; "raises later" was awaited in time.
	if len(reported) != 0 {
		t.Errorf("reported %q, want nothing", reported)
	}
	lg.check(t,
		"0s immediate: false",
		"0s task start",
		"0s task done",
		"0s immediate: true",
		"0s immediate: true <nil> done",
		"0s delayed: false",
		"0s task start",
		"0s delayed: false",
		"10ms task done",
		"10ms delayed: true <nil> done",
		"10ms raises: false",
		"10ms task start",
		"10ms raises: true",
		"10ms raises: true ValueError failed",
		"10ms raises later: false",
		"10ms task start",
		"10ms raises later: false",
		"20ms raises later: true ValueError failed",
		"20ms cancelled: done false right after Cancel",
		"20ms cancelled: true true")
}

// MicroPython asyncio_wait_task.py: several tasks awaiting one task are all
// woken when it ends, in the order they began to wait, each with its
// result; awaiting it again later returns the same result at once.
func TestMicroPythonWaitTaskManyWaiters(t *testing.T) {
	var lg logger
	errX := errors.New("x failed")
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			if err := t.Sleep(10 * ms); err != nil {
				return err
			}
			lg.log(t, "x ends")
			return errX
		})
		var ws []*coop.Task
		for i := range 3 {
			ws = append(ws, t.Spawn(fmt.Sprint("w", i), func(t *coop.Task) error {
				err := x.Wait(t)
				lg.log(t, "w%d: %v", i, err)
				return nil
			}))
		}
		if err := coop.Gather(t, ws...); err != nil {
			return err
		}
		lg.log(t, "main: %v", x.Wait(t))
		return nil
	})
	lg.check(t,
		"10ms x ends",
		"10ms w0: x failed",
		"10ms w1: x failed",
		"10ms w2: x failed",
		"10ms main: x failed")
}

// MicroPython asyncio_current_task.py: the loop's current task is the one
// whose step runs.
func TestMicroPythonCurrentTask(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		var inside *coop.Task
		x := t.Spawn("x", func(x *coop.Task) error { inside = x.Loop().Current(); return nil })
		if t.Loop().Current() != t {
			return errors.New("main is not the current task")
		}
		if err := x.Wait(t); err != nil {
			return err
		}
		if inside != x {
			return fmt.Errorf("current in x = %v", inside)
		}
		return nil
	})
}

// MicroPython asyncio_event.py (set then clear before the waiters run): a
// waiter woken by Set returns nil even if the event was cleared before it
// resumed.
func TestMicroPythonEventSetClear(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		w := t.Spawn("w", func(t *coop.Task) error {
			err := ev.Wait(t)
			lg.log(t, "w: %v, set %v", err, ev.IsSet())
			return err
		})
		if err := t.Sleep(ms); err != nil {
			return err
		}
		ev.Set()
		ev.Clear()
		return w.Wait(t)
	})
	lg.check(t, "1ms w: <nil>, set false")
}

// MicroPython asyncio_threadsafeflag.py on the real clock: a goroutine's
// Set wakes the loop, which is idle with nothing else to do.
func TestMicroPythonThreadSafeFlagRealClock(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		go flag.Set()
		return flag.Wait(t)
	})
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
}

// MicroPython asyncio_exception.py (uncaught in main): a panic in main is
// Run's result, as a *PanicError with the stack; a main cancelled by another
// task returns ErrCancelled.
func TestMicroPythonMainResult(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error { panic("main blew up") }, coop.WithVirtualClock())
	var pe *coop.PanicError
	if !errors.As(err, &pe) || pe.Value != "main blew up" {
		t.Errorf("Run = %v, want main's panic", err)
	} else if len(pe.Stack) == 0 && runtime.Compiler != "tinygo" { // TinyGo has no stack to give
		t.Errorf("main's panic has no stack")
	}
	err = coop.Run(func(t *coop.Task) error {
		t.Spawn("killer", func(k *coop.Task) error { t.Cancel(); return nil })
		return t.Sleep(time.Hour)
	}, coop.WithVirtualClock())
	if !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("Run = %v, want ErrCancelled", err)
	}
}

// MicroPython asyncio_loop_stop.py and asyncio_new_event_loop.py: a loop
// runs for a while and returns with its tasks where they are; it resumes
// them on the next run; Stop from a task ends RunForever after the current
// round; Close cancels what is left and runs its cleanup; a new loop starts
// afresh.
func TestMicroPythonLoopStopAndResume(t *testing.T) {
	var lg logger
	l := coop.NewLoop(coop.WithVirtualClock())
	ticker := l.Spawn("ticker", func(t *coop.Task) error {
		defer lg.log(t, "ticker cleanup")
		for i := 0; ; i++ {
			if err := t.Sleep(10 * ms); err != nil {
				return err
			}
			lg.log(t, "tick %d", i)
		}
	})
	if err := l.RunFor(25 * ms); err != nil {
		t.Fatal(err)
	}
	lg.lines = append(lg.lines, fmt.Sprintf("RunFor returned at %v, ticker %v", l.Now(), ticker.State()))
	l.Spawn("stopper", func(t *coop.Task) error {
		if err := t.Sleep(10 * ms); err != nil {
			return err
		}
		lg.log(t, "stop")
		t.Loop().Stop()
		return nil
	})
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	lg.lines = append(lg.lines, fmt.Sprintf("RunForever returned at %v", l.Now()))
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lg.check(t,
		"10ms tick 0",
		"20ms tick 1",
		"RunFor returned at 25ms, ticker sleeping",
		"30ms tick 2",
		"35ms stop",
		"RunForever returned at 35ms",
		"35ms ticker cleanup")
	l2 := coop.NewLoop(coop.WithVirtualClock())
	if l2.Now() != 0 {
		t.Errorf("a new loop starts at %v", l2.Now())
	}
	l2.Close()
}
