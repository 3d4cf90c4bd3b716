//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

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
	if want := `coop: the loop was stopped before task "long" finished`; !errors.Is(err, coop.ErrStopped) || err.Error() != want {
		t.Errorf("RunUntilComplete = %v, want %q, an ErrStopped", err, want)
	}
	// The task is where it was: another run finishes it.
	if task.Done() || l.Now() != time.Second {
		t.Errorf("after the stop: task done %v at %v, want it still sleeping at 1s", task.Done(), l.Now())
	}
	if err := l.RunUntilComplete(task); err != nil || l.Now() != time.Hour {
		t.Errorf("RunUntilComplete again = %v at %v, want nil at 1h", err, l.Now())
	}
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

// The virtual clock never jumps while a Hold is in flight: a callback handed
// in from the goroutine runs at the time the hold began. Once the hold is
// released with nothing handed in, a task waiting on a flag is a deadlock.
func TestVirtualClockHoldAndDeadlock(t *testing.T) {
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

// WithShuffle reorders tasks within a priority only: every round still runs
// all higher-priority tasks first, and a seed gives the same order each run.
func TestShuffleKeepsPriorities(t *testing.T) {
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
func TestParallelLoops(t *testing.T) {
	needsRoom(t, "eight loops at once")
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
func TestStopAndRunFor(t *testing.T) {
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

// A priority-1 task that keeps yielding must not starve the loop's
// callbacks (RunFor's stop among them): each round runs what was ready when
// it began.
func TestRunForWithHighPrioritySpinner(t *testing.T) {
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

func TestRunForLeavesNoStaleStop(t *testing.T) {
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

func TestTaskEvents(t *testing.T) {
	var got []string
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error { return t.Sleep(5 * ms) })
		return x.Wait(t)
	}, coop.WithTaskEvents(func(ev coop.TaskEvent) {
		got = append(got, fmt.Sprintf("%v %s %s", ev.At, ev.Task.Name(), ev.State))
	}))
	want := []string{
		"0s main ready",
		"0s main running",
		"0s x ready",
		"0s main waiting",
		"0s x running",
		"0s x sleeping",
		"5ms x ready",
		"5ms x running",
		"5ms x done",
		"5ms main ready",
		"5ms main running",
		"5ms main done",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// RunUntilComplete of a task already done returns its result at once: no
// other task gets a step.
func TestRunUntilCompleteOfDoneTask(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	done := l.Spawn("done", func(t *coop.Task) error { return nil })
	if err := l.RunUntilComplete(done); err != nil {
		t.Fatal(err)
	}
	ran := false
	l.Spawn("other", func(t *coop.Task) error { ran = true; return nil })
	if err := l.RunUntilComplete(done); err != nil || ran {
		t.Errorf("RunUntilComplete(done) = %v, other ran %v; want nil, false", err, ran)
	}
}
