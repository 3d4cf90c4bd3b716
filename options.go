package coop

import (
	"fmt"
	"os"
	"time"
)

// Option configures a [Loop] made by [NewLoop] or [Run].
type Option func(*config)

// DefaultBlockingThreshold is how long one step may hold the loop before
// it is reported, unless [WithBlockingThreshold] says otherwise.
const DefaultBlockingThreshold = 20 * time.Millisecond

// DefaultCancelLimit is how many awaits a cancelled task may make, each
// returning [ErrCancelled], before it is named in a warning and abandoned.
const DefaultCancelLimit = 100

type config struct {
	virtual     bool
	onError     func(*Task, error)
	onWarning   func(Warning)
	onTaskEvent func(TaskEvent)
	blocking    time.Duration // > 0: report steps longer than this
	blockingSet bool
	shuffle     bool
	shuffleSeed uint64
	cancelLimit int
	stepCost    time.Duration
	grace       time.Duration
	spinLimit   int // > 0: warn when the virtual clock stands still this many rounds
}

func newConfig(opts []Option) config {
	c := config{cancelLimit: DefaultCancelLimit, grace: DefaultShutdownGrace, spinLimit: DefaultSpinThreshold}
	for _, o := range opts {
		o(&c)
	}
	if !c.blockingSet && !c.virtual {
		c.blocking = DefaultBlockingThreshold
	}
	if c.onError == nil {
		c.onError = printError
	}
	if c.onWarning == nil {
		c.onWarning = func(w Warning) { fmt.Fprintln(os.Stderr, w) }
	}
	return c
}

// WithVirtualClock runs the loop on a virtual clock: time stands still while
// tasks run and jumps to the next timer when every task waits, so sleeps
// cost no wall time and every run gives the same timings. Time never jumps
// while outside work is in flight ([Offload], [Loop.Hold]).
func WithVirtualClock() Option {
	return func(c *config) { c.virtual = true }
}

// WithErrorHandler sets the function told of a task that failed when
// nobody awaited it (asyncio's "exception was never retrieved"), once per
// task, on the loop, in the round after the task ended (see the package
// doc, Errors). The task is nil for a callback
// scheduled with [Loop.CallSoon] or [Loop.CallLater] that panicked. The
// default prints "task NAME failed: ERR" to standard error, with the stack
// for a panic; a nil h keeps the default.
func WithErrorHandler(h func(t *Task, err error)) Option {
	return func(c *config) { c.onError = h }
}

// WithWarningHandler sets the function told of a [Warning]: a step that
// held the loop too long, a task that ignores cancellation. It runs on the
// loop. The default prints the warning to standard error; a nil h keeps
// the default.
func WithWarningHandler(h func(Warning)) Option {
	return func(c *config) { c.onWarning = h }
}

// WithBlockingThreshold reports, as a [Warning], every step that holds the
// loop for longer than d, naming the task, how long it held the loop and
// where it was at the moment it was detected. d <= 0 turns detection off.
// On the real clock detection is on at [DefaultBlockingThreshold] unless
// this option says otherwise; on the virtual clock it is off unless asked,
// and a step holds the loop only for the board time it spends in
// [Task.Busy].
func WithBlockingThreshold(d time.Duration) Option {
	return func(c *config) {
		c.blocking = max(d, 0)
		c.blockingSet = true
	}
}

// WithShuffle shuffles the order of tasks that become ready at the same
// instant, from seed, to shake out code that depends on an order nobody
// promised. The same seed gives the same order on every run.
func WithShuffle(seed uint64) Option {
	return func(c *config) {
		c.shuffle = true
		c.shuffleSeed = seed
	}
}

// WithTaskEvents calls fn at every change of a task's state (spawned and
// ready, running, sleeping, waiting, done), on the loop, with the loop's
// time. It is the hook for traces, timelines and watchdogs; fn must not
// block. Given several times, every fn is called, in the order given.
func WithTaskEvents(fn func(TaskEvent)) Option {
	if fn == nil {
		panic("coop: WithTaskEvents(nil); pass the function to call at every change of a task's state")
	}
	return func(c *config) {
		if prev := c.onTaskEvent; prev != nil {
			c.onTaskEvent = func(ev TaskEvent) { prev(ev); fn(ev) }
		} else {
			c.onTaskEvent = fn
		}
	}
}

// WithStepCost makes every task step hold the virtual clock for d, a
// nominal processor time per step, so that tasks that only yield (a
// super-loop polling with Sleep(0)) see time pass as they would on a board.
// It has no effect on the real clock. The default is 0: steps take no
// board time unless they call [Task.Busy].
func WithStepCost(d time.Duration) Option {
	return func(c *config) { c.stepCost = max(d, 0) }
}

// DefaultSpinThreshold is how many rounds of ready tasks the virtual clock
// may stand still before the loop warns that tasks spin, unless
// [WithSpinThreshold] says otherwise.
const DefaultSpinThreshold = 100_000

// WithSpinThreshold sets how many rounds of ready tasks (steps, for a
// single task polling with Sleep(0)) the virtual clock may stand still
// before the loop reports, once, a [Warning] of kind [WarnSpinning] naming
// the tasks that kept yielding. Such busy polling freezes the virtual
// clock, since no step costs board time: [WithStepCost] (coop run's
// --step-cost flag) gives every step one. n <= 0 turns detection off.
func WithSpinThreshold(n int) Option {
	return func(c *config) { c.spinLimit = max(n, 0) }
}

// DefaultShutdownGrace is how long, in loop time, [Loop.Close] lets the
// cancelled tasks clean up, unless [WithShutdownGrace] says otherwise.
const DefaultShutdownGrace = 5 * time.Second

// WithShutdownGrace sets how long, in loop time, [Loop.Close] (and so
// [Run], once main has returned) lets cancelled tasks clean up. A task still
// alive after that, such as one whose shielded cleanup waits on something
// that never comes, is named in a warning and abandoned: its stack unwinds
// and its defers run, so shutting down never hangs. While an [Offload]
// function (or other held work, [Loop.Hold]) keeps the virtual clock from
// moving, the grace is counted in wall time instead; a task abandoned in an
// Offload whose function ignores its context is named as such, and the
// function is left running on its goroutine. d <= 0 means
// [DefaultShutdownGrace].
func WithShutdownGrace(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = DefaultShutdownGrace
		}
		c.grace = d
	}
}

// WithCancelLimit sets how many awaits a cancelled task may make, each
// returning [ErrCancelled], before it is named in a warning and abandoned
// (its stack unwinds and its defers run). n < 1 means [DefaultCancelLimit].
func WithCancelLimit(n int) Option {
	return func(c *config) {
		if n < 1 {
			n = DefaultCancelLimit
		}
		c.cancelLimit = n
	}
}

func printError(t *Task, err error) {
	who := "callback"
	if t != nil {
		who = fmt.Sprintf("task %s", t.name)
	}
	fmt.Fprintf(os.Stderr, "%s failed: %v\n", who, err)
	if p, ok := err.(*PanicError); ok {
		os.Stderr.Write(p.Stack)
	}
}
