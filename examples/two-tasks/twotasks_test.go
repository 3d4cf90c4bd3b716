package twotasks_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop/examples/internal/exampletest"
	twotasks "github.com/coopgo/coop/examples/two-tasks"
	"github.com/coopgo/coop/sim"
)

// The seed's example output, line for line, at the board times of the
// sleeps.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "two-tasks", sim.Config{})
	if err := r.Run(twotasks.App, 10*time.Second); err != nil {
		t.Fatalf("Run(twotasks.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task 1: 0",
		"0s Task 2: 0",
		"500ms Task 2: 1",
		"1s Task 1: 1",
		"1s Task 2: 2",
		"1.5s Task 2: 3",
		"2s Task 1: 2",
		"2s Task 2: 4",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
	if now := r.Loop.Now(); now != 3*time.Second {
		t.Errorf("App returned at %v, want 3s (task_one's last sleep)", now)
	}
}
