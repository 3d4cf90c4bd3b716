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

const ms = time.Millisecond

// click is a press at At held for Hold, in board time.
type click struct{ At, Hold time.Duration }

// buttonRun is what a Pushbutton reported in a run: by its callbacks, and
// to a task reading Next.
type buttonRun struct {
	callbacks []string
	next      []string
	edges     int // falling edges of the raw pin: bounce shows as more than presses
	pb        *prim.Pushbutton
}

// runButton wires a bouncing button from GP14 to GND (pull-up, as in the
// seeds), makes a Pushbutton at board time 0 (polls at 0, 50 ms, 100 ms…),
// clicks as told and runs for d.
func runButton(t *testing.T, seed uint64, bounce time.Duration, cfg prim.PushbuttonConfig, clicks []click, d time.Duration) *buttonRun {
	t.Helper()
	r := simtest.New(t, "pico2w", sim.Config{Seed: seed})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: bounce})
	if err := r.Board.Attach("GP14", btn); err != nil {
		t.Fatal(err)
	}
	for _, c := range clicks {
		btn.ClickAt(c.At, c.Hold)
	}
	run := &buttonRun{}
	rec := func(k prim.ButtonKind) func() {
		return func() { run.callbacks = append(run.callbacks, prim.ButtonEvent{Kind: k, At: r.Loop.Now()}.String()) }
	}
	cfg.OnPress, cfg.OnRelease = rec(prim.ButtonPress), rec(prim.ButtonRelease)
	cfg.OnLong, cfg.OnDouble = rec(prim.ButtonLong), rec(prim.ButtonDouble)
	app := func(t *coop.Task, b hw.Board) error {
		in, err := b.Input("GP14", hw.PullUp)
		if err != nil {
			return err
		}
		in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { run.edges++ })
		run.pb = prim.NewPushbutton(t.Loop(), in, cfg)
		for {
			e, err := run.pb.Next(t)
			if err != nil {
				return err
			}
			run.next = append(run.next, e.String())
		}
	}
	if err := r.Run(app, d); err != nil {
		t.Fatal(err)
	}
	return run
}

func TestPushbutton(t *testing.T) {
	tests := []struct {
		name   string
		seed   uint64 // of the board: the bounce; zero means 1
		bounce time.Duration
		cfg    prim.PushbuttonConfig
		clicks []click
		want   []string
	}{
		{
			name:   "clean click",
			clicks: []click{{1010 * ms, 200 * ms}},
			want:   []string{"press at 1.05s", "release at 1.25s"},
		},
		{
			name:   "bouncy click",
			bounce: sim.DefaultBounce,
			clicks: []click{{1010 * ms, 200 * ms}},
			want:   []string{"press at 1.05s", "release at 1.25s"},
		},
		{
			// The polls at 1.05 s and 1.25 s fall inside 20 ms of bounce and,
			// with this seed, read the old level: each change is seen one
			// period later, still once.
			name:   "polls inside the bounce",
			seed:   2,
			bounce: 20 * ms,
			clicks: []click{{1045 * ms, 200 * ms}},
			want:   []string{"press at 1.1s", "release at 1.3s"},
		},
		{
			name:   "long press",
			bounce: sim.DefaultBounce,
			clicks: []click{{1010 * ms, 1500 * ms}},
			want:   []string{"press at 1.05s", "long at 2.05s", "release at 2.55s"},
		},
		{
			name:   "long press suppresses the release",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 1500 * ms}},
			want:   []string{"press at 1.05s", "long at 2.05s"},
		},
		{
			// Released at 1.99 s, seen at the 2 s poll: 950 ms after the
			// press was seen, short of a long press.
			name:   "released just before long",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 980 * ms}},
			want:   []string{"press at 1.05s", "release at 2s"},
		},
		{
			name:   "custom long press",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{LongPress: 300 * ms, Debounce: 20 * ms},
			clicks: []click{{1010 * ms, 500 * ms}},
			want:   []string{"press at 1.02s", "long at 1.32s", "release at 1.52s"},
		},
		{
			name:   "double click",
			bounce: sim.DefaultBounce,
			clicks: []click{{1010 * ms, 100 * ms}, {1210 * ms, 100 * ms}},
			want: []string{
				"press at 1.05s", "release at 1.15s",
				"press at 1.25s", "double at 1.25s", "release at 1.35s",
			},
		},
		{
			name:   "double click suppresses both releases",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1210 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "press at 1.25s", "double at 1.25s"},
		},
		{
			// The single click's release is held back until the window
			// (1.05 s + 400 ms) closes.
			name:   "single click waits for the double-click window",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "release at 1.45s"},
		},
		{
			// The second press is seen at 1.55 s, after the window of the
			// first closed at 1.45 s: two single clicks.
			name:   "double-click window expires",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1510 * ms, 100 * ms}},
			want: []string{
				"press at 1.05s", "release at 1.45s",
				"press at 1.55s", "release at 1.95s",
			},
		},
		{
			name:   "double-click window expires, no suppression",
			bounce: sim.DefaultBounce,
			clicks: []click{{1010 * ms, 100 * ms}, {1510 * ms, 100 * ms}},
			want: []string{
				"press at 1.05s", "release at 1.15s",
				"press at 1.55s", "release at 1.65s",
			},
		},
		{
			name:   "custom double-click window",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true, DoubleClick: 600 * ms},
			clicks: []click{{1010 * ms, 100 * ms}, {1510 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "press at 1.55s", "double at 1.55s"},
		},
		{
			name:   "double clicks off: a click's release comes at once",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true, DoubleClick: -1},
			clicks: []click{{1010 * ms, 100 * ms}, {1210 * ms, 100 * ms}},
			want: []string{
				"press at 1.05s", "release at 1.15s",
				"press at 1.25s", "release at 1.35s",
			},
		},
		{
			name:   "long presses off",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true, LongPress: -1},
			clicks: []click{{1010 * ms, 1500 * ms}},
			want:   []string{"press at 1.05s", "release at 2.55s"},
		},
		{
			// Held past the window (closing at 1.45 s) but not long: the
			// release is reported when it happens.
			name:   "press held between window and long",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 600 * ms}},
			want:   []string{"press at 1.05s", "release at 1.65s"},
		},
		{
			// The second press of a double click never becomes long.
			name:   "double click then hold",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1210 * ms, 1500 * ms}},
			want:   []string{"press at 1.05s", "press at 1.25s", "double at 1.25s"},
		},
		{
			// A third press starts afresh: its release waits for its own
			// window (1.45 s + 400 ms).
			name:   "triple click",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1210 * ms, 100 * ms}, {1410 * ms, 100 * ms}},
			want: []string{
				"press at 1.05s", "press at 1.25s", "double at 1.25s",
				"press at 1.45s", "release at 1.85s",
			},
		},
		{
			// Long press after a double click's window closed.
			name:   "click then long press",
			bounce: sim.DefaultBounce,
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1610 * ms, 1200 * ms}},
			want: []string{
				"press at 1.05s", "release at 1.45s",
				"press at 1.65s", "long at 2.65s",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := tt.seed
			if seed == 0 {
				seed = 1
			}
			run := runButton(t, seed, tt.bounce, tt.cfg, tt.clicks, 5*time.Second)
			if !slices.Equal(run.callbacks, tt.want) {
				t.Errorf("callbacks = %q, want %q", run.callbacks, tt.want)
			}
			if !slices.Equal(run.next, tt.want) {
				t.Errorf("Next = %q, want %q", run.next, tt.want)
			}
			if tt.bounce > 0 && run.edges <= len(tt.clicks) {
				t.Errorf("raw falling edges = %d for %d presses: the button did not bounce", run.edges, len(tt.clicks))
			}
		})
	}
}

// However the contacts bounce, each press and release is one event: over
// many seeds, with the poll landing before, inside and after the bounce.
func TestPushbuttonBounceSeeds(t *testing.T) {
	for seed := range uint64(20) {
		for _, at := range []time.Duration{1010 * ms, 1046 * ms, 1049 * ms, 1050 * ms} {
			run := runButton(t, seed, 8*ms, prim.PushbuttonConfig{LongPress: -1, DoubleClick: -1},
				[]click{{at, 300 * ms}}, 3*time.Second)
			if len(run.callbacks) != 2 {
				t.Fatalf("seed %d, click at %v: events %q, want one press and one release", seed, at, run.callbacks)
			}
			// Seen at the first poll that reads the new level, at most
			// one period after the bounce.
			for i, lo := range []time.Duration{1050 * ms, 1350 * ms} {
				hi := lo + 50*ms
				if at == 1010*ms {
					hi = lo
				}
				got := run.callbacks[i]
				if got != (prim.ButtonEvent{Kind: prim.ButtonKind(i + 1), At: lo}).String() &&
					got != (prim.ButtonEvent{Kind: prim.ButtonKind(i + 1), At: hi}).String() {
					t.Errorf("seed %d, click at %v: event %d = %q, want at %v or %v", seed, at, i, got, lo, hi)
				}
			}
		}
	}
}

func TestPushbuttonActiveHigh(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", To: sim.High, Bounce: sim.DefaultBounce})
	r.Board.Attach("GP15", btn)
	btn.ClickAt(1010*ms, 100*ms)
	var got []string
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		in, err := b.Input("GP15", hw.PullDown)
		if err != nil {
			return err
		}
		pb := prim.NewPushbutton(t.Loop(), in, prim.PushbuttonConfig{ActiveHigh: true})
		for {
			e, err := pb.Next(t)
			if err != nil {
				return err
			}
			got = append(got, e.String())
		}
	}, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"press at 1.05s", "release at 1.15s"}; !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
}

// A full queue drops new events and counts them; Stop lets Next drain the
// queue, then return ErrStopped; Pressed follows the debounced state.
func TestPushbuttonQueueAndStop(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
	r.Board.Attach("GP14", btn)
	btn.ClickAt(1010*ms, 100*ms)
	btn.ClickAt(2010*ms, 100*ms)
	btn.PressAt(3010 * ms)
	in, _ := r.Board.Input("GP14", hw.PullUp)
	pb := prim.NewPushbutton(r.Loop, in, prim.PushbuttonConfig{QueueSize: 3, LongPress: -1, DoubleClick: -1})
	var pressed []bool
	for _, at := range []time.Duration{1 * time.Second, 1100 * ms, 3100 * ms} {
		r.Loop.CallAt(at, func() { pressed = append(pressed, pb.Pressed()) })
	}
	r.Loop.CallAt(3500*ms, func() {
		if !pb.Stop() {
			t.Error("Stop() = false on a running button")
		}
		if pb.Stop() {
			t.Error("second Stop() = true")
		}
	})
	var got []string
	var end error
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		t.SleepUntil(4 * time.Second)
		for {
			e, err := pb.Next(t)
			if err != nil {
				end = err
				return nil
			}
			got = append(got, e.String())
		}
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"press at 1.05s", "release at 1.15s", "press at 2.05s"}; !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
	if got := pb.Dropped(); got != 2 {
		t.Errorf("Dropped() = %d, want 2 (release at 2.15 s, press at 3.05 s)", got)
	}
	if !errors.Is(end, prim.ErrStopped) {
		t.Errorf("Next after Stop: err = %v, want ErrStopped", end)
	}
	if want := []bool{false, true, true}; !slices.Equal(pressed, want) {
		t.Errorf("Pressed() at 1 s, 1.1 s, 3.1 s = %v, want %v", pressed, want)
	}
	if _, ok := pb.TryNext(); ok {
		t.Error("TryNext() after the drain = true")
	}
}

// A task waiting in Next is woken by Stop; one cancelled in Next gets
// coop.ErrCancelled.
func TestPushbuttonNextWakes(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	in, _ := r.Board.Input("GP14", hw.PullUp)
	pb := prim.NewPushbutton(r.Loop, in, prim.PushbuttonConfig{})
	var stopped, cancelled error
	var at time.Duration
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		w := t.Spawn("waiter", func(t *coop.Task) error {
			_, stopped = pb.Next(t)
			at = t.Now()
			return nil
		})
		c := t.Spawn("cancelled", func(t *coop.Task) error {
			_, cancelled = pb.Next(t)
			return nil
		})
		t.Sleep(time.Second)
		c.Cancel()
		t.Sleep(time.Second)
		pb.Stop()
		return coop.Gather(t, w, c)
	}, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(stopped, prim.ErrStopped) || at != 2*time.Second {
		t.Errorf("Next across Stop = %v at %v, want ErrStopped at 2s", stopped, at)
	}
	if !errors.Is(cancelled, coop.ErrCancelled) {
		t.Errorf("cancelled Next = %v, want ErrCancelled", cancelled)
	}
}

// Stop drops a release held back for the double-click window.
func TestPushbuttonStopDropsHeldRelease(t *testing.T) {
	r := simtest.New(t, "pico2w", sim.Config{})
	btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
	r.Board.Attach("GP14", btn)
	btn.ClickAt(1010*ms, 100*ms)
	in, _ := r.Board.Input("GP14", hw.PullUp)
	var got []string
	pb := prim.NewPushbutton(r.Loop, in, prim.PushbuttonConfig{
		Suppress: true,
		OnPress:  func() { got = append(got, "press") },
		OnRelease: func() {
			got = append(got, "release")
		},
	})
	r.Loop.CallAt(1300*ms, func() { pb.Stop() }) // the window closes at 1.45 s
	r.Loop.RunFor(3 * time.Second)
	if want := []string{"press"}; !slices.Equal(got, want) {
		t.Errorf("callbacks = %q, want %q", got, want)
	}
}

func TestButtonKindString(t *testing.T) {
	for k, want := range map[prim.ButtonKind]string{
		prim.ButtonPress: "press", prim.ButtonRelease: "release",
		prim.ButtonLong: "long", prim.ButtonDouble: "double", 9: "ButtonKind(9)",
	} {
		if got := k.String(); got != want {
			t.Errorf("ButtonKind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

// A callback that stops the button ends it there: no event after the one
// whose callback stopped it is reported, by callback or to Next, and none
// is counted as dropped.
func TestPushbuttonStopInCallback(t *testing.T) {
	double := []click{{1010 * ms, 100 * ms}, {1210 * ms, 100 * ms}}
	tests := []struct {
		name   string
		stopOn prim.ButtonKind
		clicks []click
		want   []string
	}{
		{"on a first press", prim.ButtonPress, double, []string{"press at 1.05s"}},
		{"on the press that makes a double click", prim.ButtonPress, double, []string{"press at 1.05s", "release at 1.15s", "press at 1.25s"}},
		{"on the first release", prim.ButtonRelease, double, []string{"press at 1.05s", "release at 1.15s"}},
		{"on the double", prim.ButtonDouble, double, []string{"press at 1.05s", "release at 1.15s", "press at 1.25s", "double at 1.25s"}},
		{"on a long press", prim.ButtonLong, []click{{1010 * ms, 1500 * ms}}, []string{"press at 1.05s", "long at 2.05s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := simtest.New(t, "pico2w", sim.Config{})
			btn := sim.NewButton(sim.ButtonConfig{Name: "btn", Bounce: sim.DefaultBounce})
			r.Board.Attach("GP14", btn)
			for _, c := range tt.clicks {
				btn.ClickAt(c.At, c.Hold)
			}
			in, _ := r.Board.Input("GP14", hw.PullUp)
			var got []string
			var pb *prim.Pushbutton
			stops := 0
			cb := func(k prim.ButtonKind) func() {
				return func() {
					got = append(got, prim.ButtonEvent{Kind: k, At: r.Loop.Now()}.String())
					if k == tt.stopOn && stops == 0 && (k != prim.ButtonPress || len(got) == len(tt.want)) {
						stops++
						pb.Stop()
					}
				}
			}
			pb = prim.NewPushbutton(r.Loop, in, prim.PushbuttonConfig{
				OnPress: cb(prim.ButtonPress), OnRelease: cb(prim.ButtonRelease),
				OnLong: cb(prim.ButtonLong), OnDouble: cb(prim.ButtonDouble),
			})
			r.Loop.RunFor(3 * time.Second)
			if !slices.Equal(got, tt.want) {
				t.Errorf("callbacks = %q, want %q", got, tt.want)
			}
			var queued []string
			for {
				e, ok := pb.TryNext()
				if !ok {
					break
				}
				queued = append(queued, e.String())
			}
			if !slices.Equal(queued, tt.want) {
				t.Errorf("queued = %q, want %q", queued, tt.want)
			}
			if pb.Dropped() != 0 {
				t.Errorf("Dropped() = %d, want 0", pb.Dropped())
			}
		})
	}
}

// The gesture times are exact: a second press seen exactly DoubleClick
// after the first starts afresh; a press still down when LongPress has
// passed is long, even if its release is seen at that instant.
func TestPushbuttonGestureEdges(t *testing.T) {
	tests := []struct {
		name   string
		cfg    prim.PushbuttonConfig
		clicks []click
		want   []string
	}{
		{
			name:   "second press 1 poll inside the window",
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1360 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "press at 1.4s", "double at 1.4s"},
		},
		{
			name:   "second press at the window's end",
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 100 * ms}, {1410 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "release at 1.45s", "press at 1.45s", "release at 1.85s"},
		},
		{
			name:   "second press at the window's end, not suppressed",
			clicks: []click{{1010 * ms, 100 * ms}, {1410 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "release at 1.15s", "press at 1.45s", "release at 1.55s"},
		},
		{
			name:   "released 1 poll before the long press",
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 950 * ms}},
			want:   []string{"press at 1.05s", "release at 2s"},
		},
		{
			name:   "released at the long press",
			clicks: []click{{1010 * ms, 1000 * ms}},
			want:   []string{"press at 1.05s", "long at 2.05s", "release at 2.05s"},
		},
		{
			name:   "released at the long press, suppressed",
			cfg:    prim.PushbuttonConfig{Suppress: true},
			clicks: []click{{1010 * ms, 1000 * ms}},
			want:   []string{"press at 1.05s", "long at 2.05s"},
		},
		{
			// Timings past the end of time do not wrap around to the
			// past: the long press never comes, the window never closes.
			name:   "gesture times past the end of time",
			cfg:    prim.PushbuttonConfig{LongPress: math.MaxInt64, DoubleClick: math.MaxInt64 - 1},
			clicks: []click{{1010 * ms, 100 * ms}},
			want:   []string{"press at 1.05s", "release at 1.15s"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := runButton(t, 1, sim.DefaultBounce, tt.cfg, tt.clicks, 3*time.Second)
			if !slices.Equal(run.callbacks, tt.want) {
				t.Errorf("callbacks = %q, want %q", run.callbacks, tt.want)
			}
			if !slices.Equal(run.next, tt.want) {
				t.Errorf("Next = %q, want %q", run.next, tt.want)
			}
		})
	}
}
