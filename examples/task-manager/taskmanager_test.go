package taskmanager_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	taskmanager "github.com/coopgo/coop/examples/task-manager"
	"github.com/coopgo/coop/sim"
)

// blinking returns the trace of the worker's LED blinking from from to
// to: on at from, then toggled every 250 ms, off at to.
func blinking(from, to time.Duration) []string {
	var levels []string
	i := 0
	for at := from; at < to; at += taskmanager.Blink {
		levels = append(levels, fmt.Sprintf("%v %d", at, 1-i%2))
		i++
	}
	if i%2 == 1 {
		levels = append(levels, fmt.Sprintf("%v 0", to))
	}
	return levels
}

// The default scenario: the first click starts worker 1, the second
// cancels it, which cleans up and turns the LED off, the third starts
// worker 2. Each press is seen at the Pushbutton's next 50 ms poll.
func TestApp(t *testing.T) {
	r := exampletest.New(t, "task-manager", sim.Config{})
	if err := r.Run(taskmanager.App, 8*time.Second); err != nil {
		t.Fatalf("Run(taskmanager.App, 8s) = %v, want nil (still running)", err)
	}
	if !r.Scenario.Done() || r.Scenario.Err() != nil {
		t.Errorf("scenario: done %v, err %v; want done, nil", r.Scenario.Done(), r.Scenario.Err())
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"550ms Button pressed: starting worker 1",
		"550ms Worker 1 working...",
		"1.55s Worker 1 working...",
		"2.55s Worker 1 working...",
		"2.95s Button pressed: stopping worker 1",
		"2.95s Worker 1 cancelled, cleaning up...",
		"2.95s Worker 1 stopped",
		"5.05s Button pressed: starting worker 2",
		"5.05s Worker 2 working...",
		"6.05s Worker 2 working...",
		"7.05s Worker 2 working...",
	})
	want := append([]string{"0s 0"}, blinking(550*time.Millisecond, 2950*time.Millisecond)...)
	want = append(want, blinking(5050*time.Millisecond, 8*time.Second)...)
	exampletest.Equal(t, "GP15", r.Levels("GP15"), want)
}

// Two presses in quick succession, 200 ms apart, are two presses: the
// worker starts and stops at once.
func TestApp_quickPresses(t *testing.T) {
	r := exampletest.New(t, "task-manager", sim.Config{})
	r.Scenario.Stop()
	btn := r.Board.Part("btn1").(*sim.Button)
	btn.ClickAt(1020*time.Millisecond, 80*time.Millisecond)
	btn.ClickAt(1220*time.Millisecond, 80*time.Millisecond)
	if err := r.Run(taskmanager.App, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"1.05s Button pressed: starting worker 1",
		"1.05s Worker 1 working...",
		"1.25s Button pressed: stopping worker 1",
		"1.25s Worker 1 cancelled, cleaning up...",
		"1.25s Worker 1 stopped",
	})
	exampletest.Equal(t, "GP15", r.Levels("GP15"), []string{"0s 0", "1.05s 1", "1.25s 0"})
}

// Cancelled with a worker running, the program stops the worker, which
// turns the LED off, and returns ErrCancelled once it has.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "task-manager", sim.Config{})
	var result error
	r.Loop.Spawn("main", func(t *coop.Task) error {
		result = taskmanager.App(t, r.Board)
		return result
	})
	if err := r.Loop.RunFor(1700 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if err := r.Loop.Close(); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(result, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", result)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{
		"550ms Button pressed: starting worker 1",
		"550ms Worker 1 working...",
		"1.55s Worker 1 working...",
		"1.7s Worker 1 cancelled, cleaning up...",
	})
	exampletest.Equal(t, "GP15", r.Levels("GP15"), append([]string{"0s 0"}, blinking(550*time.Millisecond, 1700*time.Millisecond)...))
}
