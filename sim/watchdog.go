package sim

import (
	"errors"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Watchdog implements [hw.WatchdogBoard]: every board has one watchdog
// timer (machine.WDT). Once started, if it is not fed within its timeout,
// the board resets: a [Firmware] running the program cancels it and starts
// it again, and the [Reset] names the task that held the loop. Without a
// Firmware the expiry is only traced, as an interrupt of "watchdog",
// "expired".
//
// A real watchdog resets the board the instant it expires, even in the
// middle of a blocking call. The simulated one is a loop callback, and a
// step that holds the loop (Busy, a blocking read) delays it: the board
// resets when that step ends, and [Reset].Deadline says when real hardware
// would have. A feed that comes after the deadline (the feeding task was
// held up by such a step) resets the board too.
func (b *Board) Watchdog() (hw.Watchdog, error) {
	if b.wdt == nil {
		b.wdt = &watchdog{b: b}
	}
	return b.wdt, nil
}

var errWatchdogTimeout = errors.New("sim: watchdog timeout must be positive")

// watchdog is a board's watchdog timer. A reset drops it: the next boot
// gets a new, unarmed one, and calls on the old one do nothing.
type watchdog struct {
	b        *Board
	timeout  time.Duration
	armed    bool
	expired  bool
	lastFeed time.Duration
	feeder   string
	h        *coop.Handle
	// snap is the processor time of the live tasks at the last check, to
	// name the task that held the loop since.
	snap map[uint64]time.Duration
}

func (w *watchdog) Start(timeout time.Duration) error {
	if timeout <= 0 {
		return errWatchdogTimeout
	}
	if w.expired || w.b.wdt != w {
		return nil // the board is resetting
	}
	w.timeout = timeout
	w.armed = true
	w.note()
	if w.h != nil {
		w.h.Cancel()
	}
	w.snapshot()
	w.h = w.b.loop.CallAt(w.lastFeed+w.timeout, w.check)
	return nil
}

func (w *watchdog) Feed() {
	if !w.armed || w.expired || w.b.wdt != w {
		return
	}
	now := w.b.now()
	if now-w.lastFeed >= w.timeout {
		// A step held the feeder past the deadline: reset once the step
		// running now has ended, and its time is counted.
		w.expired = true
		w.b.loop.CallSoon(func() { w.expire(now) })
		return
	}
	w.note()
}

// note records a feed now, by the task running.
func (w *watchdog) note() {
	w.lastFeed = w.b.now()
	w.feeder = ""
	if t := w.b.loop.Current(); t != nil {
		w.feeder = t.Name()
	}
}

// check runs at the deadline of the last feed known when it was scheduled.
func (w *watchdog) check() {
	w.h = nil
	if w.expired || w.b.wdt != w {
		return
	}
	now := w.b.now()
	if deadline := w.lastFeed + w.timeout; now < deadline {
		w.snapshot()
		w.h = w.b.loop.CallAt(deadline, w.check)
		return
	}
	w.expired = true
	w.expire(now)
}

// expire resets the board, at board time at.
func (w *watchdog) expire(at time.Duration) {
	if w.b.wdt != w {
		return
	}
	if w.h != nil {
		w.h.Cancel()
		w.h = nil
	}
	r := Reset{At: at, Cause: hw.WatchdogReset, Timeout: w.timeout, LastFeed: w.lastFeed, Feeder: w.feeder}
	r.Holder, r.Held = w.holder()
	w.b.requestReset(r)
}

// holder names the task that held the loop longest since the last check,
// if it held it for half the timeout or more: the one that starved the
// watchdog. A task that ended since is missed.
func (w *watchdog) holder() (string, time.Duration) {
	var name string
	var held time.Duration
	for _, ti := range w.b.loop.Tasks() {
		if d := ti.Busy - w.snap[ti.ID]; d > held {
			name, held = ti.Name, d
		}
	}
	if 2*held < w.timeout {
		return "", 0
	}
	return name, held
}

// snapshot notes the processor time of every live task.
func (w *watchdog) snapshot() {
	if w.snap == nil {
		w.snap = make(map[uint64]time.Duration)
	}
	clear(w.snap)
	for _, ti := range w.b.loop.Tasks() {
		w.snap[ti.ID] = ti.Busy
	}
}

// disarm stops the watchdog for good, at a reset.
func (w *watchdog) disarm() {
	w.armed = false
	if w.h != nil {
		w.h.Cancel()
		w.h = nil
	}
}

var _ hw.WatchdogBoard = (*Board)(nil)
