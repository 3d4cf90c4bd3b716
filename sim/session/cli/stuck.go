package cli

import (
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim/session"
)

// stuckAfter is how long, on the wall clock, a task's step may run before
// the run says that it holds the loop. A step that never awaits (a
// `for !button.Get() {}`) stops everything, virtual time included: no
// other task runs, --for cannot end the run and the first Ctrl-C cannot
// stop it. The loop's blocking warning names such a step only once it
// ends, which it may never do. Three seconds leave alone the examples'
// deliberate blocks (a stuck sensor read of 2 s) in real time.
const stuckAfter = 3 * time.Second

// stepWatch follows, from the loop's task events, which task's step runs
// and since when, so that a goroutine outside the loop can tell a step
// that has run too long while it still runs.
type stepWatch struct {
	now func() time.Time // the wall clock

	mu    sync.Mutex
	task  *coop.Task // the task whose step runs, or nil
	name  string     // its name
	since time.Time  // when its step began
	told  bool       // the step was reported
}

// event notes a task event; call it on the loop. A task starts a step
// when it becomes StateRunning, and ends it with its next event (it
// yields, sleeps, waits or ends).
func (w *stepWatch) event(ev coop.TaskEvent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case ev.State == coop.StateRunning:
		w.task, w.name, w.since, w.told = ev.Task, ev.Task.Name(), w.now(), false
	case ev.Task == w.task:
		w.task = nil
	}
}

// stuck returns the task whose step has run for after or longer and for
// how long, once per step; ok is false if no step has.
func (w *stepWatch) stuck(after time.Duration) (name string, held time.Duration, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.task == nil || w.told {
		return "", 0, false
	}
	held = w.now().Sub(w.since)
	if held < after {
		return "", 0, false
	}
	w.told = true
	return w.name, held, true
}

// stuckText is what the run prints of a step that has held the loop for
// held and still runs.
func stuckText(program, task string, held time.Duration) string {
	return program + `: task "` + task + `" has run ` + held.Round(100*time.Millisecond).String() +
		" without awaiting, and nothing else runs until it does: a loop that never calls t.Sleep or another await? (Ctrl-C twice kills coop)"
}

// watchSteps starts a goroutine that prints stuckText for each step that
// runs past after, until quit is closed; wg waits for it.
func (r *runner) watchSteps(after time.Duration, quit <-chan struct{}, wg *sync.WaitGroup) {
	w := &stepWatch{now: r.scr.now}
	r.s.Observe(session.Observer{Task: w.event})
	wg.Go(func() {
		tk := time.NewTicker(after / 4)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
				if name, held, ok := w.stuck(after); ok {
					r.scr.errorNow("%s", stuckText(r.prog.Name, name, held))
				}
			case <-quit:
				return
			}
		}
	})
}
