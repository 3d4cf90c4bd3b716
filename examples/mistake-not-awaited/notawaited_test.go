package notawaited_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	notawaited "github.com/coopgo/coop/examples/mistake-not-awaited"
	"github.com/coopgo/coop/sim"
)

// The save starts once main sleeps and writes two blocks; main returns at
// 75 ms and the save is cancelled before its third block. Nothing is
// reported: a task cancelled at the end has not failed.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "mistake-not-awaited", sim.Config{}, coop.WithErrorHandler(func(task *coop.Task, err error) {
		t.Errorf("error handler: task %q failed: %v; want no report", task.Name(), err)
	}))
	if err := r.Run(notawaited.App, time.Minute); err != nil {
		t.Fatalf("Run(App, 1m) = %v, want nil", err)
	}
	if now := r.Loop.Now(); now != 75*time.Millisecond {
		t.Errorf("App returned at %v, want 75ms", now)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Main: saving the settings",
		"0s Writing block 1 of 3",
		"50ms Writing block 2 of 3",
		"75ms Main: done",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
}
