package forgottenerror_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	forgottenerror "github.com/coopgo/coop/examples/mistake-forgotten-error"
	"github.com/coopgo/coop/sim"
)

// The reader fails at 2 s on the garbled reply; nobody awaits it, so the
// loop's error handler reports it once, as it ends. Main goes on and the
// program's result is main's, nil; no temperature comes after 1 s.
func TestApp(t *testing.T) {
	var reported []string
	r := exampletest.New(t, "mistake-forgotten-error", sim.Config{}, coop.WithErrorHandler(func(task *coop.Task, err error) {
		if !errors.Is(err, strconv.ErrSyntax) {
			t.Errorf("error handler got %v, want a strconv.ErrSyntax", err)
		}
		reported = append(reported, fmt.Sprintf("%v task %q failed: %v", task.Loop().Now(), task.Name(), err))
	}))
	if err := r.Run(forgottenerror.App, time.Minute); err != nil {
		t.Fatalf("Run(App, 1m) = %v, want nil: main's result", err)
	}
	if now := r.Loop.Now(); now != 6*time.Second {
		t.Errorf("App returned at %v, want 6s", now)
	}
	exampletest.Equal(t, "error handler", reported, []string{
		`2s task "reader" failed: reading 3 "--": strconv.Atoi: parsing "--": invalid syntax`,
	})
	exampletest.Equal(t, "console", r.Timed(), []string{
		"0s Temperature: 24 C",
		"1s Temperature: 25 C",
		"2s Main still running, tick 1",
		"4s Main still running, tick 2",
		"6s Main still running, tick 3",
	})
	// The program only prints: it drives no pin.
	exampletest.Equal(t, "pins", r.Pins(), nil)
}
