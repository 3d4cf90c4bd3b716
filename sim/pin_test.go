package sim

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestButtonBounce(t *testing.T) {
	tests := []struct {
		name   string
		seed   uint64
		cfg    ButtonConfig
		pull   hw.Pull
		want   []string
		settle bool // final level after release
	}{
		{"seed 1, to GND", 1, ButtonConfig{Name: "b", Bounce: DefaultBounce}, hw.PullUp, []string{
			"0s 1",
			"1s 0", "1.003122s 1", "1.003226s 0", "1.003333s 1", "1.003983s 0",
			"1.1s 1", "1.10008s 0", "1.10071s 1",
		}, true},
		{"no bounce, to 3V3", 1, ButtonConfig{Name: "b", To: High}, hw.PullDown, []string{
			"0s 0", "1s 1", "1.1s 0",
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // and again: the same edges every run
				r := newRig(t, "pico2w", tt.seed)
				btn := NewButton(tt.cfg)
				if err := r.b.Attach("GP14", btn); err != nil {
					t.Fatal(err)
				}
				if _, err := r.b.Input("GP14", tt.pull); err != nil {
					t.Fatal(err)
				}
				btn.ClickAt(time.Second, 100*time.Millisecond)
				r.l.RunFor(2 * time.Second)
				if got := r.pins("GP14"); !slices.Equal(got, tt.want) {
					t.Errorf("GP14 edges =\n%s\nwant\n%s", lines(got), lines(tt.want))
				}
				if lvl, _ := r.b.Level("GP14"); lvl != tt.settle || btn.Pressed() {
					t.Errorf("after release: level %v, Pressed() %v", lvl, btn.Pressed())
				}
			}
		})
	}
}

// Every bounce lies within the bounce span and the contact ends as pushed,
// whatever the seed.
func TestButtonBounceBounds(t *testing.T) {
	for seed := range uint64(50) {
		r := newRig(t, "pico2w", seed)
		btn := NewButton(ButtonConfig{Name: "b", Bounce: 3 * time.Millisecond})
		r.b.Attach("GP2", btn)
		r.b.Input("GP2", hw.PullUp)
		btn.PressAt(time.Second)
		r.l.RunFor(2 * time.Second)
		evs := r.rec.Events()
		n := 0
		for _, e := range evs {
			if e.Source == "GP2" && e.At >= time.Second {
				n++
				if e.At > time.Second+3*time.Millisecond {
					t.Errorf("seed %d: edge at %v, after the bounce span", seed, e.At)
				}
			}
		}
		if n < 3 || n > 7 || n%2 == 0 {
			t.Errorf("seed %d: %d edges, want an odd number in 3..7", seed, n)
		}
		if lvl, _ := r.b.Level("GP2"); lvl {
			t.Errorf("seed %d: pressed button reads high", seed)
		}
	}
}

func TestFloatingNoise(t *testing.T) {
	sample := func(seed uint64, pull hw.Pull) []bool {
		r := newRig(t, "pico2w", seed)
		in, err := r.b.Input("GP14", pull)
		if err != nil {
			t.Fatal(err)
		}
		var s []bool
		for i := range 20 {
			r.l.CallAt(time.Duration(i)*50*time.Millisecond, func() { s = append(s, in.Get()) })
		}
		r.l.RunFor(time.Second)
		return s
	}
	want1 := []bool{true, true, false, false, true, true, false, false, true, false,
		false, false, true, false, true, false, true, false, true, false}
	if got := sample(1, hw.PullNone); !slices.Equal(got, want1) {
		t.Errorf("floating GP14, seed 1 = %v, want %v", got, want1)
	}
	if got := sample(1, hw.PullNone); !slices.Equal(got, want1) {
		t.Errorf("floating GP14, seed 1, second run = %v, want %v", got, want1)
	}
	if got := sample(2, hw.PullNone); slices.Equal(got, want1) {
		t.Errorf("floating GP14, seed 2 = seed 1's samples")
	}
	for _, pull := range []hw.Pull{hw.PullUp, hw.PullDown} {
		for i, v := range sample(1, pull) {
			if v != (pull == hw.PullUp) {
				t.Errorf("GP14 with pull %v: sample %d = %v", pull, i, v)
			}
		}
	}
}

// A button to GND without a pull: pressed it reads low, released it floats
// and phantom presses appear.
func TestForgottenPullUp(t *testing.T) {
	r := newRig(t, "pico2w", 3)
	btn := NewButton(ButtonConfig{Name: "b"})
	r.b.Attach("GP14", btn)
	in, _ := r.b.Input("GP14", hw.PullNone)
	btn.PressAt(0)
	btn.ReleaseAt(100 * time.Millisecond)
	lows := 0
	err := r.run(func(t *coop.Task) error {
		for range 40 {
			if !in.Get() {
				lows++
			}
			if err := t.Sleep(50 * time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 2 polls while pressed, then phantom presses: seed 3 gives 20.
	if lows != 20 {
		t.Errorf("polls reading low = %d, want 20", lows)
	}
	if f, _ := r.b.Floating("GP14"); !f {
		t.Error("Floating(GP14) = false for a released button without pull")
	}
}

func TestInterruptTiming(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	btn := NewButton(ButtonConfig{Name: "b"})
	r.b.Attach("GP14", btn)
	btn.PressAt(1500 * time.Millisecond)
	btn.ReleaseAt(1600 * time.Millisecond)
	type hit struct {
		at     time.Duration
		edge   hw.Edge
		inStep bool
	}
	var hits []hit
	var flag coop.ThreadSafeFlag
	err := r.run(func(t *coop.Task) error {
		in, err := r.b.Input("GP14", hw.PullUp)
		if err != nil {
			return err
		}
		l := t.Loop()
		in.SetInterrupt(hw.EdgeBoth, func(e hw.Edge) {
			hits = append(hits, hit{l.Now(), e, l.Current() != nil})
			flag.Set()
		})
		if err := flag.Wait(t); err != nil {
			return err
		}
		// The task wakes after the handler, at the same board time.
		if t.Now() != 1500*time.Millisecond {
			return errors.New("woke at " + t.Now().String())
		}
		// A change the program makes inside its own step interrupts
		// after the step.
		in2, _ := r.b.Input("GP13", hw.PullDown)
		in2.SetInterrupt(hw.EdgeRising, func(e hw.Edge) {
			hits = append(hits, hit{l.Now(), e, l.Current() != nil})
		})
		r.b.Input("GP13", hw.PullUp)
		if len(hits) != 1 {
			return errors.New("handler ran inside the step")
		}
		return t.Sleep(time.Second)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []hit{
		{1500 * time.Millisecond, hw.EdgeFalling, false},
		{1500 * time.Millisecond, hw.EdgeRising, false},
		{1600 * time.Millisecond, hw.EdgeRising, false},
	}
	if !slices.Equal(hits, want) {
		t.Errorf("handler calls = %+v, want %+v", hits, want)
	}
	if got, want := lines(r.events(3)), `1.5s interrupt GP14 "falling edge"
1.5s interrupt GP13 "rising edge"
1.6s interrupt GP14 "rising edge"`; got != want {
		t.Errorf("interrupt trace =\n%s\nwant\n%s", got, want)
	}
}

func TestWaitEdge(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	btn := NewButton(ButtonConfig{Name: "b", Bounce: DefaultBounce})
	r.b.Attach("GP14", btn)
	btn.ClickAt(time.Second, 300*time.Millisecond)
	var got []time.Duration
	err := r.run(func(t *coop.Task) error {
		in, _ := r.b.Input("GP14", hw.PullUp)
		for _, e := range []hw.Edge{hw.EdgeFalling, hw.EdgeRising} {
			if err := in.WaitEdge(t, e); err != nil {
				return err
			}
			got = append(got, t.Now())
			// Skip the bounce, as a debouncer would.
			if err := t.Sleep(20 * time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second, 1300 * time.Millisecond}
	if !slices.Equal(got, want) {
		t.Errorf("WaitEdge returned at %v, want %v", got, want)
	}
}

func TestWaitEdgeCancelAndClose(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	var errs []error
	err := r.run(func(t *coop.Task) error {
		in, _ := r.b.Input("GP14", hw.PullUp)
		w := t.Spawn("w", func(t *coop.Task) error { return in.WaitEdge(t, hw.EdgeFalling) })
		w2 := t.Spawn("w2", func(t *coop.Task) error { return in.WaitEdge(t, hw.EdgeFalling) })
		t.Sleep(time.Second)
		w.Cancel()
		errs = append(errs, w.Wait(t))
		in.(interface{ Close() error }).Close()
		errs = append(errs, w2.Wait(t))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(errs[0], coop.ErrCancelled) || errs[1] != errPinClosed {
		t.Errorf("WaitEdge errors = %v, want ErrCancelled, %v", errs, errPinClosed)
	}
}

func TestClosedInputReturnsErrors(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	var errs []string
	err := r.run(func(t *coop.Task) error {
		in, _ := r.b.Input("GP14", hw.PullUp)
		in.(interface{ Close() error }).Close()
		errs = append(errs, in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) {}).Error())
		errs = append(errs, in.WaitEdge(t, hw.EdgeFalling).Error())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"SetInterrupt on input GP14: sim: pin closed", "WaitEdge on input GP14: sim: pin closed"}
	if !slices.Equal(errs, want) {
		t.Errorf("errors = %q, want %q", errs, want)
	}
}

// A floating pin with an interrupt handler gets phantom interrupts on time.
func TestFloatingInterrupts(t *testing.T) {
	count := func(seed uint64) (n int, at []time.Duration) {
		r := newRig(t, "pico2w", seed)
		in, _ := r.b.Input("GP5", hw.PullNone)
		in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { n++; at = append(at, r.l.Now()) })
		r.l.RunFor(time.Second)
		return n, at
	}
	n1, at1 := count(7)
	n2, at2 := count(7)
	if n1 == 0 || n1 != n2 || !slices.Equal(at1, at2) {
		t.Errorf("phantom interrupts: %d then %d, want the same nonzero count", n1, n2)
	}
	// Each interrupt is at a falling edge of the trace.
	r := newRig(t, "pico2w", 7)
	in, _ := r.b.Input("GP5", hw.PullNone)
	in.SetInterrupt(hw.EdgeFalling, func(hw.Edge) {})
	r.l.RunFor(time.Second)
	var falls []time.Duration
	for _, e := range r.rec.Events() {
		if e.Kind == 1 && e.Source == "GP5" && !e.Level && e.At > 0 {
			falls = append(falls, e.At)
		}
	}
	if !slices.Equal(falls, at1) {
		t.Errorf("interrupts at %v, falling edges at %v", at1, falls)
	}
}

func TestOutputTraceAndLED(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	led := r.b.Part("LED").(*LED)
	var states []bool
	err := r.run(func(t *coop.Task) error {
		o, err := r.b.Output("LED")
		if err != nil {
			return err
		}
		for range 4 {
			o.Toggle()
			states = append(states, led.On())
			if err := t.Sleep(500 * time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(states, []bool{true, false, true, false}) {
		t.Errorf("LED states = %v", states)
	}
	want := []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0"}
	if got := r.pins("LED"); !slices.Equal(got, want) {
		t.Errorf("LED trace = %v, want %v", got, want)
	}
}

// An input with a part on it that floats (a button to GND read without a
// pull: it reads noise while released) is named once to the board's
// warning observers, at the board time it first floats; a pull, a pin
// with nothing on it or an output is not.
func TestFloatingInputWarning(t *testing.T) {
	tests := []struct {
		name  string
		pin   string
		pull  hw.Pull
		press bool // the button is held down throughout
		want  []string
	}{
		{"no pull", "GP14", hw.PullNone, false, []string{
			`0s GP14 (btn1) floats: no part drives it now and nothing pulls it, so it reads noise; ` +
				`give the input a pull: hw.PullUp for a button to GND, hw.PullDown for one to 3V3`}},
		{"no pull, held down", "GP14", hw.PullNone, true, nil},
		{"pull-up", "GP14", hw.PullUp, false, nil},
		{"nothing on the pin", "GP13", hw.PullNone, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, "pico2w", 0)
			btn := NewButton(ButtonConfig{Name: "btn1"})
			if err := r.b.Attach("GP14", btn); err != nil {
				t.Fatal(err)
			}
			if tt.press {
				btn.Press()
			}
			var got []string
			r.b.Observe(ObserverFuncs{OnWarning: func(at time.Duration, text string) {
				got = append(got, fmt.Sprintf("%v %s", at, text))
			}})
			err := r.run(func(t *coop.Task) error {
				in, err := r.b.Input(tt.pin, tt.pull)
				if err != nil {
					return err
				}
				for range 10 { // reading again, or the noise, warns no more
					in.Get()
					if err := t.Sleep(20 * time.Millisecond); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("warnings %q, want %q", got, tt.want)
			}
		})
	}
}
