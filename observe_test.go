//go:build !tinygo || coop_lifecycle

package coop_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// An observer added while the loop runs sees the changes from then on,
// after the WithTaskEvents hook; cancelled, it sees no more.
func TestLoopObserve(t *testing.T) {
	var fromOption, observed []string
	l := coop.NewLoop(coop.WithVirtualClock(), coop.WithTaskEvents(func(ev coop.TaskEvent) {
		fromOption = append(fromOption, fmt.Sprintf("%v %s %v", ev.At, ev.Task.Name(), ev.State))
	}))
	defer l.Close()
	var cancel func()
	l.CallAt(time.Second, func() {
		cancel = l.Observe(func(ev coop.TaskEvent) {
			observed = append(observed, fmt.Sprintf("%v %s %v", ev.At, ev.Task.Name(), ev.State))
		})
	})
	l.CallAt(2*time.Second, func() { cancel(); cancel() })
	main := l.Spawn("main", func(t *coop.Task) error {
		for range 3 {
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
		return nil
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	// The timers due at 1s and 2s wake main before the callbacks run.
	want := []string{"1s main running", "1s main sleeping", "2s main ready"}
	if !slices.Equal(observed, want) {
		t.Errorf("observed:\n%q\nwant\n%q", observed, want)
	}
	if len(fromOption) != 12 {
		t.Errorf("WithTaskEvents saw %d events, want 12: %q", len(fromOption), fromOption)
	}
}

// Observers are called in the order added; one that cancels another in its
// call keeps that one from being called, and one added in a call is called
// from the next event on.
func TestLoopObserveCancelInCall(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var got []string
	var cancelB func()
	l.Observe(func(ev coop.TaskEvent) {
		got = append(got, "a "+ev.State.String())
		if cancelB != nil {
			cancelB()
			cancelB = nil
			l.Observe(func(ev coop.TaskEvent) { got = append(got, "c "+ev.State.String()) })
		}
	})
	cancelB = l.Observe(func(ev coop.TaskEvent) { got = append(got, "b "+ev.State.String()) })
	main := l.Spawn("main", func(t *coop.Task) error { return nil })
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	want := []string{"a ready", "a running", "c running", "a done", "c done"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// A task knows the task that spawned it; tasks spawned from outside any
// task have none.
func TestTaskParentID(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var child, grandchild, fromCallback *coop.Task
	main := l.Spawn("main", func(t *coop.Task) error {
		child = t.Spawn("child", func(t *coop.Task) error {
			grandchild = t.Loop().Spawn("grandchild", func(*coop.Task) error { return nil })
			return nil
		})
		t.Loop().CallSoon(func() {
			fromCallback = t.Loop().Spawn("callback", func(*coop.Task) error { return nil })
		})
		return t.Sleep(time.Millisecond)
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		task *coop.Task
		want uint64
	}{{main, 0}, {child, main.ID()}, {grandchild, child.ID()}, {fromCallback, 0}} {
		if got := c.task.ParentID(); got != c.want {
			t.Errorf("%s.ParentID() = %d, want %d", c.task.Name(), got, c.want)
		}
		if got := c.task.Info().ParentID; got != c.want {
			t.Errorf("%s.Info().ParentID = %d, want %d", c.task.Name(), got, c.want)
		}
	}
}
