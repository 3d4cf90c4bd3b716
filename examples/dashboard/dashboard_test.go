package dashboard_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/dashboard"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// blinking returns the trace of the LED blinking from 0 s to end: low as
// the pin becomes an output, then high and low every 200 ms.
func blinking(end time.Duration) []string {
	levels := []string{"0s 0"}
	for i := 0; time.Duration(i)*dashboard.Blink <= end; i++ {
		levels = append(levels, fmt.Sprintf("%v %d", time.Duration(i)*dashboard.Blink, 1-i%2))
	}
	return levels
}

// The default scenario: two clicks and a 2 s hold give three reports, the
// first between "Uptime: 1 s" and "Uptime: 2 s" as in the course's example
// output, and the LED blinks on without a hitch.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "dashboard", sim.Config{})
	if err := r.Run(dashboard.App, 10*time.Second); err != nil {
		t.Fatalf("Run(dashboard.App, 10s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Uptime: 0 s",
		"1s Uptime: 1 s",
		"1.35s Button pressed", // pressed at 1.32 s, seen by the poll at 1.35 s
		"2s Uptime: 2 s",
		"3s Uptime: 3 s",
		"4s Uptime: 4 s",
		"4.65s Button pressed",
		"5s Uptime: 5 s",
		"6s Uptime: 6 s",
		"7s Uptime: 7 s",
		"7.05s Button pressed", // held until 9.02 s: one report
		"8s Uptime: 8 s",
		"9s Uptime: 9 s",
		"10s Uptime: 10 s",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), blinking(10*time.Second))
	// The contacts bounce for a few milliseconds at each press and
	// release (seed 0); the 50 ms polls never land in a bounce.
	exampletest.Equal(t, "GP14", r.Levels("GP14"), []string{
		"0s 1",
		"1.32s 0", "1.320883s 1", "1.324319s 0",
		"1.42s 1", "1.420101s 0", "1.420271s 1", "1.421988s 0", "1.423077s 1", "1.423335s 0", "1.42401s 1",
		"4.62s 0", "4.620916s 1", "4.624429s 0",
		"4.72s 1", "4.721155s 0", "4.722463s 1", "4.723812s 0", "4.72416s 1",
		"7.02s 0", "7.021712s 1", "7.022774s 0",
		"9.02s 1", "9.020246s 0", "9.021528s 1", "9.022236s 0", "9.02242s 1",
	})
}

// Without anyone at the button, the dashboard only counts.
func TestApp_untouched(t *testing.T) {
	r := exampletest.New(t, "dashboard", sim.Config{})
	r.Scenario.Stop()
	if err := r.Run(dashboard.App, 3*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Uptime: 0 s", "1s Uptime: 1 s", "2s Uptime: 2 s", "3s Uptime: 3 s",
	})
}

// Cancelled while the LED is lit, the program turns it off and returns
// ErrCancelled at once.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "dashboard", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = dashboard.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(7300 * time.Millisecond); err != nil { // button held, LED on since 7.2 s
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), append(blinking(7200*time.Millisecond), "7.3s 0"))
}
