package prim_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/prim"
)

// delayOp is something done to a Delay at a board time: Trigger(d), or
// Stop when stop is set.
type delayOp struct {
	at   time.Duration
	d    time.Duration
	stop bool
}

func TestDelay(t *testing.T) {
	tests := []struct {
		name string
		cfg  prim.DelayConfig
		ops  []delayOp
		want []time.Duration // expiries
		ret  []bool          // what each op returned
		end  bool            // still running at the end
	}{
		{
			name: "one shot",
			ops:  []delayOp{{at: 100 * ms, d: 200 * ms}},
			want: []time.Duration{300 * ms},
			ret:  []bool{false},
		},
		{
			name: "default duration",
			ops:  []delayOp{{at: 100 * ms}},
			want: []time.Duration{1100 * ms},
			ret:  []bool{false},
		},
		{
			name: "configured duration",
			cfg:  prim.DelayConfig{Duration: 250 * ms},
			ops:  []delayOp{{at: 100 * ms}, {at: 1000 * ms, d: 50 * ms}},
			want: []time.Duration{350 * ms, 1050 * ms},
			ret:  []bool{false, false},
		},
		{
			name: "retrigger extends",
			ops:  []delayOp{{at: 0, d: 100 * ms}, {at: 50 * ms, d: 100 * ms}, {at: 120 * ms, d: 100 * ms}},
			want: []time.Duration{220 * ms},
			ret:  []bool{false, true, true},
		},
		{
			name: "retrigger shorter shortens",
			ops:  []delayOp{{at: 0, d: 500 * ms}, {at: 100 * ms, d: 50 * ms}},
			want: []time.Duration{150 * ms},
			ret:  []bool{false, true},
		},
		{
			name: "retrigger at the deadline",
			ops:  []delayOp{{at: 0, d: 100 * ms}, {at: 100 * ms, d: 100 * ms}},
			want: []time.Duration{200 * ms},
			ret:  []bool{false, true},
		},
		{
			name: "stop",
			ops:  []delayOp{{at: 0, d: 100 * ms}, {at: 50 * ms, stop: true}, {at: 60 * ms, stop: true}},
			ret:  []bool{false, true, false},
		},
		{
			name: "trigger after stop starts afresh",
			ops:  []delayOp{{at: 0, d: 100 * ms}, {at: 50 * ms, stop: true}, {at: 70 * ms, d: 100 * ms}},
			want: []time.Duration{170 * ms},
			ret:  []bool{false, true, false},
		},
		{
			// A duration past the end of time does not wrap around to
			// the past: the delay just never expires.
			name: "forever",
			ops:  []delayOp{{at: 100 * ms, d: math.MaxInt64}, {at: 200 * ms, d: math.MaxInt64 - 150*ms}},
			ret:  []bool{false, true},
			end:  true,
		},
		{
			name: "watchdog fed then starved",
			ops: []delayOp{
				{at: 0, d: 100 * ms}, {at: 90 * ms, d: 100 * ms}, {at: 180 * ms, d: 100 * ms},
				{at: 270 * ms, d: 100 * ms}, {at: 500 * ms, d: 100 * ms},
			},
			want: []time.Duration{370 * ms, 600 * ms},
			ret:  []bool{false, true, true, true, false},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := coop.NewLoop(coop.WithVirtualClock())
			defer l.Close()
			var got []time.Duration
			var d *prim.Delay
			cfg := tt.cfg
			cfg.OnExpire = func() {
				got = append(got, l.Now())
				if d.Running() {
					t.Errorf("Running() = true in OnExpire")
				}
			}
			d = prim.NewDelay(l, cfg)
			var ret []bool
			for _, op := range tt.ops {
				l.CallAt(op.at, func() {
					if op.stop {
						ret = append(ret, d.Stop())
						return
					}
					ret = append(ret, d.Trigger(op.d))
					if dl, ok := d.Deadline(); !ok || !d.Running() {
						t.Errorf("after Trigger at %v: Deadline() = %v, %v; Running() = %v", l.Now(), dl, ok, d.Running())
					}
				})
			}
			l.RunFor(5 * time.Second)
			if !slices.Equal(got, tt.want) {
				t.Errorf("expiries at %v, want %v", got, tt.want)
			}
			if !slices.Equal(ret, tt.ret) {
				t.Errorf("Trigger/Stop returned %v, want %v", ret, tt.ret)
			}
			if dl, ok := d.Deadline(); ok != tt.end || d.Running() != tt.end {
				t.Errorf("at the end: Deadline() = %v, %v; Running() = %v; want running %v", dl, ok, d.Running(), tt.end)
			}
		})
	}
}

// Wait returns at the next expiry; Stop leaves waiters waiting for a later
// one; OnExpire may retrigger (a periodic timer).
func TestDelayWait(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	n := 0
	var d *prim.Delay
	d = prim.NewDelay(l, prim.DelayConfig{Duration: 100 * ms, OnExpire: func() {
		if n++; n < 3 {
			d.Trigger(0)
		}
	}})
	var woke []time.Duration
	waiter := func(t *coop.Task) error {
		for {
			if err := d.Wait(t); err != nil {
				return err
			}
			woke = append(woke, t.Now())
		}
	}
	main := l.Spawn("main", func(t *coop.Task) error {
		w := t.Spawn("waiter", waiter)
		d.Trigger(0) // expires at 100, 200, 300 ms
		t.Sleep(1 * time.Second)
		d.Trigger(0) // at 1 s, stopped at 1.05 s
		t.Sleep(50 * ms)
		d.Stop()
		t.Sleep(time.Second)
		d.Trigger(0) // at 2.05 s, expires at 2.15 s
		t.Sleep(time.Second)
		w.Cancel()
		if err := w.Wait(t); !errors.Is(err, coop.ErrCancelled) {
			return fmt.Errorf("waiter ended with %v, want ErrCancelled", err)
		}
		return nil
	})
	if err := l.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{100 * ms, 200 * ms, 300 * ms, 2150 * ms}
	if !slices.Equal(woke, want) {
		t.Errorf("Wait returned at %v, want %v", woke, want)
	}
}
