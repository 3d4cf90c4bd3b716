package blinktwo_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	blinktwo "github.com/coopgo/coop/examples/blink-two"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-two", sim.Config{})
	if err := r.Run(blinktwo.App, 10*time.Second); err != nil {
		t.Fatalf("Run(blinktwo.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"5s done"})
	exampletest.Equal(t, "D1", r.Levels("D1"), blinks(0, 250*time.Millisecond, 10))
	exampletest.Equal(t, "D2", r.Levels("D2"), blinks(0, 100*time.Millisecond, 20))
}

// At the instants both LEDs change, D1 changes first.
func TestApp_order(t *testing.T) {
	r := exampletest.New(t, "blink-two", sim.Config{})
	if err := r.Run(blinktwo.App, 1100*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range r.Trace.Events() {
		if e.Kind == trace.KindPin && e.At%(500*time.Millisecond) == 0 && e.At > 0 {
			got = append(got, fmt.Sprintf("%v %s %d", e.At, e.Source, b2i(e.Level)))
		}
	}
	exampletest.Equal(t, "changes at 0.5 s and 1 s", got, []string{"500ms D1 1", "500ms D2 0", "1s D1 1", "1s D2 1"})
}

// Cancelled, both tasks stop and leave their LEDs off; "done" is not
// printed.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "blink-two", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = blinktwo.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1050 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Lines(), nil)
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{"0s 0", "0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.05s 0"})
	exampletest.Equal(t, "D2", r.Levels("D2"), []string{"0s 0", "0s 1", "100ms 0", "200ms 1", "300ms 0", "400ms 1",
		"500ms 0", "600ms 1", "700ms 0", "800ms 1", "900ms 0", "1s 1", "1.05s 0"})
}

// blinks returns the levels of an LED made an output at 0 s that blinks
// count times from start, on and off for interval each.
func blinks(start, interval time.Duration, count int) []string {
	l := []string{"0s 0"}
	for i := range 2 * count {
		l = append(l, fmt.Sprintf("%v %d", start+time.Duration(i)*interval, 1-i%2))
	}
	return l
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
