package forever_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/forever"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// Main returns at 5 s; the blinker has printed ten lines by then. Its
// wake-up due at 5 s was scheduled after main's, so it never runs: the
// loop returns right after main's step, as MicroPython's asyncio.run does.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "forever", sim.Config{})
	if err := r.Run(forever.App, 10*time.Second); err != nil {
		t.Fatalf("Run(forever.App, 10s) = %v, want nil", err)
	}
	if now := r.Loop.Now(); now != 5*time.Second {
		t.Errorf("App returned at %v, want 5s", now)
	}
	// The loop cancels the blinker, as asyncio.run and coop run do.
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	want, leds := []string{}, []string{"0s 0"}
	for i := range 5 {
		on, off := time.Duration(i)*time.Second, time.Duration(i)*time.Second+forever.Half
		want = append(want, on.String()+" LED ON", off.String()+" LED OFF")
		leds = append(leds, on.String()+" 1", off.String()+" 0")
	}
	// At 5 s blink is cancelled in its sleep after "LED OFF": its cleanup
	// turns off an LED that is off already.
	exampletest.Equal(t, "console", r.Timed(), want)
	exampletest.Equal(t, "LED", r.Levels("LED"), leds)
}

// Cancelled while the LED is on, the program turns it off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "forever", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return forever.App(t, r.Board) })
	if err := r.Loop.RunFor(1200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	main.Cancel()
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"0s LED ON", "500ms LED OFF", "1s LED ON"})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.2s 0"})
}
