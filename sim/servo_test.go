package sim

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/trace"
)

// A servo follows the pulse width of the PWM on its pin: 0.5 ms is 0°,
// 2.5 ms 180°, clamped; no pulses hold the angle. The angle and the duty
// are traced as value signals.
func TestServo(t *testing.T) {
	r := newRig(t, "pico2w", 0)
	s := NewServo(ServoConfig{Name: "servo1"})
	if err := r.b.Attach("GP15", s); err != nil {
		t.Fatal(err)
	}
	var angles []float64
	err := r.run(func(t *coop.Task) error {
		p, err := hw.OpenPWM(r.b, "GP15")
		if err != nil {
			return err
		}
		if err := p.SetFreq(50); err != nil {
			return err
		}
		// 20 ms periods: duty/65535 × 20 ms.
		for _, duty := range []uint16{4915, 8192, 1638, 0, 9000, 1000} {
			p.SetDutyU16(duty)
			angles = append(angles, s.Angle())
			if err := t.Sleep(100 * time.Millisecond); err != nil {
				return err
			}
		}
		if err := p.SetFreq(0); !errors.Is(err, hw.ErrRange) {
			return errors.New("SetFreq(0) did not fail with ErrRange")
		}
		return p.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{90, 180, 0, 0, 180, 0}
	if !slices.Equal(angles, want) {
		t.Errorf("angles %v, want %v", angles, want)
	}
	var values []string
	for _, e := range r.rec.Events() {
		if e.Kind == trace.KindValue {
			values = append(values, e.String())
		}
	}
	wantValues := []string{
		"0s value GP15.duty 0", // SetFreq, duty still 0
		"0s value GP15.duty 4915",
		"0s value servo1.angle 90",
		"100ms value GP15.duty 8192",
		"100ms value servo1.angle 180",
		"200ms value GP15.duty 1638",
		"200ms value servo1.angle 0",
		"300ms value GP15.duty 0", // no pulses: the horn stays
		"400ms value GP15.duty 9000",
		"400ms value servo1.angle 180",
		"500ms value GP15.duty 1000",
		"500ms value servo1.angle 0",
		"600ms value GP15.duty 0", // Close
	}
	if !slices.Equal(values, wantValues) {
		t.Errorf("values:\n%s\nwant:\n%s", strings.Join(values, "\n"), strings.Join(wantValues, "\n"))
	}
	if st := s.State(); st["angle"] != 0.0 {
		t.Errorf("State() = %v", st)
	}
}

// PWM needs a pin that can make it: the error lists those that can.
func TestPWMPins(t *testing.T) {
	for _, tt := range []struct{ board, pin, err string }{
		{"pico2w", "LED", `hw: board "pico2w" has no PWM on LED (PWM: GP0–GP28)`},
		{"metro_m4", "D7", `hw: board "metro_m4" has no PWM on D7 (PWM: D0–D1, D3–D6, D8–D13)`},
		{"metro_m4", "LED", ""},
		{"pyboard", "X9", ""},
	} {
		r := newRig(t, tt.board, 0)
		_, err := r.b.PWM(tt.pin)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s PWM(%s) = %v", tt.board, tt.pin, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err || !errors.Is(err, hw.ErrNoDevice)):
			t.Errorf("%s PWM(%s) = %v, want %s", tt.board, tt.pin, err, tt.err)
		}
	}
}
