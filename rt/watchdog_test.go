package rt_test

import (
	"math"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/rt"
)

// feeder feeds wd every 50 ms, the last time at `until` (forever if 0).
func feeder(wd *rt.Watchdog, until time.Duration) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		for until == 0 || t.Now() <= until {
			wd.Feed()
			if err := t.Sleep(50 * ms); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestWatchdog(t *testing.T) {
	tests := []struct {
		name    string
		observe bool          // follow steps with ObserveTask
		stopAt  time.Duration // the feeder stops feeding
		hog     bool          // a task blocks from 500 ms to 800 ms
		hogEnds bool          // and ends right after
		want    rt.Reset
	}{
		{
			name: "feeder stops", stopAt: time.Second,
			want: rt.Reset{At: 1200 * ms, Deadline: 1200 * ms, LastFeed: time.Second, Feeder: "feeder",
				Reason: `not fed for 200ms (timeout 200ms), last fed by task "feeder" at 1s`},
		},
		{
			name: "a task blocks the loop", hog: true,
			want: rt.Reset{At: 800 * ms, Deadline: 650 * ms, LastFeed: 450 * ms, Feeder: "feeder", Holder: "hog", Held: 300 * ms,
				Reason: `not fed for 350ms (timeout 200ms), last fed by task "feeder" at 450ms; task "hog" held the loop for 300ms`},
		},
		{
			name: "a task blocks the loop, observed", observe: true, hog: true,
			want: rt.Reset{At: 800 * ms, Deadline: 650 * ms, LastFeed: 450 * ms, Feeder: "feeder", Holder: "hog", Held: 300 * ms,
				Reason: `not fed for 350ms (timeout 200ms), last fed by task "feeder" at 450ms; task "hog" held the loop for 300ms`},
		},
		{
			name: "a task blocks the loop and ends, observed", observe: true, hog: true, hogEnds: true,
			want: rt.Reset{At: 800 * ms, Deadline: 650 * ms, LastFeed: 450 * ms, Feeder: "feeder", Holder: "hog", Held: 300 * ms,
				Reason: `not fed for 350ms (timeout 200ms), last fed by task "feeder" at 450ms; task "hog" held the loop for 300ms`},
		},
		{
			// Without ObserveTask a task that ended cannot be named.
			name: "a task blocks the loop and ends", hog: true, hogEnds: true,
			want: rt.Reset{At: 800 * ms, Deadline: 650 * ms, LastFeed: 450 * ms, Feeder: "feeder",
				Reason: `not fed for 350ms (timeout 200ms), last fed by task "feeder" at 450ms`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var resets []rt.Reset
			wd := &rt.Watchdog{Timeout: 200 * ms}
			var opts []coop.Option
			if tt.observe {
				opts = append(opts, coop.WithTaskEvents(wd.ObserveTask))
			}
			l := virtualLoop(t, opts...)
			wd.OnReset = func(r rt.Reset) {
				if l.Now() != r.At {
					t.Errorf("OnReset ran at %v, Reset.At = %v", l.Now(), r.At)
				}
				resets = append(resets, r)
			}
			if tt.hog {
				l.Spawn("hog", func(t *coop.Task) error {
					if err := t.SleepUntil(500 * ms); err != nil {
						return err
					}
					t.Busy(300 * ms)
					if tt.hogEnds {
						return nil
					}
					return t.Sleep(time.Hour)
				})
			}
			l.Spawn("feeder", feeder(wd, tt.stopAt))
			wd.Start(l)
			if err := l.RunFor(2 * time.Second); err != nil {
				t.Fatal(err)
			}
			if len(resets) != 1 || resets[0] != tt.want {
				t.Fatalf("resets %+v, want once %+v", resets, tt.want)
			}
			if r, ok := wd.Fired(); !ok || r != tt.want {
				t.Errorf("Fired() = %+v, %v", r, ok)
			}
			if wd.Stop() {
				t.Errorf("Stop() after firing = true")
			}
		})
	}
}

func TestWatchdogFedInTime(t *testing.T) {
	wd := &rt.Watchdog{Timeout: 60 * ms, OnReset: func(r rt.Reset) { t.Errorf("fired: %v", r) }}
	l := virtualLoop(t)
	l.Spawn("feeder", feeder(wd, 0))
	wd.Start(l)
	if err := l.RunFor(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if !wd.Stop() || wd.Stop() {
		t.Errorf("Stop() = false on a running watchdog, or true twice")
	}
	if _, ok := wd.Fired(); ok {
		t.Errorf("Fired() = true")
	}
}

func TestWatchdogResetString(t *testing.T) {
	r := rt.Reset{At: 800 * ms, Deadline: 650 * ms, Reason: "not fed"}
	if got, want := r.String(), "watchdog reset at 800ms (expired at 650ms): not fed"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// Feeds must come less than the timeout apart: a feed exactly at the
// timeout is too late, whether it runs before or after the watchdog's
// check of that instant.
func TestWatchdogFeedAtTheTimeout(t *testing.T) {
	tests := []struct {
		name       string
		every      time.Duration
		startFirst bool // Start before the feeder sleeps: the check runs first at 200 ms
		fired      bool
	}{
		{"1ns early, check first", 200*ms - 1, true, false},
		{"1ns early, feed first", 200*ms - 1, false, false},
		{"at the timeout, check first", 200 * ms, true, true},
		{"at the timeout, feed first", 200 * ms, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := virtualLoop(t)
			var resets []rt.Reset
			wd := &rt.Watchdog{Timeout: 200 * ms, OnReset: func(r rt.Reset) { resets = append(resets, r) }}
			l.Spawn("main", func(t *coop.Task) error {
				if tt.startFirst {
					wd.Start(t.Loop())
				}
				t.Spawn("feeder", func(t *coop.Task) error {
					for {
						if err := t.Sleep(tt.every); err != nil {
							return err
						}
						wd.Feed()
					}
				})
				if !tt.startFirst {
					if err := t.Sleep(0); err != nil { // the feeder's sleep is set first
						return err
					}
					wd.Start(t.Loop())
				}
				return nil
			})
			if err := l.RunFor(time.Second); err != nil {
				t.Fatal(err)
			}
			if !tt.fired {
				if len(resets) != 0 {
					t.Errorf("resets %v, want none", resets)
				}
				return
			}
			want := rt.Reset{At: 200 * ms, Deadline: 200 * ms, LastFeed: 0, Feeder: "main",
				Reason: `not fed for 200ms (timeout 200ms), last fed by task "main" at 0s`}
			if len(resets) != 1 || resets[0] != want {
				t.Errorf("resets %+v, want once %+v", resets, want)
			}
		})
	}
}

// A timeout that reaches past the end of the loop's clock never expires:
// the deadline does not wrap around to the past.
func TestWatchdogTimeoutPastTheEndOfTime(t *testing.T) {
	l := virtualLoop(t)
	wd := &rt.Watchdog{Timeout: math.MaxInt64 - 50*ms, OnReset: func(r rt.Reset) { t.Errorf("fired: %v", r) }}
	l.Spawn("main", func(t *coop.Task) error {
		if err := t.Sleep(100 * ms); err != nil {
			return err
		}
		wd.Start(t.Loop())
		if err := t.Sleep(100 * ms); err != nil {
			return err
		}
		wd.Feed()
		return nil
	})
	if err := l.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if !wd.Stop() {
		t.Error("Stop() = false: the watchdog is not armed")
	}
}
