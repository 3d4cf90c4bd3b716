package buttontoggle_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	buttontoggle "github.com/coopgo/coop/examples/button-toggle"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The default scenario presses the button at 1.02 s and 3.62 s: the LED
// blinks from the first poll after the first press to the first poll
// after the second, and the program returns nil.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "button-toggle", sim.Config{})
	if err := r.Run(buttontoggle.App, 5*time.Second); err != nil {
		t.Fatalf("Run(buttontoggle.App, 5s) = %v, want nil", err)
	}
	if live := r.Loop.Tasks(); len(live) > 0 {
		t.Errorf("App still runs at 5 s: %+v", live)
	}
	if err := r.Loop.RunFor(5*time.Second - r.Loop.Now()); err != nil { // the scenario's last release
		t.Fatal(err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1.05s Button pressed, starting blink task...",
		"3.65s Button pressed, cancelling blink task...",
		"3.65s Blink task stopped",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "1.05s 1", "1.3s 0", "1.55s 1", "1.8s 0", "2.05s 1", "2.3s 0", "2.55s 1", "2.8s 0",
		"3.05s 1", "3.3s 0", "3.55s 1", "3.65s 0",
	})
	// The contacts bounce for a few milliseconds (seed 0); the polls,
	// 50 ms apart, do not see it.
	exampletest.Equal(t, "GP14", r.Levels("GP14"), []string{
		"0s 1",
		"1.02s 0", "1.020883s 1", "1.024319s 0",
		"1.12s 1", "1.120101s 0", "1.120271s 1", "1.121988s 0", "1.123077s 1", "1.123335s 0", "1.12401s 1",
		"3.62s 0", "3.620916s 1", "3.624429s 0",
		"3.72s 1", "3.721155s 0", "3.722463s 1", "3.723812s 0", "3.72416s 1",
	})
}

// Held down for a second, the first press starts the blinking once: the
// button task waits for the release before it looks for the next press.
func TestApp_longPress(t *testing.T) {
	r := exampletest.New(t, "button-toggle", sim.Config{})
	r.Scenario.Stop()
	btn := r.Board.Part("btn1").(*sim.Button)
	btn.ClickAt(520*time.Millisecond, time.Second)
	btn.ClickAt(2020*time.Millisecond, 100*time.Millisecond)
	if err := r.Run(buttontoggle.App, 3*time.Second); err != nil {
		t.Fatalf("Run(buttontoggle.App, 3s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"550ms Button pressed, starting blink task...",
		"2.05s Button pressed, cancelling blink task...",
		"2.05s Blink task stopped",
	})
}

// Cancelled while blinking, the program cancels the blink task, which
// turns the LED off, and returns ErrCancelled.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "button-toggle", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = buttontoggle.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1600 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1.05s Button pressed, starting blink task...",
		"1.6s Blink task stopped",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "1.05s 1", "1.3s 0", "1.55s 1", "1.6s 0"})
}
