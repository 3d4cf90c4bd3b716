package blinkstatus_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	blinkstatus "github.com/coopgo/coop/examples/blink-status"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The course's code: LED ON and LED OFF every 0.5 s, a tick every second;
// at each whole second the tick comes first (see the package's "Order").
func TestApp(t *testing.T) {
	r := exampletest.New(t, "blink-status", sim.Config{})
	if err := r.Run(blinkstatus.App, 3*time.Second); err != nil {
		t.Fatalf("Run(blinkstatus.App, 3s) = %v, want nil (still running)", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s LED ON",
		"0s System running... tick = 0",
		"500ms LED OFF",
		"1s System running... tick = 1",
		"1s LED ON",
		"1.5s LED OFF",
		"2s System running... tick = 2",
		"2s LED ON",
		"2.5s LED OFF",
		"3s System running... tick = 3",
		"3s LED ON",
	})
	blinking := []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.5s 0", "2s 1", "2.5s 0", "3s 1"}
	exampletest.Equal(t, "LED", r.Levels("LED"), blinking)
	exampletest.Equal(t, "GP15", r.Levels("GP15"), blinking)
}

// The zero Config is the course's code; a Config with the course's
// timings gives the same run.
func TestConfig_defaults(t *testing.T) {
	a := exampletest.New(t, "blink-status", sim.Config{})
	b := exampletest.New(t, "blink-status", sim.Config{})
	if err := a.Run(blinkstatus.App, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	c := blinkstatus.Config{Blink: blinkstatus.DefaultBlink, Status: blinkstatus.DefaultStatus}
	if err := b.Run(c.App, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", b.Timed(), a.Timed())
}

// Cancelled while the LEDs are lit, the program turns them off.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "blink-status", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = blinkstatus.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1200 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	want := []string{"0s 0", "0s 1", "500ms 0", "1s 1", "1.2s 0"}
	exampletest.Equal(t, "LED", r.Levels("LED"), want)
	exampletest.Equal(t, "GP15", r.Levels("GP15"), want)
}
