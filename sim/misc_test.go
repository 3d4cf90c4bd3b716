package sim

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// An external pull-up makes an input without internal pull read high, and
// a button to GND pulls it low.
func TestResistor(t *testing.T) {
	r := newRig(t, "pyboard", 0)
	r.b.Attach("X1", NewResistor(PullConfig{Name: "r1", To: High}))
	btn := NewButton(ButtonConfig{Name: "b1"})
	r.b.Attach("X1", btn)
	in, _ := r.b.Input("X1", hw.PullNone)
	var got []bool
	btn.PressAt(time.Second)
	for _, at := range []time.Duration{ms(500), ms(1500)} {
		r.l.CallAt(at, func() { got = append(got, in.Get()) })
	}
	r.l.RunFor(2 * time.Second)
	if !slices.Equal(got, []bool{true, false}) {
		t.Errorf("levels = %v, want [true false]", got)
	}
	if f, _ := r.b.Floating("X1"); f {
		t.Error("pulled pin floats")
	}
}

// Each part draws its own random numbers: adding another bouncing button
// does not change the bounce of the first.
func TestPartsIndependent(t *testing.T) {
	run := func(extra bool) []string {
		r := newRig(t, "metro_m4", 11)
		if extra {
			other := NewButton(ButtonConfig{Name: "other", Bounce: DefaultBounce})
			r.b.Attach("D5", other)
			other.ClickAt(ms(990), ms(30))
			r.b.Input("D6", hw.PullNone) // and a floating pin
		}
		b := NewButton(ButtonConfig{Name: "b", Bounce: DefaultBounce})
		r.b.Attach("D3", b)
		r.b.Input("D3", hw.PullUp)
		b.ClickAt(time.Second, ms(50))
		r.l.RunFor(2 * time.Second)
		return r.pins("D3")
	}
	if a, b := run(false), run(true); !slices.Equal(a, b) {
		t.Errorf("D3 edges alone %v, with another part %v", a, b)
	}
}

func TestAccessors(t *testing.T) {
	r := newRig(t, "metro_m4", 77)
	if r.b.Name() != "metro_m4" || r.b.Title() != "Adafruit Metro M4 Express" || r.b.Loop() != r.l || r.b.Seed() != 77 {
		t.Error("board accessors wrong")
	}
	if n, err := r.b.PinName("LED"); n != "D13" || err != nil {
		t.Errorf("PinName(LED) = %q, %v", n, err)
	}
	if _, err := r.b.PinName("LED2"); !errors.Is(err, hw.ErrNoPin) {
		t.Errorf("PinName(LED2) = %v", err)
	}
	if _, err := r.b.Level("nope"); !errors.Is(err, hw.ErrNoPin) {
		t.Errorf("Level(nope) = %v", err)
	}
	if got := len(r.b.Pins()); got != 20 {
		t.Errorf("len(Pins()) = %d, want 20", got)
	}
	s := NewDHT22(DHT22Config{Name: "d"})
	b := NewButton(ButtonConfig{Name: "b"})
	if s.Pin() != "" || b.Pin() != "" {
		t.Error("unattached parts report a pin")
	}
	r.b.Attach("D2", s)
	r.b.Attach("A0", b)
	if s.Pin() != "D2" || b.Pin() != "A0" {
		t.Errorf("Pin() = %q, %q", s.Pin(), b.Pin())
	}
	fired := false
	r.b.At(time.Second, func() { fired = true })
	r.l.RunFor(time.Second)
	if !fired {
		t.Error("At did not run")
	}
	if Z.String() != "z" || High.String() != "high" {
		t.Error("Level.String wrong")
	}
}

func TestWLANDisconnectDuringJoin(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	r.b.AddAccessPoint(APConfig{SSID: "home"})
	var err error
	var at time.Duration
	r.run(func(t *coop.Task) error {
		w, _ := r.b.WLAN()
		r.l.CallAt(ms(500), w.Disconnect)
		err = w.Connect(t, "home", "")
		at = t.Now()
		if w.Status() != hw.StatusIdle {
			t.Cancel()
		}
		return nil
	})
	if err != errJoinAborted || at != ms(500) {
		t.Errorf("Connect = %v at %v, want %v at 500ms", err, at, errJoinAborted)
	}
}

func TestDHT22Close(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	d, _ := r.b.DHT22("GP16")
	d.(interface{ Close() error }).Close()
	if _, err := r.b.Input("GP16", hw.PullUp); err != nil {
		t.Errorf("Input after DHT22 Close = %v", err)
	}
}

// A PWM frequency the board cannot make is refused with ErrRange, and the
// error says which frequency and what the board makes.
func TestPWMFreqRange(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	p, err := hw.OpenPWM(r.b, "GP15")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		hz   int
		want string
	}{
		{0, `hw: board "pico2w" pin "GP15": hw: value out of range: PWM frequency 0 Hz (the board makes 1 Hz to 1000000 Hz)`},
		{2_000_000, `hw: board "pico2w" pin "GP15": hw: value out of range: PWM frequency 2000000 Hz (the board makes 1 Hz to 1000000 Hz)`},
		{1, ""},
		{1_000_000, ""},
	}
	for _, tt := range tests {
		err := p.SetFreq(tt.hz)
		if tt.want == "" {
			if err != nil {
				t.Errorf("SetFreq(%d) = %v, want nil", tt.hz, err)
			}
			continue
		}
		if err == nil || err.Error() != tt.want || !errors.Is(err, hw.ErrRange) {
			t.Errorf("SetFreq(%d) = %v, want %q wrapping ErrRange", tt.hz, err, tt.want)
		}
	}
}
