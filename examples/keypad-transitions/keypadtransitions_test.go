package keypadtransitions_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	keypadtransitions "github.com/coopgo/coop/examples/keypad-transitions"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// Every transition is reported at the next 20 ms scan, 10 ms after it; the
// bounces in between are never seen.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "keypad-transitions", sim.Config{})
	if err := r.Run(keypadtransitions.App, 10*time.Second); err != nil {
		t.Fatalf("Run(keypadtransitions.App, 10s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1.02s pin went low",
		"1.12s pin went high",
		"3.02s pin went low",
		"5.02s pin went high",
		"7.02s pin went low",
		"7.12s pin went high",
	})
	exampletest.Equal(t, "D3", r.Levels("D3"), []string{
		"0s 1",
		"1.01s 0", "1.010883s 1", "1.014319s 0",
		"1.11s 1", "1.110101s 0", "1.110271s 1", "1.111988s 0", "1.113077s 1", "1.113335s 0", "1.11401s 1",
		"3.01s 0", "3.010916s 1", "3.014429s 0",
		"5.01s 1", "5.011155s 0", "5.012463s 1", "5.013812s 0", "5.01416s 1",
		"7.01s 0", "7.011712s 1", "7.012774s 0",
		"7.11s 1", "7.110246s 0", "7.111528s 1", "7.112236s 0", "7.11242s 1",
	})
}

// Cancelled, the task stops and the keypad frees D3.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "keypad-transitions", sim.Config{})
	// Cancel at 1.05s from a task, and see when the program is done.
	done, doneAt, result := r.CancelAt(t, keypadtransitions.App, 1050*time.Millisecond, 2*time.Second)
	if !done || !errors.Is(result, coop.ErrCancelled) || doneAt != 1050*time.Millisecond {
		t.Fatalf("App cancelled at 1.05s: done %v at %v, returned %v; want done at once, ErrCancelled", done, doneAt, result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"1.02s pin went low"})
	if _, err := r.Board.Input("D3", hw.PullNone); err != nil {
		t.Errorf("D3 after cancel: %v, want it free", err)
	}
}
