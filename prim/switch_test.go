package prim_test

import (
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/prim"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/simtest"
)

func TestSwitch(t *testing.T) {
	tests := []struct {
		name   string
		to     sim.Level
		pull   hw.Pull
		cfg    prim.SwitchConfig
		clicks []click
		want   []string
	}{
		{
			name:   "to GND, pull-up",
			pull:   hw.PullUp,
			clicks: []click{{1010 * ms, 500 * ms}, {2030 * ms, 40 * ms}},
			want:   []string{"closed at 1.05s", "opened at 1.55s", "closed at 2.05s", "opened at 2.1s"},
		},
		{
			name:   "to 3V3, pull-down",
			to:     sim.High,
			pull:   hw.PullDown,
			cfg:    prim.SwitchConfig{ActiveHigh: true},
			clicks: []click{{1010 * ms, 500 * ms}},
			want:   []string{"closed at 1.05s", "opened at 1.55s"},
		},
		{
			name:   "debounce period",
			pull:   hw.PullUp,
			cfg:    prim.SwitchConfig{Debounce: 20 * ms},
			clicks: []click{{1010 * ms, 500 * ms}},
			want:   []string{"closed at 1.02s", "opened at 1.52s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := simtest.New(t, "pico2w", sim.Config{Seed: 3})
			btn := sim.NewButton(sim.ButtonConfig{Name: "sw", To: tt.to, Bounce: sim.DefaultBounce})
			r.Board.Attach("GP14", btn)
			for _, c := range tt.clicks {
				btn.ClickAt(c.At, c.Hold)
			}
			var callbacks, next []string
			var closed []bool // Closed() in each callback
			cfg := tt.cfg
			var sw *prim.Switch
			cfg.OnClose = func() {
				callbacks = append(callbacks, prim.SwitchEvent{Closed: true, At: r.Loop.Now()}.String())
				closed = append(closed, sw.Closed())
			}
			cfg.OnOpen = func() {
				callbacks = append(callbacks, prim.SwitchEvent{Closed: false, At: r.Loop.Now()}.String())
				closed = append(closed, sw.Closed())
			}
			err := r.Run(func(t *coop.Task, b hw.Board) error {
				in, err := b.Input("GP14", tt.pull)
				if err != nil {
					return err
				}
				sw = prim.NewSwitch(t.Loop(), in, cfg)
				for {
					e, err := sw.Next(t)
					if err != nil {
						return err
					}
					next = append(next, e.String())
				}
			}, 3*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(callbacks, tt.want) {
				t.Errorf("callbacks = %q, want %q", callbacks, tt.want)
			}
			if !slices.Equal(next, tt.want) {
				t.Errorf("Next = %q, want %q", next, tt.want)
			}
			for i, c := range closed {
				if want := i%2 == 0; c != want {
					t.Errorf("Closed() in callback %d = %v, want %v", i, c, want)
				}
			}
		})
	}
}

// A switch closed when it is made starts closed, with no event.
func TestSwitchStartsClosed(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	btn := sim.NewButton(sim.ButtonConfig{Name: "sw"})
	r.Board.Attach("GP14", btn)
	btn.Press()
	in, _ := r.Board.Input("GP14", hw.PullUp)
	sw := prim.NewSwitch(r.Loop, in, prim.SwitchConfig{QueueSize: 1})
	if !sw.Closed() {
		t.Fatal("Closed() = false for a switch held closed")
	}
	btn.ReleaseAt(500 * ms)
	btn.PressAt(700 * ms)
	r.Loop.CallAt(time.Second, func() { sw.Stop() })
	var got []string
	var end error
	r.Run(func(t *coop.Task, b hw.Board) error {
		t.Sleep(2 * time.Second)
		for {
			e, err := sw.Next(t)
			if err != nil {
				end = err
				return nil
			}
			got = append(got, e.String())
		}
	}, 3*time.Second)
	if want := []string{"opened at 500ms"}; !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
	if sw.Dropped() != 1 {
		t.Errorf("Dropped() = %d, want 1", sw.Dropped())
	}
	if !errors.Is(end, prim.ErrStopped) {
		t.Errorf("Next after Stop = %v, want ErrStopped", end)
	}
	if _, ok := sw.TryNext(); ok {
		t.Error("TryNext() after the drain = true")
	}
}

// A callback that holds the loop past poll instants does not make the
// switch poll late ones in a burst: it goes back on its grid.
func TestSwitchSkipsMissedPolls(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	level := true
	var reads []time.Duration
	in := hw.InputFunc(func() bool { reads = append(reads, l.Now()); return level })
	prim.NewSwitch(l, in, prim.SwitchConfig{OnClose: func() {
		l.Spawn("busy", func(t *coop.Task) error { t.Busy(120 * ms); return nil })
	}})
	l.CallAt(60*ms, func() { level = false })
	l.RunFor(300 * ms)
	want := []time.Duration{0, 50 * ms, 100 * ms, 220 * ms, 250 * ms, 300 * ms}
	if !slices.Equal(reads, want) {
		t.Errorf("reads at %v, want %v", reads, want)
	}
}

// Poll times past the end of time do not wrap around to the past: a
// switch made late with a huge period reads its input once, when made.
func TestSwitchPeriodPastTheEndOfTime(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var reads []time.Duration
	in := hw.InputFunc(func() bool { reads = append(reads, l.Now()); return true })
	l.CallAt(500*ms, func() { prim.NewSwitch(l, in, prim.SwitchConfig{Debounce: math.MaxInt64 - 100*ms}) })
	l.RunFor(time.Second)
	if want := []time.Duration{500 * ms}; !slices.Equal(reads, want) {
		t.Errorf("reads at %v, want %v", reads, want)
	}
}
