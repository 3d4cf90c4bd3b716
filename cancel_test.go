//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestCancel(t *testing.T) {
	t.Run("before first run: the body never runs", func(t *testing.T) {
		ran := false
		runV(t, func(t *coop.Task) error {
			x := t.Spawn("x", func(t *coop.Task) error { ran = true; return nil })
			if !x.Cancel() {
				t.Loop().Stop()
			}
			err := x.Wait(t)
			if !errors.Is(err, coop.ErrCancelled) || x.State() != coop.StateCancelled {
				return fmt.Errorf("Wait = %v, state %v; want ErrCancelled, cancelled", err, x.State())
			}
			return nil
		})
		if ran {
			t.Error("a task cancelled before it ran ran its body")
		}
	})
	t.Run("pending and later awaits fail, defers run", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			x := t.Spawn("x", func(t *coop.Task) error {
				defer lg.log(t, "x deferred cleanup")
				err := t.Sleep(time.Second)
				lg.log(t, "x sleep: %v", err)
				err = t.Sleep(time.Second)
				lg.log(t, "x sleep again: %v", err)
				return err
			})
			t.Sleep(10 * ms)
			lg.log(t, "cancel: %v", x.Cancel())
			err := x.Wait(t)
			lg.log(t, "wait: %v; cancel again: %v", err, x.Cancel())
			return nil
		})
		lg.check(t,
			"10ms cancel: true",
			"10ms x sleep: coop: task cancelled",
			"10ms x sleep again: coop: task cancelled",
			"10ms x deferred cleanup",
			"10ms wait: coop: task cancelled; cancel again: false",
		)
	})
	t.Run("self-cancel takes effect at the next await", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			x := t.Spawn("x", func(t *coop.Task) error {
				t.Cancel()
				lg.log(t, "still running")
				return t.Sleep(ms)
			})
			lg.log(t, "%v", x.Wait(t))
			return nil
		})
		lg.check(t, "0s still running", "0s coop: task cancelled")
	})
	t.Run("a waiter's cancellation reaches what it waits on", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			inner := t.Spawn("inner", func(t *coop.Task) error {
				err := t.Sleep(time.Hour)
				lg.log(t, "inner: %v", err)
				t.Shield(func() error { return t.Sleep(3 * ms) }) // slow cleanup
				lg.log(t, "inner cleaned up")
				return err
			})
			outer := t.Spawn("outer", func(t *coop.Task) error {
				err := inner.Wait(t)
				lg.log(t, "outer: %v", err)
				return err
			})
			t.Sleep(ms)
			outer.Cancel()
			outer.Wait(t)
			lg.log(t, "inner %v, outer %v", inner.State(), outer.State())
			return nil
		})
		lg.check(t,
			"1ms inner: coop: task cancelled",
			"4ms inner cleaned up",
			"4ms outer: coop: task cancelled",
			"4ms inner cancelled, outer cancelled",
		)
	})
	t.Run("a Gather's cancellation reaches every task", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			var ts []*coop.Task
			for _, name := range []string{"a", "b", "c"} {
				ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					lg.log(t, "%s: %v", name, err)
					return err
				}))
			}
			g := t.Spawn("gather", func(t *coop.Task) error { return coop.Gather(t, ts...) })
			t.Sleep(ms)
			g.Cancel()
			err := g.Wait(t)
			lg.log(t, "gather is ErrCancelled: %v", errors.Is(err, coop.ErrCancelled))
			return nil
		})
		lg.check(t,
			"1ms a: coop: task cancelled",
			"1ms b: coop: task cancelled",
			"1ms c: coop: task cancelled",
			"1ms gather is ErrCancelled: true",
		)
	})
}

func TestIgnoredCancellationIsNamedAndAbandoned(t *testing.T) {
	var warnings []coop.Warning
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.Spawn("stubborn", func(t *coop.Task) error {
			defer lg.log(t, "stubborn unwound")
			for {
				t.Sleep(100 * ms) // the error is ignored: the classic mistake
			}
		})
		return t.Sleep(250 * ms)
	}, coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }), coop.WithCancelLimit(5))
	if len(warnings) != 1 {
		t.Fatalf("got %d warnings, want 1: %v", len(warnings), warnings)
	}
	w := warnings[0]
	if w.Kind != coop.WarnIgnoredCancel || w.Task != "stubborn" || w.Count != 5 || w.At != 250*ms {
		t.Errorf("warning = %+v; want WarnIgnoredCancel for stubborn, count 5, at 250ms", w)
	}
	want := `coop: warning: task "stubborn" ignored cancellation (5 awaits returned ErrCancelled); abandoning it at 250ms`
	if line, _, _ := strings.Cut(w.String(), "\n"); line != want {
		t.Errorf("warning text = %q, want %q", line, want)
	}
	// The stack is the task's, at the await that went past the limit.
	if runtime.Compiler != "tinygo" && !strings.Contains(w.Stack, "TestIgnoredCancellationIsNamedAndAbandoned.func1.1") {
		t.Errorf("warning stack:\n%s\nwant the stubborn task's function", w.Stack)
	}
	lg.check(t, "250ms stubborn unwound")
}

func TestShield(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			t.Shield(func() error {
				err := t.Sleep(10 * ms) // not interrupted by the cancel at 2ms
				lg.log(t, "shielded sleep: %v", err)
				return err
			})
			err := t.Sleep(10 * ms)
			lg.log(t, "after shield: %v", err)
			return err
		})
		t.Sleep(2 * ms)
		x.Cancel()
		return ignoreCancelled(x.Wait(t))
	})
	lg.check(t, "10ms shielded sleep: <nil>", "10ms after shield: coop: task cancelled")
}

// Cancellation at each kind of await, including while the task is queued
// (woken, not yet resumed).
func TestCancelAtEveryAwait(t *testing.T) {
	for _, tc := range []struct {
		name string
		body func(t *coop.Task, env *awaitEnv) error
		// poke runs in main after the victim parked, before Cancel.
		poke func(env *awaitEnv)
		want string // "cancelled": an error wrapping ErrCancelled
	}{
		{"sleep", func(t *coop.Task, e *awaitEnv) error { return t.Sleep(time.Hour) }, nil, "cancelled"},
		{"yield queued", func(t *coop.Task, e *awaitEnv) error { return t.Sleep(0) }, nil, "cancelled"},
		{"event", func(t *coop.Task, e *awaitEnv) error { return e.ev.Wait(t) }, nil, "cancelled"},
		{"event set then cancelled", func(t *coop.Task, e *awaitEnv) error { return e.ev.Wait(t) },
			func(e *awaitEnv) { e.ev.Set() }, "cancelled"},
		{"lock", func(t *coop.Task, e *awaitEnv) error { return e.lock.Acquire(t) }, nil, "cancelled"},
		{"lock handed then cancelled", func(t *coop.Task, e *awaitEnv) error {
			if err := e.lock.Acquire(t); err != nil {
				return err
			}
			defer e.lock.Release()
			return errors.New("got lock")
		}, func(e *awaitEnv) { e.lock.Release() }, "cancelled"},
		{"queue get", func(t *coop.Task, e *awaitEnv) error { _, err := e.q.Get(t); return err }, nil, "cancelled"},
		{"queue get woken then cancelled", func(t *coop.Task, e *awaitEnv) error { _, err := e.q.Get(t); return err },
			func(e *awaitEnv) { e.q.TryPut(1) }, "cancelled"},
		{"flag", func(t *coop.Task, e *awaitEnv) error { return e.flag.Wait(t) }, nil, "cancelled"},
		{"wait any", func(t *coop.Task, e *awaitEnv) error { _, err := coop.WaitAny(t, e.sleeper); return err }, nil, "cancelled"},
		{"shielded sleep", func(t *coop.Task, e *awaitEnv) error {
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
				env := &awaitEnv{q: coop.NewQueue[int](1)}
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
				if env.lock.Locked() && tc.name == "lock handed then cancelled" {
					return errors.New("the lock handed to the cancelled victim was not given back")
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

type awaitEnv struct {
	ev      coop.Event
	lock    coop.Lock
	q       *coop.Queue[int]
	flag    coop.ThreadSafeFlag
	sleeper *coop.Task
}

func TestAwaitByCancelledTaskLosesFailure(t *testing.T) {
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

func TestWaitDoneTaskByCancelledSelf(t *testing.T) {
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

func TestCheck(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			lg.log(t, "check: %v", t.Check())
			t.Cancel()
			lg.log(t, "check after cancel: %v", t.Check())
			return t.Shield(func() error {
				lg.log(t, "check in shield: %v", t.Check())
				return nil
			})
		})
		return x.Wait(t)
	})
	lg.check(t, "0s check: <nil>", "0s check after cancel: coop: task cancelled", "0s check in shield: <nil>")
}

// A waiter cancelled between its wake-up and its resumption gets
// ErrCancelled, and what the wake-up handed it (a lock, a permit, a value,
// a free slot, a notification, a signal, a result) reaches the next waiter
// or goes back, as in asyncio's test_locks and test_queues. In each case
// main wakes "a" and cancels it in the same step, before it can run.
func TestWokenThenCancelledGivesBack(t *testing.T) {
	// waiter spawns a task that logs what its await returned.
	waiter := func(t *coop.Task, lg *logger, name string, await func(t *coop.Task) (any, error)) *coop.Task {
		return t.Spawn(name, func(t *coop.Task) error {
			v, err := await(t)
			if err != nil {
				lg.log(t, "%s: %v", name, err)
				return err
			}
			lg.log(t, "%s: got %v", name, v)
			return nil
		})
	}
	nothing := func(err error) (any, error) { return "it", err }
	for _, tc := range []struct {
		name string
		run  func(t *coop.Task, lg *logger) error
		want []string
	}{
		{"lock to the next waiter", func(t *coop.Task, lg *logger) error {
			var m coop.Lock
			m.Acquire(t)
			acq := func(t *coop.Task) (any, error) { return nothing(m.Acquire(t)) }
			a, b := waiter(t, lg, "a", acq), waiter(t, lg, "b", acq)
			t.Sleep(0)
			m.Release() // to a
			a.Cancel()
			coop.Gather(t, a, b)
			lg.log(t, "locked %v", m.Locked()) // b did not release it
			return nil
		}, []string{"0s a: coop: task cancelled", "0s b: got it", "0s locked true"}},
		{"lock released", func(t *coop.Task, lg *logger) error {
			var m coop.Lock
			m.Acquire(t)
			a := waiter(t, lg, "a", func(t *coop.Task) (any, error) { return nothing(m.Acquire(t)) })
			t.Sleep(0)
			m.Release()
			a.Cancel()
			a.Wait(t)
			lg.log(t, "locked %v", m.Locked())
			return nil
		}, []string{"0s a: coop: task cancelled", "0s locked false"}},
		{"semaphore permit to the next waiter", func(t *coop.Task, lg *logger) error {
			s := coop.NewSemaphore(0)
			acq := func(t *coop.Task) (any, error) { return nothing(s.Acquire(t)) }
			a, b := waiter(t, lg, "a", acq), waiter(t, lg, "b", acq)
			t.Sleep(0)
			s.Release()
			a.Cancel()
			coop.Gather(t, a, b)
			lg.log(t, "available %d", s.Available())
			return nil
		}, []string{"0s a: coop: task cancelled", "0s b: got it", "0s available 0"}},
		{"semaphore permit back", func(t *coop.Task, lg *logger) error {
			s := coop.NewSemaphore(0)
			a := waiter(t, lg, "a", func(t *coop.Task) (any, error) { return nothing(s.Acquire(t)) })
			t.Sleep(0)
			s.Release()
			a.Cancel()
			a.Wait(t)
			lg.log(t, "available %d", s.Available())
			return nil
		}, []string{"0s a: coop: task cancelled", "0s available 1"}},
		{"queue value stays at the front", func(t *coop.Task, lg *logger) error {
			q := coop.NewQueue[int](0)
			get := func(t *coop.Task) (any, error) { return q.Get(t) }
			a, b := waiter(t, lg, "a", get), waiter(t, lg, "b", get)
			t.Sleep(0)
			q.TryPut(1) // wakes a
			q.TryPut(2) // wakes b
			a.Cancel()
			coop.Gather(t, a, b)
			v, _ := q.TryGet()
			lg.log(t, "left %v", v)
			return nil
		}, []string{"0s a: coop: task cancelled", "0s b: got 1", "0s left 2"}},
		{"queue free slot to the next putter", func(t *coop.Task, lg *logger) error {
			q := coop.NewQueue[int](1)
			q.TryPut(1)
			a := waiter(t, lg, "a", func(t *coop.Task) (any, error) { return nothing(q.Put(t, 2)) })
			b := waiter(t, lg, "b", func(t *coop.Task) (any, error) { return nothing(q.Put(t, 3)) })
			t.Sleep(0)
			q.TryGet() // wakes a for the free slot
			a.Cancel()
			coop.Gather(t, a, b)
			v, _ := q.TryGet()
			lg.log(t, "queued %v, len %d", v, q.Len())
			return nil
		}, []string{"0s a: coop: task cancelled", "0s b: got it", "0s queued 3, len 0"}},
		{"ring queue value to the next getter", func(t *coop.Task, lg *logger) error {
			q := coop.NewRingQueue[int](2)
			get := func(t *coop.Task) (any, error) { return q.Get(t) }
			a, b := waiter(t, lg, "a", get), waiter(t, lg, "b", get)
			t.Sleep(0)
			q.Put(1)
			a.Cancel()
			return coop.Gather(t, b)
		}, []string{"0s a: coop: task cancelled", "0s b: got 1"}},
		{"condition notification to the next waiter", func(t *coop.Task, lg *logger) error {
			c := coop.NewCondition(nil)
			wait := func(t *coop.Task) (any, error) {
				c.L.Acquire(t)
				defer c.L.Release()
				return nothing(c.Wait(t))
			}
			a, b := waiter(t, lg, "a", wait), waiter(t, lg, "b", wait)
			t.Sleep(0)
			c.L.Acquire(t)
			c.Notify(1)
			a.Cancel()
			c.L.Release()
			return coop.Gather(t, b)
		}, []string{"0s a: coop: task cancelled", "0s b: got it"}},
		{"barrier round passes for the others", func(t *coop.Task, lg *logger) error {
			br := coop.NewBarrier(3)
			wait := func(t *coop.Task) (any, error) { return nothing(br.Wait(t)) }
			a, b := waiter(t, lg, "a", wait), waiter(t, lg, "b", wait)
			t.Sleep(0)
			br.Wait(t) // the third party: releases a and b
			a.Cancel()
			coop.Gather(t, a, b)
			lg.log(t, "waiting %d", br.Waiting()) // the next round starts empty
			return nil
		}, []string{"0s a: coop: task cancelled", "0s b: got it", "0s waiting 0"}},
		{"event stays set", func(t *coop.Task, lg *logger) error {
			var ev coop.Event
			wait := func(t *coop.Task) (any, error) { return nothing(ev.Wait(t)) }
			a := waiter(t, lg, "a", wait)
			t.Sleep(0)
			ev.Set()
			a.Cancel()
			a.Wait(t)
			return waiter(t, lg, "b", wait).Wait(t)
		}, []string{"0s a: coop: task cancelled", "0s b: got it"}},
		{"flag signal back", func(t *coop.Task, lg *logger) error {
			var f coop.ThreadSafeFlag
			wait := func(t *coop.Task) (any, error) { return nothing(f.Wait(t)) }
			a := waiter(t, lg, "a", wait)
			t.Sleep(0)
			f.Set()
			t.Sleep(0) // the loop hands the signal to a, queued after main
			a.Cancel()
			a.Wait(t)
			return waiter(t, lg, "b", wait).Wait(t)
		}, []string{"0s a: coop: task cancelled", "0s b: got it"}},
		{"value task result to another reader", func(t *coop.Task, lg *logger) error {
			vt := coop.SpawnValue(t, "child", func(t *coop.Task) (int, error) { return 42, t.Sleep(ms) })
			a := waiter(t, lg, "a", func(t *coop.Task) (any, error) { return vt.Result(t) })
			t.Sleep(ms)
			t.Sleep(0) // meanwhile the child ends and wakes a, queued after main
			a.Cancel()
			a.Wait(t)
			return waiter(t, lg, "b", func(t *coop.Task) (any, error) { return vt.Result(t) }).Wait(t)
		}, []string{"1ms a: coop: task cancelled", "1ms b: got 42"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var lg logger
			runV(t, func(t *coop.Task) error { return tc.run(t, &lg) })
			lg.check(t, tc.want...)
		})
	}
}

// A failure an await was to return, when the awaiting task is cancelled
// first, is not lost: it goes to the error handler once, as asyncio logs an
// exception never retrieved. Both races: the child fails in its cleanup
// after the caller's cancellation reached it, or fails and wakes the caller,
// which is cancelled before it resumes.
func TestUnretrievedFailureIsReported(t *testing.T) {
	errBoom := errors.New("boom")
	awaits := map[string]func(self, x *coop.Task) error{
		"Wait":    func(self, x *coop.Task) error { return x.Wait(self) },
		"WaitAny": func(self, x *coop.Task) error { _, err := coop.WaitAny(self, x); return err },
		"Gather":  func(self, x *coop.Task) error { return coop.Gather(self, x) },
	}
	for _, name := range []string{"Wait", "WaitAny", "Gather"} {
		for _, race := range []string{"fails in cleanup", "woken then cancelled"} {
			t.Run(name+"/"+race, func(t *testing.T) {
				var reported []string
				var got error
				coop.Run(func(t *coop.Task) error {
					child := t.Spawn("child", func(t *coop.Task) error {
						t.Sleep(ms)
						return errBoom
					})
					caller := t.Spawn("caller", func(t *coop.Task) error {
						got = awaits[name](t, child)
						return nil
					})
					if race == "fails in cleanup" {
						t.Sleep(0)
						caller.Cancel() // cancels child: its Sleep fails, then it fails with boom
					} else {
						t.Sleep(ms)
						t.Sleep(0) // child has failed and woken caller, queued after main
						caller.Cancel()
					}
					return caller.Wait(t)
				}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
					reported = append(reported, fmt.Sprintf("%s: %v", task.Name(), err))
				}))
				want := []string{"child: boom"}
				if name == "Gather" { // Gather returns the failure with its cancellation
					want = nil
					if !errors.Is(got, coop.ErrCancelled) || !errors.Is(got, errBoom) {
						t.Errorf("Gather = %v, want ErrCancelled joined with boom", got)
					}
				} else if !errors.Is(got, coop.ErrCancelled) {
					t.Errorf("%s = %v, want ErrCancelled", name, got)
				}
				if !slices.Equal(reported, want) {
					t.Errorf("reported %q, want %q", reported, want)
				}
			})
		}
	}
}
