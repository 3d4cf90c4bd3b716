package blinkstatusfast_test

import (
	"testing"
	"time"

	blinkstatusfast "github.com/coopgo/coop/examples/blink-status-fast"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// Five blinks of 200 ms on and 200 ms off between two status lines, 2 s
// apart; at 2 s the tick comes before "LED ON".
func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-status-fast", sim.Config{})
	if err := r.Run(blinkstatusfast.App, 2*time.Second); err != nil {
		t.Fatalf("Run(blinkstatusfast.App, 2s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s LED ON",
		"0s System running... tick = 0",
		"200ms LED OFF",
		"400ms LED ON",
		"600ms LED OFF",
		"800ms LED ON",
		"1s LED OFF",
		"1.2s LED ON",
		"1.4s LED OFF",
		"1.6s LED ON",
		"1.8s LED OFF",
		"2s System running... tick = 1",
		"2s LED ON",
	})
	blinking := []string{
		"0s 0", "0s 1", "200ms 0", "400ms 1", "600ms 0", "800ms 1",
		"1s 0", "1.2s 1", "1.4s 0", "1.6s 1", "1.8s 0", "2s 1",
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), blinking)
	exampletest.Equal(t, "GP15", r.Levels("GP15"), blinking)
}
