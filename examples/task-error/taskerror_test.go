package taskerror_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	taskerror "github.com/coopgo/coop/examples/task-error"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// The seed's example output, at 1 s; the failure was awaited, so the
// error handler hears nothing of it.
func TestApp(t *testing.T) {
	var unawaited []string
	r := exampletest.New(t, "task-error", sim.Config{}, coop.WithErrorHandler(func(t *coop.Task, err error) {
		unawaited = append(unawaited, fmt.Sprintf("%s: %v", t.Name(), err))
	}))
	if err := r.Run(taskerror.App, 10*time.Second); err != nil {
		t.Fatalf("Run(taskerror.App, 10s) = %v, want nil", err)
	}
	exampletest.Equal(t, "console", r.Timed(), []string{"1s Task error: Something went wrong"})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
	exampletest.Equal(t, "error handler", unawaited, nil)
}

// The same task, not awaited: its failure goes to the loop's error handler
// when it ends, once, and main goes on.
func TestApp_unawaited(t *testing.T) {
	var unawaited []string
	r := exampletest.New(t, "task-error", sim.Config{}, coop.WithErrorHandler(func(task *coop.Task, err error) {
		var ve taskerror.ValueError
		if !errors.As(err, &ve) {
			t.Errorf("error handler got %v (%T), want a ValueError", err, err)
		}
		unawaited = append(unawaited, fmt.Sprintf("%v task %q failed: %v", task.Loop().Now(), task.Name(), err))
	}))
	err := r.Run(func(t *coop.Task, b hw.Board) error {
		t.Spawn("faulty_task", taskerror.FaultyTask)
		if err := t.Sleep(2 * time.Second); err != nil {
			return err
		}
		b.Console().Println("Main finished")
		return nil
	}, 10*time.Second)
	if err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	exampletest.Equal(t, "error handler", unawaited, []string{`1s task "faulty_task" failed: Something went wrong`})
	exampletest.Equal(t, "console", r.Timed(), []string{"2s Main finished"})
}

// Cancelled while it waits, main passes its cancellation on and prints
// nothing.
func TestApp_cancel(t *testing.T) {
	r := exampletest.New(t, "task-error", sim.Config{})
	main := r.Loop.Spawn("main", func(t *coop.Task) error { return taskerror.App(t, r.Board) })
	if err := r.Loop.RunFor(500 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	main.Cancel()
	if err := r.Loop.RunUntilComplete(main); !errors.Is(err, coop.ErrCancelled) {
		t.Errorf("App cancelled returned %v, want ErrCancelled", err)
	}
	exampletest.Equal(t, "console", r.Timed(), nil)
}
