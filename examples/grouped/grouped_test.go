package grouped_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/grouped"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// A every second, B every 0.7 s; at 7 s, A first.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "grouped", sim.Config{})
	if err := r.Run(grouped.App, 7*time.Second); err != nil {
		t.Fatalf("Run(grouped.App, 7s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s A", "0s B",
		"700ms B",
		"1s A",
		"1.4s B",
		"2s A",
		"2.1s B",
		"2.8s B",
		"3s A",
		"3.5s B",
		"4s A",
		"4.2s B",
		"4.9s B",
		"5s A",
		"5.6s B",
		"6s A",
		"6.3s B",
		"7s A", "7s B",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
}

// Cancelling main cancels both tasks of the group.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "grouped", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return grouped.App(t, r.Board) })
	if err := r.Loop.RunFor(1500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	main.Cancel()
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	var live []coop.TaskInfo
	r.Loop.CallSoon(func() { live = r.Loop.Tasks() })
	if err := r.Loop.RunFor(0); err != nil {
		t.Fatal(err)
	}
	for _, ti := range live {
		t.Errorf("after main was cancelled, task %s is still %v", ti.Name, ti.State)
	}
	if now := r.Loop.Now(); now != 1500*time.Millisecond {
		t.Errorf("cancelled at 1.5s, main returned at %v", now)
	}
}
