package losttask_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop/examples/internal/exampletest"
	losttask "github.com/coopgo/coop/examples/mistake-lost-task"
	"github.com/coopgo/coop/sim"
)

// Main turns the LED off at 2.25 s, but the dropped blinker turns it on
// again at 2.5 s; main lists it as still running, and it blinks until main
// returns at 3.25 s.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "mistake-lost-task", sim.Config{})
	if err := r.Run(losttask.App, time.Minute); err != nil {
		t.Fatalf("Run(App, 1m) = %v, want nil", err)
	}
	if now := r.Loop.Now(); now != 3250*time.Millisecond {
		t.Errorf("App returned at %v, want 3.25s", now)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"2.25s Stopping the blink: LED off",
		`2.25s Still running: task "blink", sleeping until 2.5s`,
		"3.25s Main finished",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.25s 0", "2.5s 1", "3s 0",
	})
}
