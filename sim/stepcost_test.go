package sim_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
)

func TestStepCost(t *testing.T) {
	for _, tc := range []struct {
		board string
		want  time.Duration
		ok    bool
	}{
		{"pico2w", 9173 * time.Nanosecond, true},
		{"pyboard", 8190 * time.Nanosecond, true},
		{"metro_m4", 11466 * time.Nanosecond, true},
		{"picow", 11008 * time.Nanosecond, true},
		{"uno", 0, false},
	} {
		if got, ok := sim.StepCost(tc.board); got != tc.want || ok != tc.ok {
			t.Errorf("StepCost(%q) = %v, %v; want %v, %v", tc.board, got, ok, tc.want, tc.ok)
		}
	}
}

// A task polling with Sleep(0) sees board time pass at the board's step
// cost.
func TestStepCost_polling(t *testing.T) {
	d, _ := sim.StepCost("pico2w")
	var at time.Duration
	err := coop.Run(func(t *coop.Task) error {
		for range 1000 {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		at = t.Now()
		return nil
	}, coop.WithVirtualClock(), coop.WithStepCost(d))
	if err != nil {
		t.Fatal(err)
	}
	if want := 1000 * d; at != want {
		t.Errorf("after 1000 steps of %v, Now() = %v, want %v", d, at, want)
	}
}
