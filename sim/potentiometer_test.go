package sim

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// A potentiometer's wiper is read by the ADC with 12 bits scaled to 16, as
// MicroPython's read_u16 does; a turn over a while is a straight line in
// board time, and a reversed knob reads the other way.
func TestPotentiometer(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	pot := NewPotentiometer(PotentiometerConfig{Name: "pot1", Position: 0.5})
	rev := NewPotentiometer(PotentiometerConfig{Name: "pot2", Position: 0.25, Reversed: true})
	for pin, p := range map[string]Part{"GP26": pot, "GP27": rev} {
		if err := r.b.Attach(pin, p); err != nil {
			t.Fatal(err)
		}
	}
	r.l.CallAt(time.Second, func() {
		if err := Do(pot, "turn", Args{"to": 1.0, "over": 2 * time.Second}); err != nil {
			t.Error(err)
		}
	})
	r.l.CallAt(4*time.Second, func() {
		if err := Do(pot, "set-control", Args{"position": 0.0}); err != nil {
			t.Error(err)
		}
	})
	var got []uint16
	err := r.run(func(t *coop.Task) error {
		a, err := hw.OpenADC(r.b, "GP26")
		if err != nil {
			return err
		}
		b, err := hw.OpenADC(r.b, "A0-not-a-pin")
		if err == nil || !errors.Is(err, hw.ErrNoPin) {
			return errors.New("ADC on a missing pin: no ErrNoPin")
		}
		_ = b
		b2, err := hw.OpenADC(r.b, "GP27")
		if err != nil {
			return err
		}
		for _, at := range []time.Duration{0, time.Second, 2 * time.Second, 3 * time.Second, 5 * time.Second} {
			if err := t.SleepUntil(at); err != nil {
				return err
			}
			got = append(got, a.ReadU16())
		}
		got = append(got, b2.ReadU16())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// 0.5 → 2048 (0x800) → 0x8008; 0.75 → 3071 (0xbff) → 0xbffb; 1 → 0xffff;
	// reversed 0.25 → 0.75.
	want := []uint16{0x8008, 0x8008, 0xbffb, 0xffff, 0, 0xbffb}
	if !slices.Equal(got, want) {
		t.Errorf("ReadU16 = %#x, want %#x", got, want)
	}
	if s := pot.State(); s["position"] != 0.0 {
		t.Errorf("State() = %v, want position 0", s)
	}
}

// An ADC needs a pin with a converter: the error says which pins have one.
func TestADCPins(t *testing.T) {
	for _, tt := range []struct{ board, pin, err string }{
		{"pico2w", "GP15", `hw: board "pico2w" has no ADC on GP15 (ADC: GP26–GP28)`},
		{"metro_m4", "D3", `hw: board "metro_m4" has no ADC on D3 (ADC: A0–A5)`},
		{"pyboard", "Y1", `hw: board "pyboard" has no ADC on Y1 (ADC: X1–X8, X11–X12, X19–X22, Y11–Y12)`},
		{"pico2w", "GP26", ""},
		{"metro_m4", "A5", ""},
		{"pyboard", "X22", ""},
	} {
		r := newRig(t, tt.board, 0)
		_, err := r.b.ADC(tt.pin)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s ADC(%s) = %v", tt.board, tt.pin, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err || !errors.Is(err, hw.ErrNoDevice)):
			t.Errorf("%s ADC(%s) = %v, want %s", tt.board, tt.pin, err, tt.err)
		}
	}
}

// The type describes the part for a page that draws it, as JSON.
func TestPotentiometerType(t *testing.T) {
	pt := LookupPartType("wokwi-slide-potentiometer")
	if pt == nil || pt.Type != "wokwi-potentiometer" {
		t.Fatalf("LookupPartType(wokwi-slide-potentiometer) = %v", pt)
	}
	vals, err := pt.CheckAttrs(map[string]string{"value": "1023"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := pt.New("pot1", vals, Hookup{Pin: "GP26"})
	if err != nil {
		t.Fatal(err)
	}
	if pos := p.(Described).State()["position"]; pos != 1.0 {
		t.Errorf("value 1023: position %v, want 1", pos)
	}
	if _, err := pt.CheckAttrs(map[string]string{"value": "2000"}); err == nil || err.Error() != `value "2000" must be a number from 0 to 1023` {
		t.Errorf("CheckAttrs(value 2000) = %v", err)
	}
	h, err := pt.Hookup(func(pin string) Net {
		return map[string]Net{"SIG": {GPIO: "GP26"}, "VCC": {GND: "GND.1"}, "GND": {Supply: "3V3"}}[pin]
	})
	if err != nil || h != (Hookup{Pin: "GP26", Inverted: true, Needs: CapADC}) {
		t.Errorf("Hookup(reversed) = %+v, %v", h, err)
	}
	if _, err := pt.Hookup(func(string) Net { return Net{} }); !errors.Is(err, ErrNotWired) {
		t.Errorf("Hookup(nothing) = %v, want ErrNotWired", err)
	}
	js, err := json.Marshal(pt.Inputs)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"name":"turn","doc":"turn the knob, at once or in a straight line over a while","args":[` +
		`{"name":"from","kind":"number","doc":"the position to start from; where it is now if left out","max":1,"optional":true},` +
		`{"name":"to","kind":"number","doc":"the position to end at","max":1},` +
		`{"name":"over","kind":"duration","doc":"how long the turn takes; at once if left out","optional":true}]}]`
	if string(js) != want {
		t.Errorf("inputs as JSON:\n%s\nwant\n%s", js, want)
	}
}
