package intervalbuttonstwo_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	intervalbuttonstwo "github.com/coopgo/coop/examples/interval-buttons-two"
	"github.com/coopgo/coop/sim"
)

// The default scenario: LED 1's "faster" at 1–3 s, LED 2's "slower" at 4 s
// and "faster" at 6–8 s. Each LED follows its own interval only. A press
// seen at the instant its LED changes reaches that LED one sleep later (at
// 4 s and 8 s LED 2 changed first: its timer was scheduled before the
// scan's).
func TestApp(t *testing.T) {
	r := exampletest.New(t, "interval-buttons-two", sim.Config{})
	if err := r.Run(intervalbuttonstwo.App, 10*time.Second); err != nil {
		t.Fatalf("Run(intervalbuttonstwo.App, 10s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1s interval is now 0.4",
		"2s interval is now 0.3",
		"3s interval is now 0.2",
		"4s interval is now 1.1",
		"6s interval is now 1.0",
		"7s interval is now 0.9",
		"8s interval is now 0.8",
	})
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1",
		"1.5s 0", "1.9s 1", "2.3s 0", // 0.4
		"2.6s 1", "2.9s 0", "3.2s 1", // 0.3
		"3.4s 0", "3.6s 1", "3.8s 0", "4s 1", "4.2s 0", "4.4s 1", "4.6s 0", "4.8s 1", "5s 0", // 0.2
		"5.2s 1", "5.4s 0", "5.6s 1", "5.8s 0", "6s 1", "6.2s 0", "6.4s 1", "6.6s 0", "6.8s 1", "7s 0",
		"7.2s 1", "7.4s 0", "7.6s 1", "7.8s 0", "8s 1", "8.2s 0", "8.4s 1", "8.6s 0", "8.8s 1", "9s 0",
		"9.2s 1", "9.4s 0", "9.6s 1", "9.8s 0", "10s 1",
	})
	exampletest.Equal(t, "D2", r.Levels("D2"), []string{
		"0s 0", "0s 1", "1s 0", "2s 1", "3s 0", "4s 1", "5s 0",
		"6.1s 1", // 1.1
		"7.1s 0", // 1.0
		"8s 1",   // 0.9
		"8.9s 0", // 0.9, taken at 8 s before the press was seen
		"9.7s 1", // 0.8
	})
}

// Cancelled, all four tasks stop and both LEDs go off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "interval-buttons-two", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = intervalbuttonstwo.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.2s 0"})
	exampletest.Equal(t, "D2", r.Levels("D2"), []string{"0s 0", "0s 1", "1s 0"})
}
