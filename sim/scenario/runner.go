package scenario

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
)

// PartFinder finds the parts a scenario names by their diagram ids.
// *wiring.Diagram is one, once applied to the board. A nil PartFinder given
// to [Scenario.Start] finds parts by their names on the board
// ([sim.Board.Part]: the parts soldered on it, such as "LED" and "USR", and
// those attached by hand); its only part with pins by name is [BoardID].
type PartFinder interface {
	// Part returns the simulated part with diagram id id, or nil.
	Part(id string) sim.Part
	// PartPin returns the board pin (its canonical name, "GP15") that pin
	// of the part with diagram id id is wired to: ("led1", "A") → "GP15".
	PartPin(id, pin string) (string, error)
}

// BoardID is the part id of the board itself when [Scenario.Start] is
// given no PartFinder: `expect-pin: {part-id: board, pin: GP15, value: 1}`.
// With a diagram, the board's id is the one the diagram gives it ("pico").
const BoardID = "board"

// boardParts is the PartFinder of a board without a diagram.
type boardParts struct{ b *sim.Board }

func (f boardParts) Part(id string) sim.Part { return f.b.Part(id) }

func (f boardParts) PartPin(id, pin string) (string, error) {
	if id == BoardID {
		return f.b.PinName(pin)
	}
	return "", fmt.Errorf("the pins of part %q are known from a diagram only: leave out pin: to check the pin the part is on", id)
}

// Runner runs a scenario on a board, step after step, in board time. It
// belongs to the board's loop: call its methods from tasks and loop
// callbacks.
//
// A run ends when every step is done, or at the first failed expectation
// (Err returns its *StepError), or when Stop is called. The program on the
// board goes on either way: a task that should end the run with the
// scenario waits for it,
//
//	loop.Spawn("scenario", func(t *coop.Task) error {
//		err := r.Wait(t)
//		loop.Stop()
//		return err
//	})
type Runner struct {
	s       *Scenario
	b       *sim.Board
	runs    []run
	i       int // index of the running step; the number of steps done
	ended   bool
	err     error
	done    coop.Event
	unwatch func()

	timer  *coop.Handle
	onLine func(at time.Duration, line string) bool // true: matched
	onPin  func(at time.Duration, pin string, level bool)

	// The console lines printed at the latest instant, which a serial step
	// starting at that instant still sees; lines up to matched have been
	// matched by a serial step and are not seen again.
	linesAt time.Duration
	lines   []string
	seq     int // number of lines printed
	matched int // lines[i] has number seq-len(lines)+i+1

	// The last lines printed, numbered as lines are, for the message of a
	// serial step that missed a line printed before it started.
	past [pastLines]pastLine
}

// pastLines is how many of the last console lines a runner keeps for
// messages.
const pastLines = 32

// pastLine is a console line as a runner keeps it for messages: its number,
// board time, text, and the index of the step that ran when it came.
type pastLine struct {
	seq  int
	at   time.Duration
	text string
	step int
}

// Start checks the scenario against board b, finding parts with parts (nil
// for the board's own part names), then starts it at the board's time now:
// the steps up to the first one that waits run at once, in the caller
// (call Start before the loop runs, or from a task or loop callback), and
// the rest follow in board time on the board's loop. Started before the
// program, a scenario sees everything the program does from its first
// step; the run may even have ended when Start returns (an expectation
// that failed at once). The error, an [*Error] at the step's line and
// column, names a part that is missing or of the wrong kind
// (ErrUnknownPart, ErrWrongPart): nothing runs then.
//
// Serial steps see the lines the program prints from the moment they
// start, as Wokwi's do, and also those printed earlier at that same board
// instant, since which of two things due at one instant runs first is an
// accident of scheduling; a line one serial step matched is not seen by
// the next.
func (s *Scenario) Start(b *sim.Board, parts PartFinder) (*Runner, error) {
	if parts == nil {
		parts = boardParts{b}
	}
	r := &Runner{s: s, b: b, runs: make([]run, len(s.steps))}
	e := &env{b: b, parts: parts, file: s.file, types: s.types}
	for i, st := range s.steps {
		e.st = st
		fn, err := st.act.bind(e)
		if err != nil {
			return nil, err
		}
		r.runs[i] = fn
	}
	r.unwatch = b.Observe(sim.ObserverFuncs{
		OnConsole: func(at time.Duration, line string) {
			if at != r.linesAt {
				r.linesAt, r.lines = at, r.lines[:0]
			}
			r.lines = append(r.lines, line)
			r.seq++
			r.past[r.seq%pastLines] = pastLine{seq: r.seq, at: at, text: line, step: r.i}
			if r.onLine != nil && r.onLine(at, line) {
				r.matched = r.seq
			}
		},
		OnPin: func(at time.Duration, pin string, level bool) {
			if r.onPin != nil {
				r.onPin(at, pin, level)
			}
		},
	})
	r.advance()
	return r, nil
}

// Done reports whether the run has ended: every step passed, or one failed
// (Err says which), or the runner was stopped.
func (r *Runner) Done() bool { return r.ended }

// Err returns nil while the run goes on or if every step passed, the
// *StepError of the expectation that failed, or ErrStopped.
func (r *Runner) Err() error { return r.err }

// Wait waits, from inside the task self, until the run ends, and returns
// Err. It returns coop.ErrCancelled if self is cancelled first.
func (r *Runner) Wait(self *coop.Task) error {
	if err := r.done.Wait(self); err != nil {
		return err
	}
	return r.err
}

// StepsDone returns how many steps have passed.
func (r *Runner) StepsDone() int { return r.i }

// Current returns the step that runs now (waits, for a delay or a line),
// or false once the run has ended.
func (r *Runner) Current() (Step, bool) {
	if r.ended || r.i >= len(r.s.steps) {
		return Step{}, false
	}
	return r.s.steps[r.i].Step, true
}

// Stop ends the run where it is: the current step is abandoned and Err
// becomes ErrStopped. It returns false if the run had ended already.
func (r *Runner) Stop() bool {
	if r.ended {
		return false
	}
	r.end(ErrStopped)
	return true
}

func (r *Runner) now() time.Duration { return r.b.Loop().Now() }

// recentLine returns the first line printed at board time now, not yet
// matched, that match accepts, and marks it matched.
func (r *Runner) recentLine(match func(string) bool) bool {
	if r.linesAt != r.now() {
		return false
	}
	first := r.seq - len(r.lines) + 1 // number of lines[0]
	for i, line := range r.lines {
		if n := first + i; n > r.matched && match(line) {
			r.matched = n
			return true
		}
	}
	return false
}

// missedLine returns, for the message of a serial step that started at
// board time start when seq lines had been printed, the last of the lines
// kept that match accepts, printed before it started and not matched by an
// earlier step: ` ("LED ON" came at 1s, while step 2 (click btn1) ran: a
// serial step sees the lines from its start on)`. It returns "" if there is
// none.
func (r *Runner) missedLine(match func(string) bool, seq int, start time.Duration) string {
	for n := seq; n > r.matched && n > seq-pastLines; n-- {
		l := r.past[n%pastLines]
		if l.seq != n || !match(l.text) {
			continue
		}
		st := r.s.steps[l.step] // an earlier step than the one that failed
		what := st.Kind
		if st.Target != "" {
			what += " " + st.Target
		}
		return fmt.Sprintf(" (%s came at %v, while step %d (%s) ran, before this step began at %v: a serial step sees the lines from its start on)",
			quote(l.text), l.at, st.Index, what, start)
	}
	return ""
}

// advance runs steps from the current one until one waits or the run ends.
func (r *Runner) advance() {
	for !r.ended {
		if r.i == len(r.runs) {
			r.end(nil)
			return
		}
		if !r.runs[r.i](r) {
			return
		}
		r.i++
	}
}

// next ends the current step and runs the following ones. Steps call it
// from loop callbacks.
func (r *Runner) next() {
	if r.ended {
		return
	}
	r.clear()
	r.i++
	r.advance()
}

// nextAt ends the current step at board time at, after running then.
func (r *Runner) nextAt(at time.Duration, then ...func()) {
	r.timer = r.b.At(at, func() {
		r.timer = nil
		for _, f := range then {
			f()
		}
		r.next()
	})
}

// nextSoon ends the current step from an observer: the step that follows
// runs in a loop callback of its own, at the same board time, never in the
// middle of the program's step or of the simulator's bookkeeping.
func (r *Runner) nextSoon() {
	i := r.i
	r.clear()
	r.b.Loop().CallSoon(func() {
		if !r.ended && r.i == i {
			r.i++
			r.advance()
		}
	})
}

// deadline calls fail at board time at, unless the step is done by then,
// things due at that very instant included: the check runs a nanosecond
// later.
func (r *Runner) deadline(at time.Duration, fail func()) {
	r.timer = r.b.At(at+time.Nanosecond, func() {
		r.timer = nil
		if !r.ended {
			fail()
		}
	})
}

// fail ends the run with a failed expectation of the current step.
func (r *Runner) fail(expected, actual string, at time.Duration) {
	st := r.s.steps[r.i]
	r.end(&StepError{File: r.s.file, Step: st.Index, Line: st.Line, Kind: st.Kind, Target: st.Target,
		Expected: expected, Actual: actual, At: at})
}

// clear forgets what the current step waits for.
func (r *Runner) clear() {
	r.onLine, r.onPin = nil, nil
	if r.timer != nil {
		r.timer.Cancel()
		r.timer = nil
	}
}

func (r *Runner) end(err error) {
	r.clear()
	r.ended, r.err = true, err
	if r.unwatch != nil {
		r.unwatch()
	}
	r.done.Set()
}
