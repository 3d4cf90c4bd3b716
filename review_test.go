package coop_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Regression tests from a review of the scheduler's semantics
// (DESIGN.md, "Semantics that must hold").

// Cancellation at each kind of await, including while the task is queued
// (woken, not yet resumed).
func TestReviewCancelAtEveryAwait(t *testing.T) {
	for _, tc := range []struct {
		name string
		body func(t *coop.Task, env *reviewEnv) error
		// poke runs in main after the victim parked, before Cancel.
		poke func(env *reviewEnv)
		want string // "cancelled": an error wrapping ErrCancelled
	}{
		{"sleep", func(t *coop.Task, e *reviewEnv) error { return t.Sleep(time.Hour) }, nil, "cancelled"},
		{"yield queued", func(t *coop.Task, e *reviewEnv) error { return t.Sleep(0) }, nil, "cancelled"},
		{"event", func(t *coop.Task, e *reviewEnv) error { return e.ev.Wait(t) }, nil, "cancelled"},
		{"event set then cancelled", func(t *coop.Task, e *reviewEnv) error { return e.ev.Wait(t) },
			func(e *reviewEnv) { e.ev.Set() }, "cancelled"},
		{"lock", func(t *coop.Task, e *reviewEnv) error { return e.lock.Acquire(t) }, nil, "cancelled"},
		{"lock handed then cancelled", func(t *coop.Task, e *reviewEnv) error {
			if err := e.lock.Acquire(t); err != nil {
				return err
			}
			defer e.lock.Release()
			return errors.New("got lock")
		}, func(e *reviewEnv) { e.lock.Release() }, "got lock"},
		{"queue get", func(t *coop.Task, e *reviewEnv) error { _, err := e.q.Get(t); return err }, nil, "cancelled"},
		{"queue get woken then cancelled", func(t *coop.Task, e *reviewEnv) error { _, err := e.q.Get(t); return err },
			func(e *reviewEnv) { e.q.TryPut(1) }, "cancelled"},
		{"flag", func(t *coop.Task, e *reviewEnv) error { return e.flag.Wait(t) }, nil, "cancelled"},
		{"wait any", func(t *coop.Task, e *reviewEnv) error { _, err := coop.WaitAny(t, e.sleeper); return err }, nil, "cancelled"},
		{"shielded sleep", func(t *coop.Task, e *reviewEnv) error {
			err := t.Shield(func() error { return t.Sleep(5 * ms) })
			if err != nil {
				return errors.New("shielded sleep failed")
			}
			return t.Sleep(0)
		}, nil, "cancelled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			var at time.Duration
			runV(t, func(t *coop.Task) error {
				env := &reviewEnv{q: coop.NewQueue[int](1)}
				env.lock.Acquire(t)
				env.sleeper = t.Spawn("sleeper", func(t *coop.Task) error { return t.Sleep(time.Hour) })
				v := t.Spawn("victim", func(t *coop.Task) error { return tc.body(t, env) })
				t.Sleep(0) // victim parks (or is queued, for a yield)
				if tc.poke != nil {
					tc.poke(env)
				}
				v.Cancel()
				v.Wait(t)
				got, at = v.Err(), t.Now()
				if tc.name == "queue get woken then cancelled" && env.q.Len() != 1 {
					return errors.New("the value was lost")
				}
				env.sleeper.Cancel()
				return nil
			})
			switch {
			case tc.want == "cancelled" && !errors.Is(got, coop.ErrCancelled):
				t.Errorf("victim returned %v, want ErrCancelled", got)
			case tc.want != "cancelled" && (got == nil || got.Error() != tc.want):
				t.Errorf("victim returned %v, want %q", got, tc.want)
			}
			wantAt := time.Duration(0)
			if tc.name == "shielded sleep" {
				wantAt = 5 * ms // the shielded sleep runs to its end
			}
			if at != wantAt {
				t.Errorf("victim finished at %v, want %v", at, wantAt)
			}
		})
	}
}

type reviewEnv struct {
	ev      coop.Event
	lock    coop.Lock
	q       *coop.Queue[int]
	flag    coop.ThreadSafeFlag
	sleeper *coop.Task
}

// WaitFor: the result comes only after fn's cleanup, whatever ends the wait.
func TestReviewWaitForCleanupTiming(t *testing.T) {
	errBoom := errors.New("boom")
	cleanup := func(t *coop.Task, err error) error { // 5ms of shielded cleanup
		t.Shield(func() error { return t.Sleep(5 * ms) })
		return err
	}
	for _, tc := range []struct {
		name     string
		d        time.Duration
		fn       func(t *coop.Task) error
		cancelAt time.Duration // cancel the caller at this time, 0: never
		want     string
		wantAt   time.Duration
	}{
		{"in time", 10 * ms, func(t *coop.Task) error { return t.Sleep(3 * ms) }, 0, "<nil>", 3 * ms},
		{"fails in time", 10 * ms, func(t *coop.Task) error { t.Sleep(3 * ms); return errBoom }, 0, "boom", 3 * ms},
		{"timeout waits for cleanup", 10 * ms, func(t *coop.Task) error { return cleanup(t, t.Sleep(time.Hour)) }, 0,
			"coop: timeout", 15 * ms},
		{"timeout joined with cleanup failure", 10 * ms, func(t *coop.Task) error { t.Sleep(time.Hour); return errBoom }, 0,
			"coop: timeout\nboom", 10 * ms},
		{"caller cancelled", 10 * ms, func(t *coop.Task) error { return cleanup(t, t.Sleep(time.Hour)) }, 4 * ms,
			"coop: task cancelled", 9 * ms},
		{"caller cancelled during timeout cleanup", 10 * ms, func(t *coop.Task) error { return cleanup(t, t.Sleep(time.Hour)) }, 12 * ms,
			"coop: task cancelled", 15 * ms},
		{"zero timeout never runs fn", 0, func(t *coop.Task) error { return errBoom }, 0, "coop: timeout", 0},
		{"cleanup outlasts the deadline after cancel", 10 * ms, func(t *coop.Task) error {
			t.Sleep(time.Hour)
			t.Shield(func() error { return t.Sleep(20 * ms) })
			return nil
		}, 4 * ms, "coop: task cancelled", 24 * ms},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got error
			var at time.Duration
			runV(t, func(t *coop.Task) error {
				caller := t.Spawn("caller", func(t *coop.Task) error {
					got = coop.WaitFor(t, tc.d, tc.fn)
					at = t.Now()
					return nil
				})
				if tc.cancelAt > 0 {
					t.Sleep(tc.cancelAt)
					caller.Cancel()
				}
				return caller.Wait(t)
			})
			if s := "<nil>"; got != nil {
				s = got.Error()
				if s != tc.want {
					t.Errorf("WaitFor = %q, want %q", s, tc.want)
				}
			} else if tc.want != "<nil>" {
				t.Errorf("WaitFor = nil, want %q", tc.want)
			}
			if at != tc.wantAt {
				t.Errorf("WaitFor returned at %v, want %v", at, tc.wantAt)
			}
		})
	}
}

// Gather and WaitAny with tasks already done: no yield, joined results in
// argument order; WaitAny picks the first done in argument order.
func TestReviewGatherAndWaitAnyDoneTasks(t *testing.T) {
	errA := errors.New("a failed")
	var lg logger
	runV(t, func(t *coop.Task) error {
		a := t.Spawn("a", func(t *coop.Task) error { return errA })
		b := t.Spawn("b", func(t *coop.Task) error { return nil })
		c := t.Spawn("c", func(t *coop.Task) error { return t.Sleep(time.Hour) })
		d := t.Spawn("d", func(t *coop.Task) error { return nil })
		d.Cancel() // before it runs
		t.Sleep(0)
		other := t.Spawn("other", func(t *coop.Task) error { lg.log(t, "other runs"); return nil })
		err := coop.Gather(t, b, d, a)
		lg.log(t, "gather %q", err)
		x, err := coop.WaitAny(t, c, d, a)
		lg.log(t, "any %s %v", x.Name(), err)
		c.Cancel()
		x, err = coop.WaitAny(t, c)
		lg.log(t, "any %s %v %v", x.Name(), err, x.State())
		return other.Wait(t)
	}, coop.WithErrorHandler(func(task *coop.Task, err error) { lg.log(task, "reported %s: %v", task.Name(), err) }))
	lg.check(t,
		"0s reported a: a failed",
		"0s gather \"coop: task cancelled\\na failed\"",
		"0s any d <nil>",
		"0s other runs",
		"0s any c <nil> cancelled",
	)
}

// TaskGroup: a member failing while the parent is cancelled; a member
// failing while the parent waits, with a sibling that cleans up.
func TestReviewTaskGroupFailures(t *testing.T) {
	errBoom := errors.New("boom")
	var lg logger
	runV(t, func(t *coop.Task) error {
		parent := t.Spawn("parent", func(t *coop.Task) error {
			g := coop.NewTaskGroup(t)
			g.Spawn("m1", func(t *coop.Task) error {
				err := t.Sleep(time.Hour)
				t.Shield(func() error { return t.Sleep(2 * ms) })
				if err != nil {
					return errBoom // fails in its cleanup
				}
				return nil
			})
			g.Spawn("m2", func(t *coop.Task) error { return t.Sleep(time.Hour) })
			err := t.Sleep(time.Hour) // cancelled before Wait
			lg.log(t, "parent sleep: %v", err)
			err = g.Wait()
			lg.log(t, "group: %q", err)
			return nil
		})
		t.Sleep(ms)
		parent.Cancel()
		parent.Wait(t)

		g := coop.NewTaskGroup(t)
		g.Spawn("f", func(t *coop.Task) error { t.Sleep(3 * ms); return errBoom })
		g.Spawn("s", func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			t.Shield(func() error { return t.Sleep(4 * ms) })
			lg.log(t, "s cleaned up: %v", err)
			return err
		})
		err := g.Wait()
		lg.log(t, "group 2: %q", err)
		return nil
	})
	lg.check(t,
		"1ms parent sleep: coop: task cancelled",
		"3ms group: \"coop: task cancelled\\nboom\"",
		"10ms s cleaned up: coop: task cancelled",
		"10ms group 2: \"boom\"",
	)
}

// Queue: cancelled putters and getters lose nothing and keep FIFO order for
// the others, including a waiter cancelled after it was woken.
func TestReviewQueueCancellations(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[string](1)
		q.TryPut("v0")
		var ps []*coop.Task
		for _, v := range []string{"p1", "p2", "p3"} {
			ps = append(ps, t.Spawn(v, func(t *coop.Task) error {
				err := q.Put(t, v)
				lg.log(t, "put %s: %v", v, err)
				return nil
			}))
		}
		t.Sleep(0) // all three wait
		ps[1].Cancel()
		v, _ := q.Get(t) // room for p1
		ps[0].Cancel()   // woken, not yet run: room passes on to p3
		coop.Gather(t, ps...)
		w, _ := q.TryGet()
		lg.log(t, "got %v %v, left %d", v, w, q.Len())

		q = coop.NewQueue[string](0)
		var gs []*coop.Task
		for _, g := range []string{"g1", "g2", "g3", "g4"} {
			gs = append(gs, t.Spawn(g, func(t *coop.Task) error {
				v, err := q.Get(t)
				lg.log(t, "%s got %q %v", g, v, err)
				return nil
			}))
		}
		t.Sleep(0)
		gs[1].Cancel()
		q.TryPut("a")  // wakes g1
		gs[0].Cancel() // g1 cancelled after the wake: "a" goes to g3
		t.Sleep(0)
		q.TryPut("b")
		t.Sleep(0)
		return coop.Gather(t, gs[2], gs[3])
	})
	lg.check(t,
		"0s put p2: coop: task cancelled",
		"0s put p1: coop: task cancelled",
		"0s put p3: <nil>",
		"0s got v0 p3, left 0",
		"0s g2 got \"\" coop: task cancelled",
		"0s g1 got \"\" coop: task cancelled",
		"0s g3 got \"a\" <nil>",
		"0s g4 got \"b\" <nil>",
	)
}

// Lock: FIFO hand-off skips cancelled waiters; a waiter handed the lock and
// cancelled before it ran keeps it until it releases it.
func TestReviewLockHandoffWithCancellation(t *testing.T) {
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
		ws["b"].Cancel() // b holds it already: its sleep fails, it releases
		coop.Gather(t, order...)
		lg.log(t, "locked %v", m.Locked())
		return nil
	}, coop.WithErrorHandler(func(*coop.Task, error) {}))
	lg.check(t,
		"0s c: coop: task cancelled",
		"0s b holds",
		"0s b releases (coop: task cancelled)",
		"0s d holds",
		"1ms d releases (<nil>)",
		"1ms e holds",
		"2ms e releases (<nil>)",
		"2ms locked false",
	)
}

// Condition: a cancelled waiter holds the lock again when Wait returns; a
// notification given to a waiter that is then cancelled is not lost.
func TestReviewConditionCancellation(t *testing.T) {
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
		ws[1].Cancel() // after the notification: Wait returns nil
		c.L.Release()
		t.Sleep(ms)
		c.L.Acquire(t)
		c.Notify(1) // to w3, the only one left
		c.L.Release()
		return coop.Gather(t, ws...)
	})
	lg.check(t,
		"0s w1: coop: task cancelled, locked true",
		"0s w2: <nil>, locked true",
		"1ms w3: <nil>, locked true",
	)
}

// Run's Close cancels every leftover task, whatever it waits on, and runs
// its cleanup to the end; nothing is reported, nothing is left running.
func TestReviewCloseWithTasksInEveryState(t *testing.T) {
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

// The virtual clock never jumps while a Hold is in flight: a callback handed
// in from the goroutine runs at the time the hold began. Once the hold is
// released with nothing handed in, a task waiting on a flag is a deadlock.
func TestReviewVirtualClockHoldAndDeadlock(t *testing.T) {
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		l := t.Loop()
		t.Spawn("ticker", func(t *coop.Task) error { return t.Sleep(10 * ms) })
		var flag coop.ThreadSafeFlag
		release := l.Hold()
		go func() {
			defer release()
			l.CallSoon(func() { lg.log(t, "callback from outside") })
		}()
		err := flag.Wait(t)
		lg.log(t, "flag: %v", err)
		return err
	}, coop.WithVirtualClock())
	lg.check(t, "0s callback from outside", "10ms flag: coop: task cancelled")
	want := `coop: deadlock at 10ms: every task waits and nothing can wake them: "main" waits on flag`
	if err == nil || err.Error() != want {
		t.Errorf("Run = %v, want %q", err, want)
	}
}

// ThreadSafeFlag.Set from many goroutines at once while a task waits in a
// loop: no race, and the last Set is never lost.
func TestReviewThreadSafeFlagManySetters(t *testing.T) {
	for _, virtual := range []bool{false, true} {
		const setters, sets = 8, 200
		var opts []coop.Option
		if virtual {
			opts = append(opts, coop.WithVirtualClock())
		}
		err := coop.Run(func(t *coop.Task) error {
			var flag coop.ThreadSafeFlag
			var count atomic.Int64
			var wg sync.WaitGroup
			release := t.Loop().Hold()
			for range setters {
				wg.Go(func() {
					for range sets {
						count.Add(1)
						flag.Set()
					}
				})
			}
			go func() { wg.Wait(); release() }()
			for count.Load() < setters*sets {
				if err := flag.Wait(t); err != nil {
					return err
				}
			}
			wg.Wait()
			return nil
		}, opts...)
		if err != nil {
			t.Errorf("virtual %v: Run = %v", virtual, err)
		}
	}
}

// WithShuffle reorders tasks within a priority only: every round still runs
// all higher-priority tasks first, and a seed gives the same order each run.
func TestReviewShuffleKeepsPriorities(t *testing.T) {
	run := func(seed uint64) []string {
		var got []string
		runV(t, func(t *coop.Task) error {
			var ts []*coop.Task
			for i, name := range []string{"h1", "l1", "h2", "l2", "h3", "l3"} {
				x := t.Spawn(name, func(t *coop.Task) error {
					for range 3 {
						got = append(got, name)
						if err := t.Sleep(ms); err != nil {
							return err
						}
					}
					return nil
				})
				x.SetPriority(1 - i%2)
				ts = append(ts, x)
			}
			return coop.Gather(t, ts...)
		}, coop.WithShuffle(seed))
		return got
	}
	orders := map[string]bool{}
	for seed := range uint64(20) {
		got := run(seed)
		if again := run(seed); !slices.Equal(got, again) {
			t.Errorf("seed %d: %v then %v", seed, got, again)
		}
		for round := range 3 {
			r := got[round*6 : round*6+6]
			for i, name := range r {
				if (i < 3) != (name[0] == 'h') {
					t.Fatalf("seed %d round %d: %v: a low-priority task ran before a high one", seed, round, r)
				}
			}
			orders[strings.Join(r, " ")] = true
		}
	}
	if len(orders) < 2 {
		t.Errorf("20 seeds gave %d orders; shuffle does nothing", len(orders))
	}
}

// Independent loops on parallel goroutines share nothing.
func TestReviewParallelLoops(t *testing.T) {
	var wg sync.WaitGroup
	results := make([]time.Duration, 8)
	for i := range results {
		wg.Go(func() {
			coop.Run(func(t *coop.Task) error {
				q := coop.NewQueue[int](2)
				p := t.Spawn("producer", func(t *coop.Task) error {
					for j := range 50 {
						if err := q.Put(t, j); err != nil {
							return err
						}
						t.Sleep(time.Duration(i+1) * ms)
					}
					q.Close()
					return nil
				})
				for {
					if _, err := q.Get(t); err != nil {
						break
					}
				}
				results[i] = t.Now()
				return p.Wait(t)
			}, coop.WithVirtualClock())
		})
	}
	wg.Wait()
	for i, got := range results {
		if want := 50 * time.Duration(i+1) * ms; got != want {
			t.Errorf("loop %d ended at %v, want %v", i, got, want)
		}
	}
}

// Stop from another goroutine ends RunForever on the real clock even with
// nothing scheduled; RunFor on the virtual clock resumes where it stopped.
func TestReviewStopAndRunFor(t *testing.T) {
	l := coop.NewLoop()
	started := make(chan struct{})
	l.CallSoon(func() { close(started) })
	go func() { <-started; l.Stop() }()
	if err := l.RunForever(); err != nil {
		t.Errorf("RunForever = %v", err)
	}
	l.Close()

	var lg logger
	v := coop.NewLoop(coop.WithVirtualClock())
	v.Spawn("ticker", func(t *coop.Task) error {
		for {
			if err := t.Sleep(3 * ms); err != nil {
				return err
			}
			lg.log(t, "tick")
		}
	})
	for range 3 {
		v.RunFor(4 * ms)
		lg.lines = append(lg.lines, fmt.Sprintf("run ends %v", v.Now()))
	}
	if err := v.Close(); err != nil {
		t.Error(err)
	}
	lg.check(t, "3ms tick", "run ends 4ms", "6ms tick", "run ends 8ms", "9ms tick", "12ms tick", "run ends 12ms")
}

// Timers, under random sleeps and cancellations: every task wakes at its
// deadline, ties in scheduling order.
func TestReviewTimerHeapRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for iter := range 20 {
		type wake struct {
			at  time.Duration
			seq int
		}
		var woke []wake
		var lg logger
		runV(t, func(t *coop.Task) error {
			seq := 0
			var ts []*coop.Task
			for i := range 200 {
				d := time.Duration(rng.IntN(50)) * ms
				start := time.Duration(rng.IntN(20)) * ms
				cancelAt := time.Duration(-1)
				if rng.IntN(4) == 0 {
					cancelAt = time.Duration(rng.IntN(70)) * ms
				}
				x := t.Spawn(fmt.Sprint(i), func(t *coop.Task) error {
					if err := t.Sleep(start); err != nil {
						return nil
					}
					seq++
					my := seq
					due := t.Now() + d
					if err := t.Sleep(d); err != nil {
						return nil
					}
					if t.Now() != due {
						lg.log(t, "task %d woke at %v, due %v", i, t.Now(), due)
					}
					woke = append(woke, wake{t.Now(), my})
					return nil
				})
				if cancelAt >= 0 {
					t.Loop().CallAt(cancelAt, func() { x.Cancel() })
				}
				ts = append(ts, x)
			}
			return coop.Gather(t, ts...)
		})
		lg.check(t)
		if !slices.IsSortedFunc(woke, func(a, b wake) int {
			if a.at != b.at {
				return int(a.at - b.at)
			}
			return a.seq - b.seq
		}) {
			t.Fatalf("iteration %d: wakes out of order: %v", iter, woke)
		}
	}
}

// Close with a cleanup stuck forever on the virtual clock: ErrDeadlock, the
// stuck task unwinds (its defers run), Run returns.
func TestReviewCloseStuckCleanupVirtual(t *testing.T) {
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

func TestReviewBarrierCancelledWaiterDoesNotCount(t *testing.T) {
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

func TestReviewGatherByCancelledTaskLosesFailure(t *testing.T) {
	errBoom := errors.New("boom")
	var reported []error
	var gerr error
	coop.Run(func(t *coop.Task) error {
		child := t.Spawn("child", func(t *coop.Task) error {
			t.Shield(func() error { return t.Sleep(5 * ms) })
			return errBoom
		})
		parent := t.Spawn("parent", func(t *coop.Task) error {
			t.Sleep(time.Hour) // cancelled
			gerr = coop.Gather(t, child)
			return gerr
		})
		t.Sleep(ms)
		parent.Cancel()
		return t.Sleep(10 * ms)
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		reported = append(reported, err)
	}))
	if !errors.Is(gerr, errBoom) && len(reported) == 0 {
		t.Errorf("Gather = %v and error handler saw %v: child's failure boom is lost", gerr, reported)
	}
}

func TestReviewHandleCancelAfterDueBeforeRun(t *testing.T) {
	ran := false
	var cancelled bool
	runV(t, func(t *coop.Task) error {
		l := t.Loop()
		t.Spawn("canceller", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			// h is due now too, but has not run.
			return nil
		})
		var h *coop.Handle
		t.Spawn("c2", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			cancelled = h.Cancel()
			return nil
		})
		t.Sleep(0) // the tasks' timers first, so the callback is due last
		h = l.CallAt(10*ms, func() { ran = true })
		return t.Sleep(20 * ms)
	})
	if !cancelled || ran {
		t.Errorf("Cancel before the callback ran = %v, callback ran %v; want true, not run", cancelled, ran)
	}
}

func TestReviewSleepHugeDurationDoesNotOverflow(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.Sleep(ms)
		err := coop.WaitFor(t, 10*ms, func(t *coop.Task) error { return t.Sleep(math.MaxInt64) })
		lg.log(t, "sleep forever: %v", err)
		err = coop.WaitFor(t, math.MaxInt64, func(t *coop.Task) error { return t.Sleep(ms) })
		lg.log(t, "no timeout: %v", err)
		return nil
	})
	lg.check(t, "11ms sleep forever: coop: timeout", "12ms no timeout: <nil>")
}

// A priority-1 task that keeps yielding must not starve the loop's
// callbacks (RunFor's stop among them): each round runs what was ready when
// it began.
func TestReviewRunForWithHighPrioritySpinner(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock(), coop.WithStepCost(ms), coop.WithWarningHandler(func(coop.Warning) {}))
	defer l.Close()
	l.Spawn("spinner", func(t *coop.Task) error {
		for {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
	}).SetPriority(1)
	l.RunFor(10 * ms)
	if now := l.Now(); now != 11*ms {
		t.Errorf("RunFor(10ms) returned at %v, want 11ms (the step due at 10ms costs 1ms)", now)
	}
}

func TestReviewRunForLeavesNoStaleStop(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	a := l.Spawn("a", func(t *coop.Task) error {
		t.Sleep(10 * ms)
		t.Loop().Stop() // at 10ms too, before RunFor's own stop runs
		return t.Sleep(time.Hour)
	})
	a.SetPriority(1)
	l.RunFor(10 * ms)
	if l.Now() != 10*ms {
		t.Fatalf("first RunFor ended at %v, want 10ms", l.Now())
	}
	l.RunFor(20 * ms)
	if l.Now() != 30*ms {
		t.Errorf("second RunFor(20ms) ended at %v, want 30ms", l.Now())
	}
}

func TestReviewAwaitByCancelledTaskLosesFailure(t *testing.T) {
	errBoom := errors.New("boom")
	for name, await := range map[string]func(self, x *coop.Task) error{
		"Wait":    func(self, x *coop.Task) error { return x.Wait(self) },
		"WaitAny": func(self, x *coop.Task) error { _, err := coop.WaitAny(self, x); return err },
	} {
		t.Run(name, func(t *testing.T) {
			var reported []error
			coop.Run(func(t *coop.Task) error {
				child := t.Spawn("child", func(t *coop.Task) error {
					t.Shield(func() error { return t.Sleep(5 * ms) })
					return errBoom
				})
				parent := t.Spawn("parent", func(t *coop.Task) error {
					t.Sleep(time.Hour) // cancelled
					return await(t, child)
				})
				t.Sleep(ms)
				parent.Cancel()
				return t.Sleep(10 * ms)
			}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
				reported = append(reported, err)
			}))
			if len(reported) != 1 || !errors.Is(reported[0], errBoom) {
				t.Errorf("error handler saw %v; want child's boom", reported)
			}
		})
	}
}

func TestReviewWaitDoneTaskByCancelledSelf(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error { return nil })
		t.Sleep(0)
		t.Cancel()
		lg.log(t, "Wait: %v", x.Wait(t))
		lg.log(t, "Gather: %v", coop.Gather(t, x))
		return nil
	})
	lg.check(t, "0s Wait: coop: task cancelled", "0s Gather: coop: task cancelled")
}

func TestReviewGatherKeepsCancellationAfterFailure(t *testing.T) {
	errBoom := errors.New("boom")
	var lg logger
	runV(t, func(t *coop.Task) error {
		for _, order := range []string{"cancelled first", "failed first"} {
			f := t.Spawn("f", func(t *coop.Task) error { t.Sleep(ms); return errBoom })
			c := t.Spawn("c", func(t *coop.Task) error { return t.Sleep(time.Hour) })
			c.Cancel()
			var err error
			if order == "cancelled first" {
				err = coop.Gather(t, c, f)
			} else {
				err = coop.Gather(t, f, c)
			}
			lg.log(t, "%s: cancelled %v, boom %v", order, errors.Is(err, coop.ErrCancelled), errors.Is(err, errBoom))
		}
		return nil
	})
	lg.check(t, "1ms cancelled first: cancelled true, boom true", "2ms failed first: cancelled true, boom true")
}

func TestReviewThreadSafeFlagWaiterCancelledThenReplaced(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		old := t.Spawn("old", flag.Wait)
		t.Sleep(0)
		old.Cancel()
		t.Loop().CallSoon(flag.Set)
		err := flag.Wait(t)
		lg.log(t, "new waiter: %v", err)
		return nil
	}, coop.WithErrorHandler(func(*coop.Task, error) {}))
	lg.check(t, "0s new waiter: <nil>")
}

// On the real clock, where no deadlock can be proven, a cleanup stuck past
// the shutdown grace is named in a warning and abandoned.
func TestReviewCloseStuckCleanupRealClock(t *testing.T) {
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

func TestReviewWaitAnyLoserFailureLost(t *testing.T) {
	var reported []error
	coop.Run(func(t *coop.Task) error {
		a := t.Spawn("a", func(t *coop.Task) error { return t.Sleep(ms) })
		b := t.Spawn("b", func(t *coop.Task) error { t.Sleep(2 * ms); return errors.New("b failed") })
		coop.WaitAny(t, a, b)
		return t.Sleep(5 * ms)
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(_ *coop.Task, err error) { reported = append(reported, err) }))
	if len(reported) != 1 {
		t.Errorf("reported %v; want b's failure", reported)
	}
}
