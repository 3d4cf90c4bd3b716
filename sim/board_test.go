package sim

import (
	"errors"
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

func TestUnknownBoard(t *testing.T) {
	_, err := NewBoard(coop.NewLoop(coop.WithVirtualClock()), "uno", Config{})
	want := `sim: unknown board "uno" (boards: metro_m4, pico2w, pyboard)`
	if err == nil || err.Error() != want {
		t.Errorf("NewBoard(uno) = %v, want %q", err, want)
	}
}

// Each board names itself as MicroPython (or CircuitPython) does in
// sys.implementation._machine.
func TestBoardNames(t *testing.T) {
	for _, tt := range []struct{ kind, title, machine string }{
		{"pico2w", "Raspberry Pi Pico 2 W", "Raspberry Pi Pico 2 W with RP2350"},
		{"pyboard", "pyboard v1.1", "PYBv1.1 with STM32F405RG"},
		{"metro_m4", "Adafruit Metro M4 Express", "Adafruit Metro M4 Express with samd51j19"},
	} {
		l := coop.NewLoop(coop.WithVirtualClock())
		b, err := NewBoard(l, tt.kind, Config{})
		if err != nil {
			t.Fatal(err)
		}
		if b.Title() != tt.title || b.Machine() != tt.machine {
			t.Errorf("NewBoard(%s): Title() = %q, Machine() = %q; want %q, %q", tt.kind, b.Title(), b.Machine(), tt.title, tt.machine)
		}
		l.Close()
	}
}

func TestUnknownPin(t *testing.T) {
	tests := []struct{ kind, pin, want string }{
		{"pico2w", "GP99", `hw: board "pico2w" has no pin "GP99" (pins: GP0–GP28, LED)`},
		{"pyboard", "X13", `hw: board "pyboard" has no pin "X13" (pins: X1–X12, X17–X22, Y1–Y12, LED(1)–LED(4), USR)`},
		{"metro_m4", "D14", `hw: board "metro_m4" has no pin "D14" (pins: D0–D13, A0–A5, LED)`},
		// A name in the wrong case, or a pin number as MicroPython's
		// Pin(15) takes it, or as TinyGo's machine.GPIO15 names it: the
		// error says which pin the program most likely meant.
		{"pico2w", "gp15", `hw: board "pico2w" has no pin "gp15" (did you mean GP15? pins: GP0–GP28, LED)`},
		{"pico2w", "led", `hw: board "pico2w" has no pin "led" (did you mean LED? pins: GP0–GP28, LED)`},
		{"pico2w", "15", `hw: board "pico2w" has no pin "15" (did you mean GP15? pins: GP0–GP28, LED)`},
		{"pico2w", "GPIO15", `hw: board "pico2w" has no pin "GPIO15" (did you mean GP15? pins: GP0–GP28, LED)`},
		{"pico2w", "D13", `hw: board "pico2w" has no pin "D13" (did you mean GP13? pins: GP0–GP28, LED)`},
		{"metro_m4", "13", `hw: board "metro_m4" has no pin "13" (did you mean D13? pins: D0–D13, A0–A5, LED)`},
		{"pyboard", "usr", `hw: board "pyboard" has no pin "usr" (did you mean USR? pins: X1–X12, X17–X22, Y1–Y12, LED(1)–LED(4), USR)`},
		{"pyboard", "led(2)", `hw: board "pyboard" has no pin "led(2)" (did you mean LED(2)? pins: X1–X12, X17–X22, Y1–Y12, LED(1)–LED(4), USR)`},
		// Two pins end in 1 on a pyboard (X1, Y1): no guess.
		{"pyboard", "1", `hw: board "pyboard" has no pin "1" (pins: X1–X12, X17–X22, Y1–Y12, LED(1)–LED(4), USR)`},
		{"pico2w", "GP29", `hw: board "pico2w" has no pin "GP29" (pins: GP0–GP28, LED)`},
	}
	for _, tt := range tests {
		r := newRig(t, tt.kind, 0)
		_, err := r.b.Output(tt.pin)
		if err == nil || err.Error() != tt.want || !errors.Is(err, hw.ErrNoPin) {
			t.Errorf("%s: Output(%q) = %v, want %q wrapping ErrNoPin", tt.kind, tt.pin, err, tt.want)
		}
	}
}

func TestPinBusy(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	if _, err := r.b.Input("GP14", hw.PullUp); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		open func() error
		want string
	}{
		{"Output", func() error { _, err := r.b.Output("GP14"); return err },
			`hw: pin "GP14" of board "pico2w" is in use as input`},
		{"DHT22", func() error { _, err := r.b.DHT22("GP14"); return err },
			`hw: pin "GP14" of board "pico2w" is in use as input`},
		{"Counter", func() error { _, err := r.b.Counter("GP14", hw.CounterConfig{}); return err },
			`hw: pin "GP14" of board "pico2w" is in use as input`},
		{"Keys", func() error { _, err := r.b.Keys(hw.KeysConfig{Pins: []string{"GP13", "GP14"}}); return err },
			`hw: pin "GP14" of board "pico2w" is in use as input`},
		{"Input after Output", func() error {
			if _, err := r.b.Output("GP15"); err != nil {
				return err
			}
			_, err := r.b.Input("GP15", hw.PullNone)
			return err
		}, `hw: pin "GP15" of board "pico2w" is in use as output`},
		{"Input after DHT22", func() error {
			if _, err := r.b.DHT22("GP16"); err != nil {
				return err
			}
			_, err := r.b.Input("GP16", hw.PullNone)
			return err
		}, `hw: pin "GP16" of board "pico2w" is in use as DHT22`},
	}
	for _, tt := range tests {
		err := tt.open()
		if err == nil || err.Error() != tt.want || !errors.Is(err, hw.ErrPinBusy) {
			t.Errorf("%s = %v, want %q wrapping ErrPinBusy", tt.name, err, tt.want)
		}
	}
	// Keys that failed took no pin.
	if _, err := r.b.Output("GP13"); err != nil {
		t.Errorf("Output(GP13) after failed Keys = %v", err)
	}
}

func TestPinReuseAndClose(t *testing.T) {
	r := newRig(t, "metro_m4", 0)
	a, _ := r.b.Output("LED")
	a.Set(true)
	b, err := r.b.Output("D13")
	if err != nil || b != a || !b.Get() {
		t.Fatalf("Output(D13) after Output(LED) = %v, %v; want the same pin, high", b, err)
	}
	if led := r.b.Part("LED").(*LED); !led.On() || led.Pin() != "D13" || led.Color() != "red" {
		t.Errorf("built-in LED: On() = %v, Pin() = %q, Color() = %q", led.On(), led.Pin(), led.Color())
	}
	if err := a.(interface{ Close() error }).Close(); err != nil {
		t.Fatal(err)
	}
	if r.b.Part("LED").(*LED).On() {
		t.Error("LED lit after its pin was closed")
	}
	in, err := r.b.Input("D13", hw.PullDown)
	if err != nil || in.Get() {
		t.Errorf("Input(D13, PullDown) after Close = %v, level %v; want low", err, in.Get())
	}
	defer func() {
		if recover() == nil {
			t.Error("Set on a closed output did not panic")
		}
	}()
	a.Set(false)
}

func TestNoDevice(t *testing.T) {
	tests := []struct {
		kind string
		open func(b hw.Board) error
		want string
	}{
		{"pyboard", func(b hw.Board) error { _, err := hw.OpenWLAN(b); return err }, `hw: board "pyboard" has no WLAN`},
		{"metro_m4", func(b hw.Board) error { _, err := hw.OpenWLAN(b); return err }, `hw: board "metro_m4" has no WLAN`},
		{"pyboard", func(b hw.Board) error { _, err := hw.OpenTimer(b, 15); return err },
			`hw: board "pyboard" has no timer 15 (timers: -1, 1–14)`},
		{"pico2w", func(b hw.Board) error { _, err := hw.OpenTimer(b, 0); return err },
			`hw: board "pico2w" has no timer 0 (timers: -1)`},
	}
	for _, tt := range tests {
		r := newRig(t, tt.kind, 0)
		err := tt.open(r.b)
		if err == nil || err.Error() != tt.want || !errors.Is(err, hw.ErrNoDevice) {
			t.Errorf("%s: open = %v, want %q wrapping ErrNoDevice", tt.kind, err, tt.want)
		}
	}
}

func TestAttachErrors(t *testing.T) {
	r := newRig(t, "pyboard", 0)
	if err := r.b.Attach("X1", NewButton(ButtonConfig{Name: "USR"})); err == nil ||
		err.Error() != `sim: attach "USR" to X1: board "pyboard" has a part of that name already` {
		t.Errorf("Attach duplicate = %v", err)
	}
	led := NewLED(LEDConfig{Name: "l"})
	if err := r.b.Attach("X1", led); err != nil {
		t.Fatal(err)
	}
	if err := r.b.Attach("X2", led); err == nil {
		t.Error("Attach of an attached part succeeded")
	}
	if err := r.b.Attach("Z9", NewLED(LEDConfig{Name: "m"})); !errors.Is(err, hw.ErrNoPin) {
		t.Errorf("Attach to Z9 = %v, want ErrNoPin", err)
	}
	names := []string{}
	for _, p := range r.b.Parts() {
		names = append(names, p.Name())
	}
	if got := lines(names); got != "LED(1)\nLED(2)\nLED(3)\nLED(4)\nUSR\nl" {
		t.Errorf("Parts() = %q", names)
	}
}
