//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

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

// WaitFor: the result comes only after fn's cleanup, whatever ends the wait.
func TestWaitForCleanupTiming(t *testing.T) {
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

// Timers, under random sleeps and cancellations: every task wakes at its
// deadline, ties in scheduling order.
func TestTimerHeapRandomized(t *testing.T) {
	needsRoom(t, "200 tasks alive at once")
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

func TestHandleCancelAfterDueBeforeRun(t *testing.T) {
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

func TestSleepHugeDurationDoesNotOverflow(t *testing.T) {
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

func TestHandleReset(t *testing.T) {
	var got []string
	l := coop.NewLoop(coop.WithVirtualClock())
	var h *coop.Handle
	n := 0
	h = l.CallAt(10*ms, func() {
		got = append(got, fmt.Sprint(l.Now()))
		if n++; n < 3 {
			h.Reset(l.Now() + 25*ms) // a periodic poll on one handle
		}
	})
	h.Reset(5 * ms) // moves the pending callback
	l.RunFor(time.Second)
	if want := []string{"5ms", "30ms", "55ms"}; !slices.Equal(got, want) {
		t.Errorf("callback ran at %v, want %v", got, want)
	}
	allocs := testing.AllocsPerRun(100, func() { h.Reset(2 * time.Second); h.Cancel() })
	if allocs != 0 {
		t.Errorf("Reset allocates %v times, want 0", allocs)
	}
	l.Close()
}

// Durations at their limits saturate at the end of time (math.MaxInt64)
// instead of wrapping into the past.
func TestDurationsSaturate(t *testing.T) {
	const end = time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		name string
		run  func(t *coop.Task) (time.Duration, error) // returns the time computed
	}{
		{"Ticker near MaxInt64", func(t *coop.Task) (time.Duration, error) {
			tk := coop.NewTicker(t, end-1) // started at 1ms: the first tick is past the end
			waiter := t.Spawn("ticker", func(t *coop.Task) error { return tk.Next(t) })
			t.Sleep(0)
			waiter.Cancel()
			if err := waiter.Wait(t); !errors.Is(err, coop.ErrCancelled) {
				return 0, fmt.Errorf("Next = %v, want ErrCancelled (it never ticks)", err)
			}
			return tk.Deadline(), nil
		}},
		{"Ticker second tick", func(t *coop.Task) (time.Duration, error) {
			tk := coop.NewTicker(t, end/2+1)
			// The first tick comes; the second is past the end of time,
			// where the clock stops.
			err := t.Spawn("ticker", func(t *coop.Task) error { tk.Next(t); return tk.Next(t) }).Wait(t)
			if t.Now() != end {
				return 0, fmt.Errorf("the second tick came at %v", t.Now())
			}
			return tk.Deadline(), err
		}},
		{"CallLater", func(t *coop.Task) (time.Duration, error) {
			h := t.Loop().CallLater(end, func() {})
			h.Cancel()
			return h.When(), nil
		}},
		{"Sleep", func(t *coop.Task) (time.Duration, error) {
			s := t.Spawn("sleeper", func(t *coop.Task) error { return t.Sleep(end) })
			t.Sleep(0)
			at := s.Info().WakeAt
			s.Cancel()
			return at, nil
		}},
		{"WaitFor", func(t *coop.Task) (time.Duration, error) {
			return end, coop.WaitFor(t, end, func(t *coop.Task) error { return t.Sleep(ms) })
		}},
		{"Busy", func(t *coop.Task) (time.Duration, error) {
			t.Busy(end)
			t.Busy(end)
			return t.Now(), nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got time.Duration
			runV(t, func(t *coop.Task) error {
				t.Sleep(ms)
				var err error
				got, err = tc.run(t)
				return err
			})
			if got != end {
				t.Errorf("%s: time = %v, want the end of time %v", tc.name, got, end)
			}
		})
	}
}
