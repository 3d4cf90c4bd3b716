package blink_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/blink"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink", sim.Config{})
	if err := r.Run(blink.App, 3*time.Second); err != nil {
		t.Fatalf("Run(blink.App, 3s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s LED ON",
		"0s Uptime: 0 s",
		"500ms LED OFF",
		"1s Uptime: 1 s",
		"1s LED ON",
		"1.5s LED OFF",
		"2s Uptime: 2 s",
		"2s LED ON",
		"2.5s LED OFF",
		"3s Uptime: 3 s",
		"3s LED ON",
	})
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{
		"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.5s 0", "3s 1",
	})
	exampletest.Equal(t, "GP15", r.Levels("GP15"), []string{
		"0s 0", "500ms 1", "1s 0", "1.5s 1", "2s 0", "2.5s 1", "3s 0",
	})
}

// The LED of the default wiring lights while GP15 is high.
func TestApp_wiring(t *testing.T) {
	r := exampletest.New(t, "blink", sim.Config{})
	led1, ok := r.Board.Part("led1").(*sim.LED)
	if !ok || led1.Pin() != "GP15" || led1.Color() != "red" {
		t.Fatalf("the wiring's led1 is %#v, want a red *sim.LED on GP15", r.Board.Part("led1"))
	}
	r.Loop.Spawn("main", func(t *coop.Task) error { return blink.App(t, r.Board) })
	for _, tt := range []struct {
		at time.Duration
		on bool
	}{{250 * time.Millisecond, false}, {750 * time.Millisecond, true}, {1250 * time.Millisecond, false}} {
		if err := r.Loop.RunFor(tt.at - r.Loop.Now()); err != nil {
			t.Fatal(err)
		}
		if led1.On() != tt.on {
			t.Errorf("at %v led1.On() = %v, want %v", tt.at, led1.On(), tt.on)
		}
	}
}

// Cancelled, the program turns both LEDs off as it cleans up.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "blink", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = blink.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(2500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "LED", r.Levels("LED"), []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.5s 0"})
	exampletest.Equal(t, "GP15", r.Levels("GP15"), []string{"0s 0", "500ms 1", "1s 0", "1.5s 1", "2s 0", "2.5s 1", "2.5s 0"})
}
