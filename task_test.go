//go:build !tinygo || coop_tasks

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
		// "awaited" failed, and nobody waited on it within the round after:
		// it is reported, as MicroPython reports it, and Wait still returns
		// its error.
		want := []string{"lonely: boom", "awaited: boom"}
		if !slices.Equal(reports, want) {
			t.Errorf("reports = %q, want %q", reports, want)
		}
	})
	t.Run("a failure in main's last round is still reported", func(t *testing.T) {
		var reports []string
		err := coop.Run(func(t *coop.Task) error {
			t.Spawn("late", func(t *coop.Task) error { return errBoom })
			return t.Sleep(0) // late fails; main ends before the report's round
		}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
			reports = append(reports, fmt.Sprintf("%s: %v", task.Name(), err))
		}))
		if want := []string{"late: boom"}; err != nil || !slices.Equal(reports, want) {
			t.Errorf("Run = %v, reports = %q; want nil, %q", err, reports, want)
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
				!strings.Contains(string(pe.Stack), "coop_test.TestErrors") && runtime.Compiler != "tinygo" { // TinyGo has no stack to give
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

// A group whose parent ends without calling Wait (an early return between
// Spawn and Wait) has nobody to return its members' failures to: they go to
// the error handler, one that came before the parent's end at that end, one
// that comes after as its member ends. A group that is waited for reports
// nothing.
func TestTaskGroupNeverWaited(t *testing.T) {
	errEarly, errLate := errors.New("early"), errors.New("late")
	var lg logger
	err := coop.Run(func(t *coop.Task) error {
		parent := t.Spawn("parent", func(t *coop.Task) error {
			waited := coop.NewTaskGroup(t)
			waited.Spawn("ok", func(t *coop.Task) error { return t.Sleep(ms) })
			if err := waited.Wait(); err != nil {
				return err
			}
			g := coop.NewTaskGroup(t)
			g.Spawn("early", func(t *coop.Task) error {
				t.Sleep(ms)
				return errEarly
			})
			g.Spawn("late", func(t *coop.Task) error {
				err := t.Sleep(time.Hour) // cancelled by early's failure
				t.Shield(func() error { return t.Sleep(5 * ms) })
				return errors.Join(err, errLate)
			})
			if err := t.Sleep(2 * ms); err != nil {
				return err
			}
			return errors.New("gave up") // g.Wait is never called
		})
		err := parent.Wait(t)
		lg.log(t, "parent: %v", err)
		return t.Sleep(10 * ms)
	}, coop.WithVirtualClock(), coop.WithErrorHandler(func(task *coop.Task, err error) {
		lg.log(task, "reported %s: %q", task.Name(), err)
	}))
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	lg.check(t,
		`3ms reported early: "early"`,
		"3ms parent: gave up",
		`7ms reported late: "coop: task cancelled\nlate"`,
	)
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

// Gather and WaitAny with tasks already done: no yield, joined results in
// argument order; WaitAny picks the first done in argument order. a's
// failure is retrieved by the Gather in the round after a failed, so it
// is not reported.
func TestGatherAndWaitAnyDoneTasks(t *testing.T) {
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
		"0s gather \"coop: task cancelled\\na failed\"",
		"0s any d <nil>",
		"0s other runs",
		"0s any c <nil> cancelled",
	)
}

// TaskGroup: a member failing while the parent is cancelled; a member
// failing while the parent waits, with a sibling that cleans up.
func TestTaskGroupFailures(t *testing.T) {
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

func TestGatherByCancelledTaskLosesFailure(t *testing.T) {
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

func TestGatherKeepsCancellationAfterFailure(t *testing.T) {
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

func TestWaitAnyLoserFailureLost(t *testing.T) {
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

// ValueTask.Result of a cancelled caller returns the zero value and
// ErrCancelled, also when the child, cancelled with it, returned a value
// with the same ErrCancelled; the child's value stays for a later Result.
func TestValueTaskResultOfCancelledCaller(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		child := coop.SpawnValue(t, "child", func(t *coop.Task) (int, error) {
			err := t.Sleep(time.Hour)
			return 7, err // cancelled with its caller: the same ErrCancelled
		})
		caller := t.Spawn("caller", func(t *coop.Task) error {
			v, err := child.Result(t)
			lg.log(t, "caller: %d, %v", v, err)
			return nil
		})
		t.Sleep(ms)
		caller.Cancel()
		caller.Wait(t)
		v, err := child.Result(t)
		lg.log(t, "later: %d, %v", v, err)
		return nil
	})
	lg.check(t, "1ms caller: 0, coop: task cancelled", "1ms later: 7, coop: task cancelled")
}
