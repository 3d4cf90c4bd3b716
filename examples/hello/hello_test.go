package hello_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/hello"
	"github.com/coopgo/coop/examples/internal/exampletest"
	"github.com/coopgo/coop/sim"
)

// The seed's example output, at the board times the sleeps give it.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "hello", sim.Config{})
	if err := r.Run(hello.App, 5*time.Second); err != nil {
		t.Fatalf("Run(hello.App, 5s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Task created",
		"0s Task started",
		"1s Task finished",
		"1s Main finished",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
	if now := r.Loop.Now(); now != time.Second {
		t.Errorf("App returned at %v, want 1s", now)
	}
}

// Cancelled while it awaits, main cancels the task it awaits too.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "hello", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = hello.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"0s Task created", "0s Task started"})
}
