package buttoncancel_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	buttoncancel "github.com/coopgo/coop/examples/button-cancel"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The default scenario presses the button at 2.12 s: the poll at 2.15 s
// sees it, the blink task is cancelled while the LED is lit, turns it
// off, and the program returns nil.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "button-cancel", sim.Config{})
	if err := r.Run(buttoncancel.App, 5*time.Second); err != nil {
		t.Fatalf("Run(buttoncancel.App, 5s) = %v, want nil", err)
	}
	if live := r.Loop.Tasks(); len(live) > 0 {
		t.Errorf("App still runs at 5 s: %+v", live)
	}
	if err := r.Loop.RunFor(5*time.Second - r.Loop.Now()); err != nil { // the scenario's release
		t.Fatal(err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"2.15s Button pressed, cancelling blink task...",
		"2.15s Blink task stopped",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.25s 0", "1.5s 1", "1.75s 0", "2s 1",
		"2.15s 0", // cancelled: the LED goes off at once
	})
	// The contacts bounce for a few milliseconds (seed 0); the polls,
	// 50 ms apart, do not see it.
	exampletest.Equal(t, "GP14", r.Levels("GP14"), []string{
		"0s 1",
		"2.12s 0", "2.120883s 1", "2.124319s 0",
		"2.22s 1", "2.220101s 0", "2.220271s 1", "2.221988s 0", "2.223077s 1", "2.223335s 0", "2.22401s 1",
	})
}

// Cancelled before anyone presses the button, the program stops blinking
// too, turns the LED off and returns ErrCancelled.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "button-cancel", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = buttoncancel.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"1.1s Blink task stopped"})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.1s 0"})
}
