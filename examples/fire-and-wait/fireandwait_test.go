package fireandwait_test

import (
	"testing"
	"time"

	fireandwait "github.com/coopgo/coop/examples/fire-and-wait"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The job and main's other work overlap: all done at 2 s.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "fire-and-wait", sim.Config{})
	if err := r.Run(fireandwait.App, 10*time.Second); err != nil {
		t.Fatalf("Run(fireandwait.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Doing other work...",
		"1s Waiting for job...",
		"2s Background job done",
		"2s All done",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
	if now := r.Loop.Now(); now != 2*time.Second {
		t.Errorf("App returned at %v, want 2s", now)
	}
}
