package blinkone_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	blinkone "github.com/coopgo/coop/examples/blink-one"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-one", sim.Config{})
	if err := r.Run(blinkone.App, 10*time.Second); err != nil {
		t.Fatalf("Run(blinkone.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"5s done"})
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{
		"0s 0",
		"0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.25s 0", "1.5s 1", "1.75s 0", "2s 1", "2.25s 0",
		"2.5s 1", "2.75s 0", "3s 1", "3.25s 0", "3.5s 1", "3.75s 0", "4s 1", "4.25s 0", "4.5s 1", "4.75s 0",
	})
}

// The wiring's LED is on D1 and lights while D1 is high.
func TestApp_wiring(t *testing.T) {
	r := exampletest.New(t, "blink-one", sim.Config{})
	led1, ok := r.Board.Part("led1").(*sim.LED)
	if !ok || led1.Pin() != "D1" {
		t.Fatalf("the wiring's led1 is %#v, want a *sim.LED on D1", r.Board.Part("led1"))
	}
	r.Loop.Spawn("main", func(t *coop.Task) error { return blinkone.App(t, r.Board) })
	if err := r.Loop.RunFor(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if !led1.On() {
		t.Error("at 100ms led1 is off, want on")
	}
}

// Cancelled in the middle of a blink, the program turns the LED off and
// does not print "done".
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "blink-one", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = blinkone.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Lines(), nil)
	exampletest.Equal(t, "D1", r.Levels("D1"), []string{"0s 0", "0s 1", "250ms 0", "500ms 1", "750ms 0", "1s 1", "1.1s 0"})
}
