package buttonqueue_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	buttonqueue "github.com/coopgo/coop/examples/button-queue"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The default scenario's taps: each press is seen by the 40 ms poll, its
// time since the previous one printed and queued; the blink task takes one
// queued delay per toggle, so the quick taps at 5–5.75 s reach the LED only
// once the 2 s delay queued before them has run (8 s on).
//
// Where the blink task and the button poll wake at the same instant (2 s,
// 3 s, 9 s…), the blink task runs first: its sleep was scheduled earlier,
// and coop fires ties in the order they were scheduled. So at 9 s the LED
// toggles with the old delay before the new one is queued.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "button-queue", sim.Config{})
	if err := r.Run(buttonqueue.App, 12*time.Second); err != nil {
		t.Fatalf("Run(buttonqueue.App, 12s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1s 1000",
		"2s 1000",
		"3s 1000",
		"5s 2000",
		"5.28s 280",
		"5.52s 240",
		"5.76s 240",
		"9s 3240", // printed whole, queued as 2000
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0",
		"1s 1", // the first press: 1000
		"2s 0", "3s 1", "4s 0", "5s 1", "6s 0",
		"8s 1", // 2000 taken at 6 s
		"8.28s 0", "8.52s 1", "8.76s 0", "9s 1",
		"9.24s 0", // 2000, the clamped 3240
		"11.24s 1",
	})
}

// Until the first press the LED stays off: the blink task waits for a
// delay instead of toggling on every pass.
func TestApp_noPress(t *testing.T) {
	p := exampletest.New(t, "button-queue", sim.Config{}).Program
	p.Scenario = nil
	r := exampletest.NewProgram(t, p, sim.Config{})
	if err := r.Run(buttonqueue.App, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), nil)
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0"})
}

// Cancelled, the program stops both tasks and turns the LED off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "button-queue", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = buttonqueue.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(3500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "1s 1", "2s 0", "3s 1", "3.5s 0"})
}
