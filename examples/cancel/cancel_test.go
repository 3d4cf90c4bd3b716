package cancel_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/cancel"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The seed's example output: three "Working..." lines, then the cleanup
// and the confirmation, all of it at 3 s.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "cancel", sim.Config{})
	if err := r.Run(cancel.App, 10*time.Second); err != nil {
		t.Fatalf("Run(cancel.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Working...",
		"1s Working...",
		"2s Working...",
		"3s Worker cancelled, cleaning up...",
		"3s Task cancellation confirmed",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
	if now := r.Loop.Now(); now != 3*time.Second {
		t.Errorf("App returned at %v, want 3s", now)
	}
}

// Cancelled itself while it waits for the cancelled worker, main passes
// its own cancellation on instead of confirming the worker's.
func TestApp_cancelMain(t *testing.T) {
	r := exampletest.New(t, "cancel", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return cancel.App(t, r.Board) })
	if err := r.Loop.RunFor(0); err != nil {
		t.Fatal(err)
	}
	// Scheduled after main's sleep: at 3 s it runs just after main has
	// cancelled the worker and started waiting for it.
	r.Loop.CallAt(3*time.Second, func() { main.Cancel() })
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Working...",
		"1s Working...",
		"2s Working...",
		"3s Worker cancelled, cleaning up...",
	})
}

// Cancelled before the three seconds are up, main returns at once; the
// loop then cancels the worker, which cleans up.
func TestApp_cancelEarly(t *testing.T) {
	r := exampletest.New(t, "cancel", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return cancel.App(t, r.Board) })
	if err := r.Loop.RunFor(1500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	main.Cancel()
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Working...",
		"1s Working...",
		"1.5s Worker cancelled, cleaning up...",
	})
}
