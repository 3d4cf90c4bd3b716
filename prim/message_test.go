package prim_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/prim"
)

// A goroutine sets the message while tasks wait: every Wait gets the
// payload at the board time of the Set, the message stays set for later
// Waits, and Take consumes it. The goroutine is announced with Loop.Hold so
// the virtual clock does not jump past it.
func TestMessageFromGoroutine(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var m prim.Message[int]
	var got []string
	log := func(s string) { got = append(got, s) }
	waiter := func(name string, take bool) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			var v int
			var err error
			if take {
				v, err = m.Take(t)
			} else {
				v, err = m.Wait(t)
			}
			log(fmt.Sprint(name, " ", v, " ", err, " at ", t.Now()))
			return err
		}
	}
	main := l.Spawn("main", func(t *coop.Task) error {
		w1 := t.Spawn("w1", waiter("w1", false))
		w2 := t.Spawn("w2", waiter("w2", false))
		tk := t.Spawn("take", waiter("take", true))
		t.Sleep(time.Second)
		release := t.Loop().Hold()
		go func() {
			defer release()
			m.Set(42)
		}()
		if err := coop.Gather(t, w1, w2, tk); err != nil {
			return err
		}
		if m.IsSet() {
			return errors.New("message still set after Take")
		}
		// Set before the wait: Wait returns at once, without yielding.
		release = t.Loop().Hold()
		done := make(chan struct{})
		go func() {
			defer release()
			defer close(done)
			m.Set(7)
		}()
		<-done
		v, err := m.Wait(t)
		log(fmt.Sprint("late ", v, " ", err, " at ", t.Now()))
		v2, ok := m.Value()
		log(fmt.Sprint("value ", v2, " ", ok))
		m.Clear()
		_, ok = m.Value()
		log(fmt.Sprint("cleared ", ok))
		return nil
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"w1 42 <nil> at 1s", "w2 42 <nil> at 1s", "take 42 <nil> at 1s",
		"late 7 <nil> at 1s", "value 7 true", "cleared false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// With several tasks in Take, each Set goes to one of them, in the order
// they waited; Take leaves the message clear.
func TestMessageTakeOneEach(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var m prim.Message[string]
	var got []string
	var tasks []*coop.Task
	for _, name := range []string{"a", "b"} {
		tasks = append(tasks, l.Spawn(name, func(t *coop.Task) error {
			v, err := m.Take(t)
			got = append(got, fmt.Sprint(name, " ", v, " at ", t.Now()))
			return err
		}))
	}
	l.CallAt(100*ms, func() { m.Set("first") })
	l.CallAt(200*ms, func() { m.Set("second") })
	main := l.Spawn("main", func(t *coop.Task) error { return coop.Gather(t, tasks...) })
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	if want := []string{"a first at 100ms", "b second at 200ms"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if m.IsSet() {
		t.Error("IsSet() = true after both Takes")
	}
}

// A Clear before the waiters run withdraws the Set; a cancelled waiter gets
// coop.ErrCancelled, also when the message is set (a cancelled task's
// awaits all fail).
func TestMessageClearAndCancel(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var m prim.Message[int]
	var got []string
	main := l.Spawn("main", func(t *coop.Task) error {
		w := t.Spawn("w", func(t *coop.Task) error {
			v, err := m.Wait(t)
			got = append(got, fmt.Sprint("w ", v, " ", err, " at ", t.Now()))
			return nil
		})
		t.Sleep(100 * ms)
		m.Set(1)
		m.Clear() // before w runs: withdrawn
		t.Sleep(100 * ms)
		m.Set(2)
		t.Sleep(100 * ms)
		c := t.Spawn("c", func(t *coop.Task) error {
			t.Cancel()
			_, err := m.Wait(t)
			got = append(got, fmt.Sprint("c ", err))
			return nil
		})
		return coop.Gather(t, w, c)
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	want := []string{"w 2 <nil> at 200ms", "c coop: task cancelled"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Many goroutines set the message while a task takes: no data race, and
// the task sees the last payload.
func TestMessageConcurrentSets(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var m prim.Message[int]
	takes := 0
	main := l.Spawn("main", func(t *coop.Task) error {
		release := t.Loop().Hold()
		go func() {
			defer release()
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range 100 {
						m.Set(g*1000 + i)
						if i%10 == 0 {
							m.Clear()
						}
					}
				}()
			}
			wg.Wait()
			m.Set(-1)
		}()
		for {
			v, err := m.Take(t)
			if err != nil {
				return err
			}
			takes++
			if v == -1 {
				return nil
			}
		}
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	if takes < 1 {
		t.Errorf("takes = %d", takes)
	}
}

// Tasks of two loops must not wait on one message.
func TestMessageTwoLoops(t *testing.T) {
	var m prim.Message[int]
	l1 := coop.NewLoop(coop.WithVirtualClock())
	defer l1.Close()
	l1.Spawn("w", func(t *coop.Task) error { _, err := m.Wait(t); return err })
	l1.RunFor(time.Millisecond)
	l2 := coop.NewLoop(coop.WithVirtualClock(), coop.WithErrorHandler(func(*coop.Task, error) {}))
	defer l2.Close()
	w2 := l2.Spawn("w2", func(t *coop.Task) error { _, err := m.Wait(t); return err })
	l2.RunFor(time.Millisecond)
	var pe *coop.PanicError
	if !errors.As(w2.Err(), &pe) {
		t.Errorf("waiting from a second loop: task result %v, want a panic", w2.Err())
	}
}

// Every task waiting when the message is set wakes with the payload, also
// when a task woken before it clears the message (what micropython-async
// asks of a waiter: "clear() should be issued by at least one waiting
// task") or takes it.
func TestMessageWokenWaitersGetThePayload(t *testing.T) {
	tests := []struct {
		name    string
		waiters []string // "wait", "wait+clear" (clears once woken), "take"
		want    []string
		setLeft bool // IsSet at the end
	}{
		{
			name:    "the first waiter clears",
			waiters: []string{"wait+clear", "wait", "wait"},
			want:    []string{"0 42 at 100ms", "1 42 at 100ms", "2 42 at 100ms"},
		},
		{
			name:    "a waiter in the middle clears",
			waiters: []string{"wait", "wait+clear", "wait"},
			want:    []string{"0 42 at 100ms", "1 42 at 100ms", "2 42 at 100ms"},
		},
		{
			name:    "a taker before a waiter",
			waiters: []string{"take", "wait"},
			want:    []string{"0 42 at 100ms", "1 42 at 100ms"},
		},
		{
			name:    "waiters without a clear leave it set",
			waiters: []string{"wait", "wait"},
			want:    []string{"0 42 at 100ms", "1 42 at 100ms"},
			setLeft: true,
		},
		{
			// The second taker waits for the next Set.
			name:    "two takers",
			waiters: []string{"take", "take"},
			want:    []string{"0 42 at 100ms", "1 43 at 200ms"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := coop.NewLoop(coop.WithVirtualClock())
			defer l.Close()
			var m prim.Message[int]
			var got []string
			var tasks []*coop.Task
			for i, kind := range tt.waiters {
				tasks = append(tasks, l.Spawn(kind, func(t *coop.Task) error {
					var v int
					var err error
					if kind == "take" {
						v, err = m.Take(t)
					} else {
						v, err = m.Wait(t)
					}
					if err != nil {
						return err
					}
					got = append(got, fmt.Sprint(i, " ", v, " at ", t.Now()))
					if kind == "wait+clear" {
						m.Clear()
					}
					return nil
				}))
			}
			l.CallAt(100*ms, func() { m.Set(42) })
			l.CallAt(200*ms, func() {
				if tt.name == "two takers" {
					m.Set(43)
				}
			})
			main := l.Spawn("main", func(t *coop.Task) error {
				return coop.WaitFor(t, time.Second, func(t *coop.Task) error { return coop.Gather(t, tasks...) })
			})
			if err := l.RunUntilComplete(main); err != nil {
				t.Errorf("waiters: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if m.IsSet() != tt.setLeft {
				t.Errorf("IsSet() = %v, want %v", m.IsSet(), tt.setLeft)
			}
		})
	}
}
