package rt

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/internal/watchdog"
)

// DefaultWatchdogTimeout is the timeout of a Watchdog whose Timeout is
// zero: machine.WDT's default.
const DefaultWatchdogTimeout = 5 * time.Second

// Watchdog is a software watchdog (machine.WDT): a task feeds it with
// [Watchdog.Feed]; if no feed comes for Timeout, it fires OnReset once,
// with the reason and the task that held the loop longest since the last
// feed, then stops. Restarting the board is the hook's job.
//
// The zero value, with Timeout and OnReset set as wanted, is ready to
// Start. Use it on its loop.
//
// A hardware watchdog resets the board the instant it expires, even in the
// middle of a blocking call. A software one is a loop callback, and a step
// that holds the loop delays it: the watchdog then fires when the step
// ends, and [Reset].Deadline says when a hardware watchdog would have
// reset. A feed that comes too late (after a long step) fires it too.
//
// To name the task that held the loop, the watchdog compares the tasks'
// processor time ([coop.TaskInfo].Busy) between its checks, which misses a
// task that ended in between. Pass [Watchdog.ObserveTask] to
// [coop.WithTaskEvents] when making the loop to follow every step instead.
type Watchdog struct {
	// Timeout is how long the watchdog waits for a feed; zero means
	// DefaultWatchdogTimeout.
	Timeout time.Duration
	// OnReset is called, on the loop, when the watchdog fires: the hook
	// that resets the board.
	OnReset func(Reset)

	c       watchdog.Countdown
	started bool
	fired   bool // OnReset was called with reset
	reset   Reset
}

// Reset is why a Watchdog fired.
type Reset struct {
	// At is when the watchdog noticed, and OnReset ran.
	At time.Duration
	// Deadline is the last feed plus the timeout: when the watchdog
	// expired, and when a hardware watchdog would have reset the board.
	Deadline time.Duration
	LastFeed time.Duration
	// Feeder is the task that fed it last (Start counts as a feed), ""
	// from a callback.
	Feeder string
	// Holder is the task that held the loop longest since the last feed,
	// and Held for how long; "" if none is known.
	Holder string
	Held   time.Duration
	Reason string
}

// String describes the reset in one line.
func (r Reset) String() string {
	return fmt.Sprintf("watchdog reset at %v (expired at %v): %s", r.At, r.Deadline, r.Reason)
}

// Start arms the watchdog on loop, as if fed now (by the task running, if
// any). It must be called on the loop (from a task or callback) or before
// the loop runs, and once.
func (w *Watchdog) Start(loop *coop.Loop) {
	if w.started {
		panic("rt: Watchdog.Start called twice")
	}
	w.started = true
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = DefaultWatchdogTimeout
	}
	w.c.Loop = loop
	w.c.OnExpire = w.expire
	w.c.Start(timeout)
}

// Feed resets the watchdog's countdown (WDT.feed). Feeds must come less
// than the timeout apart: a feed that comes at or after the timeout (the
// last feed plus Timeout) fires the watchdog instead, as a real one would
// have reset the board already, and so does the check at that instant,
// whichever runs first. Call it on the loop.
func (w *Watchdog) Feed() { w.c.Feed() }

// Stop disarms the watchdog. It reports whether it was armed.
func (w *Watchdog) Stop() bool { return w.c.Stop() }

// Fired returns the reset, if the watchdog has fired.
func (w *Watchdog) Fired() (Reset, bool) {
	return w.reset, w.fired
}

// ObserveTask follows the loop's steps, to name exactly the task that held
// the loop. Pass it to [coop.WithTaskEvents] (with other observers, call
// it from a function that calls them all).
func (w *Watchdog) ObserveTask(ev coop.TaskEvent) { w.c.Observe(ev) }

func (w *Watchdog) expire(e watchdog.Expiry) {
	reason := fmt.Sprintf("not fed for %v (timeout %v)", e.At-e.LastFeed, w.c.Timeout())
	if e.Feeder != "" {
		reason += fmt.Sprintf(", last fed by task %q at %v", e.Feeder, e.LastFeed)
	}
	if e.Holder != "" {
		reason += fmt.Sprintf("; task %q held the loop for %v", e.Holder, e.Held)
	}
	w.reset = Reset{At: e.At, Deadline: e.Deadline, LastFeed: e.LastFeed, Feeder: e.Feeder,
		Holder: e.Holder, Held: e.Held, Reason: reason}
	w.fired = true
	if w.OnReset != nil {
		w.OnReset(w.reset)
	}
}
