package rt

import (
	"fmt"
	"time"

	"github.com/coopgo/coop"
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

	loop     *coop.Loop
	timeout  time.Duration
	h        *coop.Handle
	lastFeed time.Duration
	feeder   string
	started  bool
	stopped  bool
	expired  bool // fired, or about to: a late feed was seen
	fired    bool // OnReset was called with reset
	reset    Reset

	snap map[uint64]taskBusy // Busy of live tasks at the last check

	observed  bool // ObserveTask has been called
	running   *coop.Task
	runStart  time.Duration
	worst     string // the longest step since the last feed, from ObserveTask
	worstHeld time.Duration
}

type taskBusy struct {
	name string
	busy time.Duration
}

// Reset is why a Watchdog fired.
type Reset struct {
	// At is when the watchdog noticed, and OnReset ran.
	At time.Duration
	// Deadline is the last feed plus the timeout: when the watchdog
	// expired, and when a hardware watchdog would have reset the board.
	Deadline time.Duration
	LastFeed time.Duration
	// Feeder is the task that fed it last, "" if none did.
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

// Start arms the watchdog on loop, as if fed now. It must be called on the
// loop (from a task or callback) or before the loop runs, and once.
func (w *Watchdog) Start(loop *coop.Loop) {
	if w.started {
		panic("rt: Watchdog.Start called twice")
	}
	w.started = true
	w.loop = loop
	w.timeout = w.Timeout
	if w.timeout <= 0 {
		w.timeout = DefaultWatchdogTimeout
	}
	w.lastFeed = loop.Now()
	w.snapshot()
	w.h = loop.CallAt(w.lastFeed+w.timeout, w.check)
}

// Feed resets the watchdog's countdown (WDT.feed). A feed that comes after
// the timeout fires the watchdog instead: a real one would have reset the
// board already. Call it on the loop.
func (w *Watchdog) Feed() {
	if !w.started || w.stopped || w.expired {
		return
	}
	now := w.loop.Now()
	if now-w.lastFeed >= w.timeout {
		// Fire once the step running now has ended and been counted.
		w.expired = true
		deadline := w.lastFeed + w.timeout
		w.loop.CallSoon(func() { w.expire(now, deadline) })
		return
	}
	w.lastFeed = now
	w.feeder = ""
	if t := w.loop.Current(); t != nil {
		w.feeder = t.Name()
	}
	w.worst, w.worstHeld = "", 0
}

// Stop disarms the watchdog. It reports whether it was armed.
func (w *Watchdog) Stop() bool {
	if !w.started || w.stopped || w.expired {
		return false
	}
	w.stopped = true
	if w.h != nil {
		w.h.Cancel()
		w.h = nil
	}
	return true
}

// Fired returns the reset, if the watchdog has fired.
func (w *Watchdog) Fired() (Reset, bool) {
	return w.reset, w.fired
}

// ObserveTask follows the loop's steps, to name exactly the task that held
// the loop. Pass it to [coop.WithTaskEvents] (with other observers, call
// it from a function that calls them all).
func (w *Watchdog) ObserveTask(ev coop.TaskEvent) {
	w.observed = true
	if ev.State == coop.StateRunning {
		w.running, w.runStart = ev.Task, ev.At
		return
	}
	if ev.Task != w.running || w.running == nil {
		return
	}
	if held := ev.At - w.runStart; held > w.worstHeld {
		w.worst, w.worstHeld = ev.Task.Name(), held
	}
	w.running = nil
}

// check runs at the deadline of the last feed known when it was scheduled.
func (w *Watchdog) check() {
	w.h = nil
	if w.stopped || w.expired {
		return
	}
	now := w.loop.Now()
	deadline := w.lastFeed + w.timeout
	if now < deadline {
		w.snapshot()
		w.h = w.loop.CallAt(deadline, w.check)
		return
	}
	w.expired = true
	w.expire(now, deadline)
}

func (w *Watchdog) expire(at, deadline time.Duration) {
	holder, held := w.holder()
	reason := fmt.Sprintf("not fed for %v (timeout %v)", at-w.lastFeed, w.timeout)
	if w.feeder != "" {
		reason += fmt.Sprintf(", last fed by task %q at %v", w.feeder, w.lastFeed)
	}
	if holder != "" {
		reason += fmt.Sprintf("; task %q held the loop for %v", holder, held)
	}
	w.reset = Reset{At: at, Deadline: deadline, LastFeed: w.lastFeed, Feeder: w.feeder,
		Holder: holder, Held: held, Reason: reason}
	w.fired = true
	if w.h != nil {
		w.h.Cancel()
		w.h = nil
	}
	if w.OnReset != nil {
		w.OnReset(w.reset)
	}
}

// holder names the task that held the loop longest since the last feed
// (with ObserveTask) or the last check (without).
func (w *Watchdog) holder() (string, time.Duration) {
	if w.observed {
		return w.worst, w.worstHeld
	}
	var name string
	var held time.Duration
	for _, ti := range w.loop.Tasks() {
		d := ti.Busy - w.snap[ti.ID].busy
		if d > held {
			name, held = ti.Name, d
		}
	}
	return name, held
}

// snapshot notes the processor time of every live task.
func (w *Watchdog) snapshot() {
	if w.observed {
		return
	}
	if w.snap == nil {
		w.snap = make(map[uint64]taskBusy)
	}
	clear(w.snap)
	for _, ti := range w.loop.Tasks() {
		w.snap[ti.ID] = taskBusy{ti.Name, ti.Busy}
	}
}
