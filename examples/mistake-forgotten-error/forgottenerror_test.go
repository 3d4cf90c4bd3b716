package forgottenerror_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/examples/internal/exampletest"
	forgottenerror "github.com/coopgo/coop/examples/mistake-forgotten-error"
	"github.com/coopgo/coop/sim"
)

// run runs the program with the loop's cancel limit (0: the default) and
// returns its warnings.
func run(t *testing.T, limit int) (*exampletest.Rig, []string) {
	t.Helper()
	var warnings []string
	r := exampletest.New(t, "mistake-forgotten-error", sim.Config{},
		coop.WithCancelLimit(limit),
		coop.WithWarningHandler(func(w coop.Warning) {
			if w.Kind != coop.WarnIgnoredCancel {
				t.Errorf("warning %v: want a WarnIgnoredCancel", w)
			}
			warnings = append(warnings, fmt.Sprintf("%v task %q ignored %d cancelled awaits", w.At, w.Task, w.Count))
		}))
	if err := r.Run(forgottenerror.App, 10*time.Second); err != nil {
		t.Fatalf("Run(forgottenerror.App, 10s) = %v, want nil", err)
	}
	if now := r.Loop.Now(); now != 3*time.Second {
		t.Errorf("App returned at %v, want 3s: the spin takes no board time", now)
	}
	return r, warnings
}

// want returns the console of a run whose worker spins n times.
func want(n int) []string {
	lines := []string{"0s Working...", "1s Working...", "2s Working..."}
	lines = append(lines, slices.Repeat([]string{"3s Working..."}, n)...)
	return append(lines,
		"3s Task cancellation confirmed",
		`3s Worker result: task "worker" abandoned after ignoring cancellation: coop: task cancelled`,
		fmt.Sprintf("3s After the cancel the worker looped %d more times in 0s and never cleaned up", n),
	)
}

// Cancelled at 3 s, the worker spins through DefaultCancelLimit ignored
// awaits in no time, and is abandoned with a warning that names it.
func TestApp(t *testing.T) {
	r, warnings := run(t, 0)
	exampletest.Equal(t, "console", r.Timed(), want(coop.DefaultCancelLimit))
	exampletest.Equal(t, "warnings", warnings, []string{`3s task "worker" ignored 100 cancelled awaits`})
	for _, line := range r.Lines() {
		if strings.Contains(line, "cleaning up") {
			t.Errorf("console has %q: the worker never sees its cancellation", line)
		}
	}
}

// The spin lasts as many awaits as the loop's cancel limit allows.
func TestApp_cancelLimit(t *testing.T) {
	r, warnings := run(t, 3)
	exampletest.Equal(t, "console", r.Timed(), want(3))
	exampletest.Equal(t, "warnings", warnings, []string{`3s task "worker" ignored 3 cancelled awaits`})
}
