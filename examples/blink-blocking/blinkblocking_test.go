package blinkblocking_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
	blinkblocking "github.com/coopgo/coop/examples/blink-blocking"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// With nothing else to run, blocking sleeps give blink-one's timings.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-blocking", sim.Config{})
	if err := r.Run(blinkblocking.App, 10*time.Second); err != nil {
		t.Fatalf("Run(blinkblocking.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"5s done"})
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0",
		"0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.25s 0", "1.5s 1", "1.75s 0", "2s 1", "2.25s 0",
		"2.5s 1", "2.75s 0", "3s 1", "3.25s 0", "3.5s 1", "3.75s 0", "4s 1", "4.25s 0", "4.5s 1", "4.75s 0",
	})
}

// The program holds the loop for all of its 5 s: a task spawned beside it
// runs only when it is done.
func TestApp_blocks(t *testing.T) {
	r := exampletest.New(t, "blink-blocking", sim.Config{})
	var ranAt time.Duration = -1
	r.Loop.Spawn("main", func(t *coop.Task) error { return blinkblocking.App(t, r.Board) })
	r.Loop.Spawn("other", func(t *coop.Task) error { ranAt = t.Now(); return nil })
	if err := r.Loop.RunFor(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if ranAt != 5*time.Second {
		t.Errorf("the other task first ran at %v, want 5s", ranAt)
	}
}
