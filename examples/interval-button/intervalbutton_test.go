package intervalbutton_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	intervalbutton "github.com/coopgo/coop/examples/interval-button"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// The default scenario: "faster" at 1–5 s (0.4 down to the 0.1 floor, hit
// twice), "slower" at 7 s and 8 s. Each press is seen by the keypad scan at
// the same instant and printed then. The LED takes a new interval at its
// next sleep: at 1 s it changed just before the press was seen (its timer
// was due at 1 s too and scheduled before the scan's), so it stays on for
// the old 0.5 s, then follows 0.4, 0.3…
func TestApp(t *testing.T) {
	r := exampletest.New(t, "interval-button", sim.Config{})
	if err := r.Run(intervalbutton.App, 10*time.Second); err != nil {
		t.Fatalf("Run(intervalbutton.App, 10s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1s interval is now 0.4",
		"2s interval is now 0.3",
		"3s interval is now 0.2",
		"4s interval is now 0.1",
		"5s interval is now 0.1",
		"7s interval is now 0.2",
		"8s interval is now 0.3",
	})
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1",
		"1.5s 0", "1.9s 1", "2.3s 0", // 0.4
		"2.6s 1", "2.9s 0", "3.2s 1", // 0.3
		"3.4s 0", "3.6s 1", "3.8s 0", "4s 1", "4.2s 0", // 0.2
		"4.3s 1", "4.4s 0", "4.5s 1", "4.6s 0", "4.7s 1", "4.8s 0", "4.9s 1", "5s 0", "5.1s 1", // 0.1
		"5.2s 0", "5.3s 1", "5.4s 0", "5.5s 1", "5.6s 0", "5.7s 1", "5.8s 0", "5.9s 1", "6s 0",
		"6.1s 1", "6.2s 0", "6.3s 1", "6.4s 0", "6.5s 1", "6.6s 0", "6.7s 1", "6.8s 0", "6.9s 1", "7s 0",
		"7.1s 1", "7.3s 0", "7.5s 1", "7.7s 0", "7.9s 1", "8.1s 0", // 0.2
		"8.4s 1", "8.7s 0", "9s 1", "9.3s 0", "9.6s 1", "9.9s 0", // 0.3
	})
}

// Cancelled, both tasks stop, the LED goes off and the keypad lets its pins
// go: they can be used again.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "interval-button", sim.Config{})
	// Cancel at 1.2s from a task, and see when the program is done.
	done, doneAt, result := r.CancelAt(t, intervalbutton.App, 1200*time.Millisecond, 2*time.Second)
	if !done || !errors.Is(result, coop.ErrCancelled) || doneAt != 1200*time.Millisecond {
		t.Fatalf("App cancelled at 1.2s: done %v at %v, returned %v; want done at once, ErrCancelled", done, doneAt, result)
	}
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.2s 0"})
	if _, err := r.Board.Input("D3", hw.PullNone); err != nil {
		t.Errorf("D3 after cancel: %v, want it free", err)
	}
}
