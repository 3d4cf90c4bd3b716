package blockingsleep_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	blockingsleep "github.com/coopgo/coop/examples/mistake-blocking-sleep"
	"github.com/coopgo/coop/sim"
)

// The blinker is late whenever read_sensor blocks, says so and names the
// culprit; the loop's own detector, turned on, names it too.
func TestApp(t *testing.T) {
	var warnings []string
	r := exampletest.New(t, "mistake-blocking-sleep", sim.Config{},
		coop.WithBlockingThreshold(coop.DefaultBlockingThreshold),
		coop.WithWarningHandler(func(w coop.Warning) {
			if w.Kind != coop.WarnBlocking || w.Stack == "" {
				t.Errorf("warning %v: want a WarnBlocking with the blocker's stack", w)
			}
			warnings = append(warnings, fmt.Sprintf("%v task %q held the loop for %v (threshold %v)",
				w.At, w.Task, w.Held, w.Threshold))
		}))
	if err := r.Run(blockingsleep.App, 5*time.Second); err != nil {
		t.Fatalf("Run(blockingsleep.App, 5s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s LED ON",
		"0s Reading sensor...",
		"1s Sensor read",
		`1s blink ran 500ms late: task "read_sensor" held the loop for 1s`,
		"1s LED OFF",
		"1.5s LED ON",
		"2s Reading sensor...",
		"3s Sensor read",
		`3s blink ran 1s late: task "read_sensor" held the loop for 1s`,
		"3s LED OFF",
		"3.5s LED ON",
		"4s Reading sensor...",
		"5s Sensor read",
		`5s blink ran 1s late: task "read_sensor" held the loop for 1s`,
		"5s LED OFF",
	})
	// Due off at 0.5 s, 2.5 s and 4.5 s, the LED goes off a blocking
	// sleep later.
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "0s 1", "1s 0", "1.5s 1", "3s 0", "3.5s 1", "5s 0",
	})
	exampletest.Equal(t, "warnings", warnings, []string{
		`1s task "read_sensor" held the loop for 1s (threshold 20ms)`,
		`3s task "read_sensor" held the loop for 1s (threshold 20ms)`,
		`5s task "read_sensor" held the loop for 1s (threshold 20ms)`,
	})
}

// Cancelled, the program stops both tasks and turns the LED off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "mistake-blocking-sleep", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return blockingsleep.App(t, r.Board) })
	if err := r.Loop.RunFor(1700 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	main.Cancel()
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	if now := r.Loop.Now(); now != 1700*time.Millisecond {
		t.Errorf("cancelled at 1.7s, App returned at %v", now)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "0s 1", "1s 0", "1.5s 1", "1.7s 0"})
}
