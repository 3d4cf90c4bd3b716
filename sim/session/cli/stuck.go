package cli

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopgo/coop"
)

// stuckAfter is how long, on the wall clock, a task's step may run before
// the run says that it holds the loop. A step that never awaits (a
// `for !button.Get() {}`) stops everything, virtual time included: no
// other task runs, --for cannot end the run and the first Ctrl-C cannot
// stop it. The loop's blocking warning names such a step only once it
// ends, which it may never do. Three seconds leave alone the examples'
// deliberate blocks (a stuck sensor read of 2 s) in real time.
const stuckAfter = 3 * time.Second

// stepWatch tells, from outside the loop, a task step that has run too
// long while it still runs. It learns which step runs from the session
// ([session.Session.Running]: two atomic stores a step on the loop's
// side), and hands the loop a heartbeat, which the loop answers at its
// next round: a step seen running since before an unanswered heartbeat,
// for the threshold, is stuck. A task steps once in a round, so a task
// seen running when the heartbeat went out and again now, with the
// heartbeat unanswered, is in the same step.
type stepWatch struct {
	running func() *coop.Task // the task whose step runs, or nil
	post    func(func())      // runs a function on the loop, at its next round
	answer  atomic.Uint64     // the last heartbeat the loop answered

	sent   uint64     // the last heartbeat handed to the loop
	sentAt time.Time  // when it was handed, or when task was first seen in it
	task   *coop.Task // the task running then, or nil
	told   bool       // task's step was reported
}

// check is a tick of the watching goroutine at wall time now: it hands
// the loop a new heartbeat once the last one is answered, and returns the
// task whose step has held the loop for after or longer, and for how
// long, once per step; ok is false if none has.
func (w *stepWatch) check(now time.Time, after time.Duration) (name string, held time.Duration, ok bool) {
	if w.answer.Load() == w.sent {
		w.sent++
		w.sentAt, w.task, w.told = now, w.running(), false
		n := w.sent
		w.post(func() { w.answer.Store(n) })
		return "", 0, false
	}
	switch t := w.running(); {
	case t == nil:
		w.task = nil // between steps: the loop is paused or waits
	case t != w.task:
		// Another step began since the heartbeat went out (the loop
		// was idle, or it began before the loop drained the
		// heartbeat): time it from now.
		w.sentAt, w.task, w.told = now, t, false
	case !w.told && now.Sub(w.sentAt) >= after:
		w.told = true
		return t.Name(), now.Sub(w.sentAt), true
	}
	return "", 0, false
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
	w := &stepWatch{running: r.s.Running, post: r.s.Loop().CallSoon}
	wg.Go(func() {
		tk := time.NewTicker(after / 4)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
				if name, held, ok := w.check(r.scr.now(), after); ok {
					r.scr.errorNow("%s", stuckText(r.prog.Name, name, held))
				}
			case <-quit:
				return
			}
		}
	})
}
