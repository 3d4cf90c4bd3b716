package rt_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
	"github.com/coopgo/coop/sim"
)

func TestEventLatency(t *testing.T) {
	tests := []struct {
		name    string
		hog     time.Duration // work of a task woken with the press, 0 for none
		runs    []time.Duration
		latency time.Duration
	}{
		{"idle loop", 0, []time.Duration{time.Second}, 0},
		{"behind a busy task", 3 * ms, []time.Duration{time.Second + 3*ms}, 3 * ms},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pyboard(t)
			btn := sim.NewButton(sim.ButtonConfig{Name: "btn"}) // no bounce
			if err := r.Board.Attach("X1", btn); err != nil {
				t.Fatal(err)
			}
			btn.ClickAt(time.Second, 100*ms) // scheduled before the hog's wake-up: its interrupt comes first
			var e *rt.EventTask
			var runs []time.Duration
			main := r.Loop.Spawn("main", func(t *coop.Task) error {
				pin, err := r.Board.Input("X1", hw.PullUp)
				if err != nil {
					return err
				}
				e, err = rt.OnEdge(t, "pressed", pin, hw.EdgeFalling, func(t *coop.Task) error {
					runs = append(runs, t.Now())
					return nil
				})
				if err != nil {
					return err
				}
				if tt.hog > 0 {
					t.Spawn("hog", func(t *coop.Task) error {
						if err := t.Sleep(time.Second); err != nil {
							return err
						}
						t.Busy(tt.hog)
						return nil
					})
				}
				if err := t.Sleep(1500 * ms); err != nil {
					return err
				}
				e.Task().Cancel()
				return e.Task().Wait(t)
			})
			btn.PressAt(2 * time.Second) // after the task ended: its handler is gone
			r.Loop.CallAt(2500*ms, r.Loop.Stop)
			if err := r.Loop.RunUntilComplete(main); err == nil || !e.Task().Cancelled() {
				t.Fatalf("main = %v, want the event task cancelled", err)
			}
			if err := r.Loop.RunFor(time.Second); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(runs, tt.runs) {
				t.Errorf("runs at %v, want %v", runs, tt.runs)
			}
			st := e.Stats()
			if st.Triggers != 1 || st.Runs != 1 || st.Coalesced != 0 || st.Latency.Max != tt.latency || st.Latency.P50 != tt.latency {
				t.Errorf("Stats = %+v, want 1 trigger, 1 run, latency %v", st, tt.latency)
			}
		})
	}
}

func TestEventCoalesced(t *testing.T) {
	l := virtualLoop(t)
	var e *rt.EventTask
	var runs []time.Duration
	l.Spawn("main", func(t *coop.Task) error {
		e = rt.NewEventTask(t, "worker", func(t *coop.Task) error {
			runs = append(runs, t.Now())
			t.Busy(10 * ms)
			return nil
		})
		// Woken at 300 ms, after the trigger of 300 ms: the worker waits
		// for its 7 ms of work.
		t.Spawn("other", func(t *coop.Task) error {
			if err := t.Sleep(300 * ms); err != nil {
				return err
			}
			t.Busy(7 * ms)
			return nil
		})
		return nil
	})
	l.CallAt(100*ms, func() { e.Trigger(); e.Trigger(); e.Trigger() })
	l.CallAt(200*ms, func() { e.Trigger() })
	l.CallAt(300*ms, func() { e.Trigger() })
	if err := l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{100 * ms, 200 * ms, 307 * ms}
	if !slices.Equal(runs, want) {
		t.Errorf("runs at %v, want %v", runs, want)
	}
	st := e.Stats()
	if st.Triggers != 5 || st.Runs != 3 || st.Coalesced != 2 || st.Latency.Max != 7*ms || st.Latency.P50 != 0 {
		t.Errorf("Stats = %+v, want 5 triggers, 3 runs, 2 coalesced, latency p50 0, max 7ms", st)
	}
}

func TestOnEdgeCancelledBeforeItRan(t *testing.T) {
	r := pyboard(t)
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn"})
	if err := r.Board.Attach("X2", btn); err != nil {
		t.Fatal(err)
	}
	btn.ClickAt(100*ms, 50*ms)
	var e *rt.EventTask
	r.Loop.Spawn("main", func(t *coop.Task) error {
		pin, err := r.Board.Input("X2", hw.PullUp)
		if err != nil {
			return err
		}
		e, err = rt.OnEdge(t, "pressed", pin, hw.EdgeBoth, func(t *coop.Task) error {
			t.Loop().Stop()
			return nil
		})
		e.Task().Cancel() // before it ever runs
		return err
	})
	if err := r.Loop.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if st := e.Stats(); st.Triggers != 0 || st.Runs != 0 {
		t.Errorf("Stats = %+v, want no trigger from a cancelled task's pin", st)
	}
}
