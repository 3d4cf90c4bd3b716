//go:build !tinygo || coop_lifecycle

package coop_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// twoTickers spawns on l two tasks that wake at the same instants, every
// 100ms, three times, and logs each step.
func twoTickers(l *coop.Loop, log *[]string) {
	for _, name := range []string{"a", "b"} {
		l.Spawn(name, func(t *coop.Task) error {
			for i := range 3 {
				*log = append(*log, fmt.Sprintf("%v %s %d", t.Now(), name, i))
				if err := t.Sleep(100 * time.Millisecond); err != nil {
					return err
				}
			}
			return nil
		})
	}
}

// Break from an observer of the Running event ends the run right after
// that one step, in the middle of its round: two tasks ready in the same
// round run one per run. The runs broken so do, step for step and event
// for event, what one run unbroken does.
func TestLoopBreakOneStep(t *testing.T) {
	var whole, wholeEvents []string
	l := coop.NewLoop(coop.WithVirtualClock())
	l.Observe(func(ev coop.TaskEvent) {
		wholeEvents = append(wholeEvents, fmt.Sprintf("%v %s %v", ev.At, ev.Task.Name(), ev.State))
	})
	twoTickers(l, &whole)
	if err := l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	l.Close()

	var steps, events []string
	l = coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	l.Observe(func(ev coop.TaskEvent) {
		events = append(events, fmt.Sprintf("%v %s %v", ev.At, ev.Task.Name(), ev.State))
		if ev.State == coop.StateRunning {
			l.Break()
		}
	})
	twoTickers(l, &steps)
	var runs []string
	for range 8 {
		before := len(steps)
		if err := l.RunFor(time.Second); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, fmt.Sprintf("%v: %s", l.Now(), strings.Join(steps[before:], ", ")))
	}
	want := []string{
		"0s: 0s a 0", "0s: 0s b 0",
		"100ms: 100ms a 1", "100ms: 100ms b 1",
		"200ms: 200ms a 2", "200ms: 200ms b 2",
		"300ms: ", "300ms: ", // the last steps return: no log line
	}
	if !slices.Equal(runs, want) {
		t.Errorf("one run per step:\n%q\nwant\n%q", runs, want)
	}
	if !slices.Equal(steps, whole) || !slices.Equal(events[:len(wholeEvents)], wholeEvents) {
		t.Errorf("broken runs:\n%q\n%q\nunbroken:\n%q\n%q", steps, events, whole, wholeEvents)
	}
}

// Break from a callback ends the run after it; the tasks it made ready
// run in the next run. Outside a run Break does nothing.
func TestLoopBreakCallback(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	l.Break() // not running: nothing
	var log []string
	ev := &coop.Event{}
	l.Spawn("waiter", func(t *coop.Task) error {
		if err := ev.Wait(t); err != nil {
			return err
		}
		log = append(log, fmt.Sprintf("%v woke", t.Now()))
		return nil
	})
	l.CallAt(time.Second, func() {
		ev.Set()
		log = append(log, "set")
		l.Break()
	})
	if err := l.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	if l.Now() != time.Second || !slices.Equal(log, []string{"set"}) {
		t.Errorf("broken at %v with %q; want at 1s with [set]", l.Now(), log)
	}
	if err := l.RunFor(time.Hour); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(log, []string{"set", "1s woke"}) {
		t.Errorf("after the next run %q; want the waiter woken at 1s", log)
	}
}

// RunUntilComplete broken before its task is done returns an error that
// names the task; a later run finishes it.
func TestLoopBreakRunUntilComplete(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	main := l.Spawn("main", func(t *coop.Task) error { return t.Sleep(time.Second) })
	l.CallAt(500*time.Millisecond, l.Break)
	err := l.RunUntilComplete(main)
	if err == nil || !strings.Contains(err.Error(), `stopped by Break before task "main" finished`) {
		t.Fatalf("RunUntilComplete broken = %v, want the error naming main", err)
	}
	if err := l.RunUntilComplete(main); err != nil || l.Now() != time.Second {
		t.Errorf("RunUntilComplete again = %v at %v, want nil at 1s", err, l.Now())
	}
}

// A run broken at every step and resumed does what the unbroken run does
// when more than timers are at play: the rest of a broken round runs
// before the timers the step cost made due within it, before the flags
// its steps set and before work posted meanwhile.
func TestLoopBreakResumesAsUnbroken(t *testing.T) {
	needsRoom(t, "the event logs of two runs of hundreds of steps")
	run := func(breakEveryStep bool) (log []string, runs int) {
		l := coop.NewLoop(coop.WithVirtualClock(), coop.WithStepCost(300*time.Microsecond))
		defer l.Close()
		l.Observe(func(ev coop.TaskEvent) {
			log = append(log, fmt.Sprintf("%v %s %v", ev.At, ev.Task.Name(), ev.State))
			if breakEveryStep && ev.State == coop.StateRunning {
				l.Break()
			}
		})
		var flag coop.ThreadSafeFlag
		l.Spawn("waiter", func(t *coop.Task) error {
			for {
				if err := flag.Wait(t); err != nil {
					return err
				}
			}
		})
		l.Spawn("setter", func(t *coop.Task) error {
			for {
				flag.Set()
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
		})
		l.Spawn("sleeper", func(t *coop.Task) error {
			for {
				if err := t.Sleep(500 * time.Microsecond); err != nil {
					return err
				}
			}
		})
		l.Spawn("poster", func(t *coop.Task) error {
			for {
				l.CallSoon(func() { log = append(log, fmt.Sprintf("%v posted", l.Now())) })
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
		})
		main := l.Spawn("main", func(t *coop.Task) error { return t.Sleep(20 * time.Millisecond) })
		for {
			runs++
			err := l.RunUntilComplete(main)
			if err == nil {
				return log, runs
			}
			if !breakEveryStep || !strings.Contains(err.Error(), "stopped by Break") {
				t.Fatal(err)
			}
		}
	}
	want, _ := run(false)
	got, runs := run(true)
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("broken at every step, the run differs at event %d: %q, unbroken %q\nbroken:   %q\nunbroken: %q",
				i, got[i], want[i], got[max(0, i-8):i+1], want[max(0, i-8):i+1])
		}
	}
	steps := 0 // up to main's end: Close's steps are not broken
	for _, s := range got {
		if strings.HasSuffix(s, " main done") {
			break
		}
		if strings.HasSuffix(s, " running") {
			steps++
		}
	}
	if len(got) != len(want) || runs != steps || steps < 50 {
		t.Fatalf("%d events broken in %d runs of %d steps, %d unbroken; want the same events, one run per step, many steps",
			len(got), runs, steps, len(want))
	}
}
