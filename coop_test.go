package coop_test

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

const ms = time.Millisecond

// TestMain fails the run if a test leaves goroutines behind: every task's
// coroutine and every helper goroutine must be gone when Run returns.
func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && runtime.Compiler != "tinygo" { // TinyGo's small targets have no room for the dump
		if leaked := leakedGoroutines(); leaked != "" {
			fmt.Fprintf(os.Stderr, "goroutines left behind after the tests:\n%s\n", leaked)
			code = 1
		}
	}
	os.Exit(code)
}

// leakedGoroutines returns the stacks of goroutines running coop code,
// giving goroutines that are on their way out a moment to finish.
func leakedGoroutines() string {
	var found string
	for range 100 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		found = ""
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "coopgo/coop.") && !strings.Contains(g, "leakedGoroutines") &&
				!strings.Contains(g, "TestMain") {
				found += g + "\n\n"
			}
		}
		if found == "" {
			return ""
		}
		runtime.Gosched()
		time.Sleep(10 * ms) // only waits for exiting goroutines, not for test behaviour
	}
	return found
}

// logger collects lines stamped with loop time.
type logger struct{ lines []string }

func (lg *logger) log(t *coop.Task, format string, args ...any) {
	lg.lines = append(lg.lines, fmt.Sprintf("%v %s", t.Now(), fmt.Sprintf(format, args...)))
}

func (lg *logger) check(t *testing.T, want ...string) {
	t.Helper()
	if !slices.Equal(lg.lines, want) {
		t.Errorf("log:\n  %s\nwant:\n  %s", strings.Join(lg.lines, "\n  "), strings.Join(want, "\n  "))
	}
}

// runV runs main on a virtual clock and fails the test on an error or on
// anything reported to the error handler.
func runV(t *testing.T, main func(*coop.Task) error, opts ...coop.Option) {
	t.Helper()
	opts = append([]coop.Option{coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		t.Errorf("unexpected failure of %v: %v", task, err)
	})}, opts...)
	if err := coop.Run(main, opts...); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
}

func TestSleepOrderAndTimes(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		for _, p := range []struct {
			name   string
			period time.Duration
		}{{"a", 30 * ms}, {"b", 20 * ms}, {"c", 30 * ms}} {
			t.Spawn(p.name, func(t *coop.Task) error {
				for range 3 {
					lg.log(t, "%s", p.name)
					if err := t.Sleep(p.period); err != nil {
						return err
					}
				}
				return nil
			})
		}
		return t.Sleep(100 * ms)
	})
	// Ties (60ms: a, b, c) run in the order the sleeps were scheduled.
	lg.check(t,
		"0s a", "0s b", "0s c",
		"20ms b",
		"30ms a", "30ms c",
		"40ms b",
		"60ms a", "60ms c",
	)
}

func TestTimersDueTogetherAllReadyFirst(t *testing.T) {
	// Two tasks due at the same instant: the first to run spawns a task
	// and sets an event; both sleepers run before anything they made ready.
	var lg logger
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		t.Spawn("x", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			lg.log(t, "x wakes")
			ev.Set()
			t.Spawn("child", func(t *coop.Task) error { lg.log(t, "child"); return nil })
			return nil
		})
		t.Spawn("y", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			lg.log(t, "y wakes")
			return nil
		})
		t.Spawn("z", func(t *coop.Task) error {
			ev.Wait(t)
			lg.log(t, "z sees event")
			return nil
		})
		return t.Sleep(20 * ms)
	})
	lg.check(t, "10ms x wakes", "10ms y wakes", "10ms z sees event", "10ms child")
}

func TestSleepZeroYieldsFIFO(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		for _, name := range []string{"a", "b"} {
			t.Spawn(name, func(t *coop.Task) error {
				for i := range 3 {
					lg.log(t, "%s%d", name, i)
					t.Sleep(0)
				}
				return nil
			})
		}
		return t.Sleep(ms)
	})
	lg.check(t, "0s a0", "0s b0", "0s a1", "0s b1", "0s a2", "0s b2")
}

func TestSleepUntil(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.SleepUntil(25 * ms)
		lg.log(t, "at 25ms")
		t.SleepUntil(5 * ms) // passed: just yields
		lg.log(t, "past deadline")
		return nil
	})
	lg.check(t, "25ms at 25ms", "25ms past deadline")
}

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
	if w.String() != want {
		t.Errorf("warning text = %q, want %q", w.String(), want)
	}
	lg.check(t, "250ms stubborn unwound")
}

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

func TestErrors(t *testing.T) {
	errBoom := errors.New("boom")
	t.Run("Run returns main's error", func(t *testing.T) {
		err := coop.Run(func(t *coop.Task) error { return errBoom }, coop.WithVirtualClock())
		if err != errBoom {
			t.Errorf("Run = %v, want %v", err, errBoom)
		}
	})
	t.Run("an error nobody awaited is reported once", func(t *testing.T) {
		var reports []string
		err := coop.Run(func(t *coop.Task) error {
			t.Spawn("lonely", func(t *coop.Task) error { return errBoom })
			t.Spawn("fine", func(t *coop.Task) error { return nil })
			t.Spawn("cancelled", func(t *coop.Task) error { return t.Sleep(time.Hour) })
			awaited := t.Spawn("awaited", func(t *coop.Task) error { return errBoom })
			t.Sleep(ms)
			if err := awaited.Wait(t); err != errBoom {
				return fmt.Errorf("awaited.Wait = %v", err)
			}
			return nil
		}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
			reports = append(reports, fmt.Sprintf("%s: %v", task.Name(), err))
		}))
		if err != nil {
			t.Fatal(err)
		}
		// "awaited" failed before anyone waited on it: it is reported, as
		// asyncio reports it, and Wait still returns its error.
		want := []string{"lonely: boom", "awaited: boom"}
		if !slices.Equal(reports, want) {
			t.Errorf("reports = %q, want %q", reports, want)
		}
	})
	t.Run("a panic becomes the task's error with its stack", func(t *testing.T) {
		runV(t, func(t *coop.Task) error {
			x := t.Spawn("panicky", func(t *coop.Task) error {
				var m map[string]int
				//lint:ignore SA5000 the panic is the point of the test
				m["x"] = 1
				return nil
			})
			err := x.Wait(t)
			var pe *coop.PanicError
			if !errors.As(err, &pe) {
				return fmt.Errorf("Wait = %v, want a *PanicError", err)
			}
			if !strings.Contains(pe.Error(), "assignment to entry in nil map") ||
				!strings.Contains(string(pe.Stack), "coop_test.TestErrors") {
				return fmt.Errorf("panic error %q with stack:\n%s", pe, pe.Stack)
			}
			if x.State() != coop.StateFailed {
				return fmt.Errorf("state %v, want failed", x.State())
			}
			return nil
		})
	})
	t.Run("panic(err) unwraps to err", func(t *testing.T) {
		runV(t, func(t *coop.Task) error {
			x := t.Spawn("p", func(t *coop.Task) error { panic(errBoom) })
			if err := x.Wait(t); !errors.Is(err, errBoom) {
				return fmt.Errorf("Wait = %v, want errors.Is boom", err)
			}
			return nil
		})
	})
	t.Run("a panicking callback is reported with a nil task", func(t *testing.T) {
		var got []string
		coop.Run(func(t *coop.Task) error {
			t.Loop().CallSoon(func() { panic("in callback") })
			return t.Sleep(ms)
		}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
			got = append(got, fmt.Sprintf("%v: %v", task == nil, err))
		}))
		if want := []string{"true: panic: in callback"}; !slices.Equal(got, want) {
			t.Errorf("reports = %q, want %q", got, want)
		}
	})
}

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

// panicMessage runs fn and returns what it panicked with, as a string.
func panicMessage(fn func()) (msg string) {
	defer func() { msg = fmt.Sprint(recover()) }()
	fn()
	return ""
}

// mustPanicInTask runs main and re-panics with the value of the panic that
// ended it: inside a task a panic becomes the task's *PanicError.
func mustPanicInTask(main func(*coop.Task) error) {
	err := coop.Run(main, coop.WithVirtualClock())
	var pe *coop.PanicError
	if errors.As(err, &pe) {
		panic(pe.Value)
	}
}

func TestGather(t *testing.T) {
	errA, errC := errors.New("a failed"), errors.New("c failed")
	var reported int
	err := coop.Run(func(t *coop.Task) error {
		a := t.Spawn("a", func(t *coop.Task) error { t.Sleep(30 * ms); return errA })
		b := t.Spawn("b", func(t *coop.Task) error { return t.Sleep(10 * ms) })
		c := t.Spawn("c", func(t *coop.Task) error { return errC }) // fails before a is done
		err := coop.Gather(t, a, b, c)
		if t.Now() != 30*ms {
			return fmt.Errorf("Gather returned at %v, want 30ms", t.Now())
		}
		return err
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(*coop.Task, error) { reported++ }))
	if !errors.Is(err, errA) || !errors.Is(err, errC) || err.Error() != "a failed\nc failed" {
		t.Errorf("Gather = %q, want a failed and c failed, in task order", err)
	}
	if reported != 0 {
		t.Errorf("%d errors reported to the handler, want 0: Gather awaited them", reported)
	}
}

func TestWaitAny(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		slow := t.Spawn("slow", func(t *coop.Task) error { return t.Sleep(50 * ms) })
		fast := t.Spawn("fast", func(t *coop.Task) error { return t.Sleep(20 * ms) })
		first, err := coop.WaitAny(t, slow, fast)
		if first != fast || err != nil || t.Now() != 20*ms {
			return fmt.Errorf("WaitAny = %v, %v at %v; want fast, nil at 20ms", first, err, t.Now())
		}
		first, err = coop.WaitAny(t, slow, fast) // fast is done: at once
		if first != fast || err != nil || t.Now() != 20*ms {
			return fmt.Errorf("second WaitAny = %v, %v at %v", first, err, t.Now())
		}
		if slow.Done() {
			return errors.New("WaitAny cancelled the other task")
		}
		return slow.Wait(t)
	})
}

func TestWaitFor(t *testing.T) {
	errBad := errors.New("bad")
	tests := []struct {
		name    string
		timeout time.Duration
		fn      func(lg *logger) func(*coop.Task) error
		want    []string
		wantErr error
	}{
		{"in time", 50 * ms, func(lg *logger) func(*coop.Task) error {
			return func(t *coop.Task) error { return t.Sleep(20 * ms) }
		}, []string{"20ms WaitFor returns"}, nil},
		{"its error", 50 * ms, func(lg *logger) func(*coop.Task) error {
			return func(t *coop.Task) error { t.Sleep(20 * ms); return errBad }
		}, []string{"20ms WaitFor returns"}, errBad},
		{"timeout after cleanup", 50 * ms, func(lg *logger) func(*coop.Task) error {
			return func(t *coop.Task) error {
				err := t.Sleep(time.Second)
				lg.log(t, "fn cancelled: %v", err)
				t.Shield(func() error { return t.Sleep(5 * ms) })
				lg.log(t, "fn cleaned up")
				return err
			}
		}, []string{"50ms fn cancelled: coop: task cancelled", "55ms fn cleaned up", "55ms WaitFor returns"}, coop.ErrTimeout},
		{"zero timeout: fn never runs", 0, func(lg *logger) func(*coop.Task) error {
			return func(t *coop.Task) error { lg.log(t, "fn ran"); return nil }
		}, []string{"0s WaitFor returns"}, coop.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lg logger
			runV(t, func(t *coop.Task) error {
				err := coop.WaitFor(t, tt.timeout, tt.fn(&lg))
				lg.log(t, "WaitFor returns")
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
					return fmt.Errorf("WaitFor = %v, want %v", err, tt.wantErr)
				}
				return nil
			})
			lg.check(t, tt.want...)
		})
	}
}

func TestWaitUntilDeadline(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		t.Sleep(10 * ms)
		err := coop.WaitUntil(t, 40*ms, func(t *coop.Task) error { return t.Sleep(time.Hour) })
		if err != coop.ErrTimeout || t.Now() != 40*ms {
			return fmt.Errorf("WaitUntil = %v at %v; want ErrTimeout at 40ms", err, t.Now())
		}
		return nil
	})
}

func TestTaskGroup(t *testing.T) {
	errB := errors.New("b broke")
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		g := coop.NewTaskGroup(t)
		g.Spawn("a", func(t *coop.Task) error {
			err := t.Sleep(time.Hour)
			lg.log(t, "a: %v", err)
			return err
		})
		g.Spawn("b", func(t *coop.Task) error { t.Sleep(10 * ms); return errB })
		g.Spawn("c", func(t *coop.Task) error { return t.Sleep(5 * ms) })
		err := g.Wait()
		lg.log(t, "group: %v", err)
		return err
	}, coop.WithVirtualClock())
	if err != errB && !errors.Is(err, errB) {
		t.Errorf("Run = %v, want b's error", err)
	}
	lg.check(t, "10ms a: coop: task cancelled", "10ms group: b broke")
}

func TestTaskGroupParentCancelled(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		parent := t.Spawn("parent", func(t *coop.Task) error {
			g := coop.NewTaskGroup(t)
			for _, name := range []string{"a", "b"} {
				g.Spawn(name, func(t *coop.Task) error {
					err := t.Sleep(time.Hour)
					lg.log(t, "%s: %v", name, err)
					return err
				})
			}
			return g.Wait()
		})
		t.Sleep(ms)
		parent.Cancel()
		err := parent.Wait(t)
		lg.log(t, "parent: %v", err)
		return nil
	})
	lg.check(t, "1ms a: coop: task cancelled", "1ms b: coop: task cancelled", "1ms parent: coop: task cancelled")
}

func TestSpawnValue(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		sq := coop.SpawnValue(t, "square", func(t *coop.Task) (int, error) {
			t.Sleep(ms)
			return 7 * 7, nil
		})
		v, err := sq.Result(t)
		if v != 49 || err != nil {
			return fmt.Errorf("Result = %d, %v; want 49, nil", v, err)
		}
		return nil
	})
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

func ignoreCancelled(err error) error {
	if errors.Is(err, coop.ErrCancelled) {
		return nil
	}
	return err
}

func TestTicker(t *testing.T) {
	t.Run("drift-free", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			tk := coop.NewTicker(t, 100*ms)
			for range 4 {
				if err := tk.Next(t); err != nil {
					return err
				}
				lg.log(t, "tick %d", tk.Count())
				t.Busy(30 * ms) // work that takes time does not shift the grid
			}
			return nil
		})
		lg.check(t, "100ms tick 1", "200ms tick 2", "300ms tick 3", "400ms tick 4")
	})
	t.Run("missed ticks are skipped and counted", func(t *testing.T) {
		var lg logger
		runV(t, func(t *coop.Task) error {
			tk := coop.NewTicker(t, 100*ms)
			tk.Next(t)
			lg.log(t, "tick %d", tk.Count())
			t.Busy(350 * ms) // overrun: deadlines 200ms and 300ms pass
			for range 2 {
				tk.Next(t)
				lg.log(t, "tick %d deadline %v missed %d", tk.Count(), tk.Deadline(), tk.Missed())
			}
			if m := t.Info().Misses; m != 2 {
				return fmt.Errorf("TaskInfo.Misses = %d, want the 2 skipped ticks", m)
			}
			return nil
		})
		lg.check(t, "100ms tick 1", "450ms tick 4 deadline 400ms missed 2", "500ms tick 5 deadline 500ms missed 2")
	})
}

func TestDeadlockOnVirtualClock(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error {
		var ev coop.Event
		t.Spawn("helper", func(t *coop.Task) error { var never coop.Event; return never.Wait(t) })
		return ev.Wait(t)
	}, coop.WithVirtualClock())
	if !errors.Is(err, coop.ErrDeadlock) {
		t.Fatalf("Run = %v, want ErrDeadlock", err)
	}
	want := `coop: deadlock at 0s: every task waits and nothing can wake them: "main" waits on event, "helper" waits on event`
	if err.Error() != want {
		t.Errorf("error = %q\nwant    %q", err, want)
	}
}

func TestShuffleIsReproducible(t *testing.T) {
	order := func(seed uint64) string {
		var b strings.Builder
		coop.Run(func(t *coop.Task) error {
			for i := range 8 {
				t.Spawn("", func(t *coop.Task) error { fmt.Fprint(&b, i); return nil })
			}
			return t.Sleep(ms)
		}, coop.WithVirtualClock(), coop.WithShuffle(seed))
		return b.String()
	}
	if a, b := order(1), order(1); a != b {
		t.Errorf("seed 1 gave %s then %s", a, b)
	}
	distinct := map[string]bool{}
	for seed := range uint64(5) {
		distinct[order(seed)] = true
	}
	if len(distinct) < 3 {
		t.Errorf("5 seeds gave only %d orders: %v", len(distinct), distinct)
	}
}

func TestTasksSnapshot(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		var ev coop.Event
		sleeper := t.Spawn("sleeper", func(t *coop.Task) error { return t.Sleep(time.Second) })
		t.Spawn("waiter", func(t *coop.Task) error { return ev.Wait(t) })
		t.Spawn("joiner", func(t *coop.Task) error { return sleeper.Wait(t) })
		t.Spawn("late", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			t.Busy(3 * ms)
			return t.Sleep(time.Second)
		})
		t.Sleep(20 * ms)
		var got []string
		for _, in := range t.Loop().Tasks() {
			got = append(got, fmt.Sprintf("%d %s %s %q wake=%v steps=%d", in.ID, in.Name, in.State, in.WaitingOn, in.WakeAt, in.Steps))
		}
		want := []string{
			`1 main running "" wake=0s steps=1`,
			`2 sleeper sleeping "" wake=1s steps=1`,
			`3 waiter waiting "event" wake=0s steps=1`,
			`4 joiner waiting "task \"sleeper\"" wake=0s steps=1`,
			`5 late sleeping "" wake=1.013s steps=2`,
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("Tasks():\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		ev.Set()
		sleeper.Cancel()
		return nil
	})
}

func TestWakeLateness(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		sleeper := t.Spawn("sleeper", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			return t.Sleep(time.Hour)
		})
		t.Sleep(5 * ms)
		t.Busy(12 * ms) // holds the loop past the sleeper's 10ms deadline
		t.Sleep(ms)
		in := sleeper.Info()
		if in.Lateness != 7*ms || in.MaxLateness != 7*ms {
			return fmt.Errorf("lateness %v, max %v; want 7ms", in.Lateness, in.MaxLateness)
		}
		sleeper.Cancel()
		return nil
	})
}

func TestBlockingDetectionVirtual(t *testing.T) {
	var warnings []coop.Warning
	runV(t, func(t *coop.Task) error {
		t.Spawn("hog", func(t *coop.Task) error {
			t.Sleep(10 * ms)
			blockTheLoop(t)
			return nil
		})
		t.Spawn("polite", func(t *coop.Task) error {
			t.Busy(5 * ms) // under the threshold
			return nil
		})
		return t.Sleep(100 * ms)
	}, coop.WithBlockingThreshold(20*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if len(warnings) != 1 {
		t.Fatalf("warnings = %v, want one", warnings)
	}
	w := warnings[0]
	if w.Kind != coop.WarnBlocking || w.Task != "hog" || w.Held != 30*ms || w.At != 40*ms {
		t.Errorf("warning = %+v; want hog held the loop 30ms, reported at 40ms", w)
	}
	if !strings.Contains(w.Stack, "blockTheLoop") {
		t.Errorf("stack does not show where the task blocked:\n%s", w.Stack)
	}
	if !strings.HasPrefix(w.String(), `coop: warning: task "hog" blocked the loop for 30ms (threshold 20ms) at 40ms`) {
		t.Errorf("warning text = %q", w.String())
	}
}

func blockTheLoop(t *coop.Task) {
	for range 3 {
		t.Busy(10 * ms)
	}
}

// TestBlockingDetectionRealClock uses the real clock on purpose: the
// watchdog must catch a task that really holds the loop, while it holds
// it.
func TestBlockingDetectionRealClock(t *testing.T) {
	var warnings []coop.Warning
	err := coop.Run(func(t *coop.Task) error {
		hog := t.Spawn("hog", func(t *coop.Task) error {
			realBlock(80 * ms)
			return nil
		})
		return hog.Wait(t)
	}, coop.WithBlockingThreshold(10*ms), coop.WithWarningHandler(func(w coop.Warning) { warnings = append(warnings, w) }))
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0].Task != "hog" || warnings[0].Held < 80*ms {
		t.Fatalf("warnings = %v; want one naming hog, held >= 80ms", warnings)
	}
	if !strings.Contains(warnings[0].Stack, "realBlock") {
		t.Errorf("stack does not show where the task blocked:\n%s", warnings[0].Stack)
	}
}

//go:noinline
func realBlock(d time.Duration) { time.Sleep(d) }

func TestLoopLifecycle(t *testing.T) {
	var lg logger
	l := coop.NewLoop(coop.WithVirtualClock())
	l.Spawn("ticker", func(t *coop.Task) error {
		for {
			if err := t.Sleep(100 * ms); err != nil {
				lg.log(t, "ticker stops")
				return err
			}
			lg.log(t, "tick")
		}
	})
	if err := l.RunFor(250 * ms); err != nil {
		t.Fatal(err)
	}
	if l.Now() != 250*ms {
		t.Errorf("Now after RunFor = %v, want 250ms", l.Now())
	}
	h := l.CallLater(50*ms, func() { lg.lines = append(lg.lines, "never") })
	l.CallLater(60*ms, l.Stop)
	h.Cancel()
	if err := l.RunForever(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lg.check(t, "100ms tick", "200ms tick", "300ms tick", "310ms ticker stops")
}

func TestCallbacksOrder(t *testing.T) {
	var got []string
	l := coop.NewLoop(coop.WithVirtualClock())
	add := func(s string) func() { return func() { got = append(got, fmt.Sprintf("%v %s", l.Now(), s)) } }
	l.CallAt(20*ms, add("at20-first"))
	l.CallLater(10*ms, add("later10"))
	l.CallAt(20*ms, add("at20-second"))
	l.CallSoon(add("soon"))
	main := l.Spawn("main", func(t *coop.Task) error { return t.Sleep(30 * ms) })
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	l.Close()
	want := []string{"0s soon", "10ms later10", "20ms at20-first", "20ms at20-second"}
	if !slices.Equal(got, want) {
		t.Errorf("callbacks ran %q, want %q", got, want)
	}
}

func TestRunForLeavesNoStopBehind(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	l.CallAt(time.Second, l.Stop)
	if err := l.RunFor(10 * time.Second); err != nil || l.Now() != time.Second {
		t.Fatalf("RunFor = %v at %v, want nil at 1s (stopped early)", err, l.Now())
	}
	task := l.Spawn("main", func(t *coop.Task) error { return t.Sleep(20 * time.Second) })
	if err := l.RunUntilComplete(task); err != nil || !task.Done() || l.Now() != 21*time.Second {
		t.Errorf("RunUntilComplete = %v at %v, done %v; want nil at 21s, done", err, l.Now(), task.Done())
	}
}

func TestRunUntilCompleteStopped(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	l.CallAt(time.Second, l.Stop)
	task := l.Spawn("long", func(t *coop.Task) error { return t.Sleep(time.Hour) })
	err := l.RunUntilComplete(task)
	if want := `coop: the loop was stopped before task "long" finished`; err == nil || err.Error() != want {
		t.Errorf("RunUntilComplete = %v, want %q", err, want)
	}
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

func TestPriorities(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		for _, p := range []struct {
			name string
			prio int
		}{{"low", -1}, {"normal", 0}, {"high", 5}, {"normal2", 0}, {"high2", 5}} {
			x := t.Spawn(p.name, func(t *coop.Task) error {
				for range 2 {
					lg.log(t, "%s", p.name)
					if err := t.Sleep(10 * ms); err != nil {
						return err
					}
				}
				return nil
			})
			x.SetPriority(p.prio)
		}
		return t.Sleep(50 * ms)
	})
	// Highest first, FIFO within a priority, at spawn and at every wake-up.
	lg.check(t,
		"0s high", "0s high2", "0s normal", "0s normal2", "0s low",
		"10ms high", "10ms high2", "10ms normal", "10ms normal2", "10ms low",
	)
}

func TestRunForStopsOnTimeWithYieldingTasks(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	passes := 0
	l.Spawn("superloop", func(t *coop.Task) error {
		for {
			passes++
			t.Busy(5 * ms) // each pass works 5ms and yields
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
	})
	l.RunFor(time.Second)
	// Passes start at 0, 5ms, …, 1s: the one due at 1s runs too, and no
	// more after the stop.
	if passes != 201 || l.Now() != 1005*ms {
		t.Errorf("RunFor(1s): %d passes, clock %v; want 201 passes, 1.005s", passes, l.Now())
	}
}

func TestLoopBusyInCallback(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		l := t.Loop()
		l.CallAt(10*ms, func() { l.Busy(4 * ms) }) // an interrupt handler's work
		t.Sleep(12 * ms)
		lg.log(t, "woke, late by %v", t.Info().Lateness)
		return nil
	})
	lg.check(t, "14ms woke, late by 2ms")
	if msg := panicMessage(func() { coop.NewLoop().Busy(ms) }); !strings.HasPrefix(msg, "coop: Loop.Busy called outside") {
		t.Errorf("Loop.Busy outside the loop: panic %q", msg)
	}
}

func TestWithTaskEventsAddsObservers(t *testing.T) {
	var a, b int
	runV(t, func(t *coop.Task) error { return nil },
		coop.WithTaskEvents(func(coop.TaskEvent) { a++ }),
		coop.WithTaskEvents(func(coop.TaskEvent) { b++ }))
	if a != 3 || b != 3 {
		t.Errorf("observers saw %d and %d events, want 3 each (ready, running, done)", a, b)
	}
}
