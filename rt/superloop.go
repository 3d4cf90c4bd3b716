package rt

import (
	"time"

	"github.com/coopgo/coop"
)

// SuperLoop is round-robin scheduling, the background loop of the book's
// first railroad: it calls each function of Funcs in turn, forever, then
// waits Delay (pyb.delay) and starts over. Each function does a bit of work
// and returns; none may block or wait for an event, since the others only
// run when it returns.
//
// Work takes time only when the function says so: it calls [coop.Task.Busy]
// on the task it is given for the time its work would take on the board (on
// the virtual clock that is the only way a pass takes time, so loop times
// come out exact). Adding a function, or work to one, lengthens every pass:
// that is the drawback the book warns about, and [SuperLoop.Stats] shows it.
//
// The loop runs as one task. Interrupts (timer callbacks, pin handlers) run
// between its steps, which in the simulator means during Delay: a long pass
// delays them, as a long critical section would on a board.
type SuperLoop struct {
	// Funcs are the loop's tasks, called in order once per pass. A
	// function that returns an error stops the loop with that error.
	Funcs []func(t *coop.Task) error
	// Delay is how long the loop sleeps after each pass; zero just yields
	// to the other tasks of the loop, if any, between passes.
	Delay time.Duration

	passes int64
	pass   sampler
	period sampler
	funcs  []sampler
}

// LoopStats is a snapshot of a SuperLoop's timing.
type LoopStats struct {
	Passes int64
	// Pass is the time one pass over Funcs takes (the loop time), Delay
	// excluded.
	Pass Dist
	// Period is from the start of one pass to the start of the next,
	// Delay included: the rate each function actually runs at.
	Period Dist
	// Funcs is the time each function takes, in the order of Funcs.
	Funcs []Dist
}

// Run runs the loop inside task t until t is cancelled (it then returns
// [coop.ErrCancelled]) or a function fails. Run it as a task's body:
// t.Spawn("superloop", sl.Run).
func (s *SuperLoop) Run(t *coop.Task) error {
	s.funcs = make([]sampler, len(s.Funcs))
	prev := time.Duration(-1)
	for {
		start := t.Now()
		if prev >= 0 {
			s.period.add(start - prev)
		}
		prev = start
		at := start
		for i, fn := range s.Funcs {
			if err := fn(t); err != nil {
				return err
			}
			now := t.Now()
			s.funcs[i].add(now - at)
			at = now
		}
		s.passes++
		s.pass.add(at - start)
		if err := t.Sleep(s.Delay); err != nil {
			return err
		}
	}
}

// Stats returns the loop's timing so far. Call it on the loop.
func (s *SuperLoop) Stats() LoopStats {
	st := LoopStats{Passes: s.passes, Pass: s.pass.dist(), Period: s.period.dist()}
	for i := range s.funcs {
		st.Funcs = append(st.Funcs, s.funcs[i].dist())
	}
	return st
}
