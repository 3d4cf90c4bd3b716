package knobservo_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	knobservo "github.com/coopgo/coop/examples/knob-servo"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// The default scenario: the servo starts at the knob's 90°, follows the
// turn up in 18° steps, one per read, and snaps to 45° with the knob.
// The servo's own angle, from the pulse width, is traced.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "knob-servo", sim.Config{})
	if err := r.Run(knobservo.App, 2600*time.Millisecond); err != nil {
		t.Fatalf("Run(knobservo.App, 2.6s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s servo 90",
		"1.1s servo 108",
		"1.2s servo 126",
		"1.3s servo 144",
		"1.4s servo 162",
		"1.5s servo 180",
		"2s servo 45",
	})
	var values []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindValue {
			values = append(values, fmt.Sprintf("%v %s %v", e.At, e.Source, e.Value))
		}
	}
	exampletest.Equal(t, "values", values, []string{
		"0s GP15.duty 0",
		"0s GP15.duty 4915", "0s servo1.angle 90",
		"1.1s GP15.duty 5570", "1.1s servo1.angle 107.99",
		"1.2s GP15.duty 6226", "1.2s servo1.angle 126",
		"1.3s GP15.duty 6881", "1.3s servo1.angle 144",
		"1.4s GP15.duty 7537", "1.4s servo1.angle 162.01",
		"1.5s GP15.duty 8192", "1.5s servo1.angle 180",
		"2s GP15.duty 3277", "2s servo1.angle 45.01",
	})
	if got := r.Board.Part("servo1").(sim.Described).State()["angle"]; got != 45.01 {
		t.Errorf("servo1 angle = %v, want 45.01", got)
	}
}

// The conversions: a full-scale reading is 180°, and 90° is a 1.5 ms
// pulse in 20 ms.
func TestConversions(t *testing.T) {
	for _, tt := range []struct {
		reading uint16
		angle   int
		duty    uint16
	}{{0, 0, 1638}, {32808, 90, 4915}, {65535, 180, 8192}} {
		if a := knobservo.Angle(tt.reading); a != tt.angle {
			t.Errorf("Angle(%d) = %d, want %d", tt.reading, a, tt.angle)
		}
		if d := knobservo.Duty(tt.angle); d != tt.duty {
			t.Errorf("Duty(%d) = %d, want %d", tt.angle, d, tt.duty)
		}
	}
}

// Cancelled, the program stops its tasks and the servo's PWM.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "knob-servo", sim.Config{})
	done, at, err := r.CancelAt(t, knobservo.App, 1250*time.Millisecond, 2*time.Second)
	if !done || at != 1250*time.Millisecond || !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("cancelled at 1.25s: done %v at %v, %v; want done at 1.25s, ErrCancelled", done, at, err)
	}
	last := r.Trace.Events()
	var pwm []string
	for _, e := range last {
		if e.Kind == trace.KindValue && e.Source == "GP15.duty" && e.At >= time.Second {
			pwm = append(pwm, fmt.Sprintf("%v %v", e.At, e.Value))
		}
	}
	exampletest.Equal(t, "GP15 duty", pwm, []string{"1.1s 5570", "1.2s 6226", "1.25s 0"})
}
