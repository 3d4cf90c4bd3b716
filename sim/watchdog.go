package sim

import (
	"errors"
	"time"

	"github.com/coopgo/coop/hw"
	wdt "github.com/coopgo/coop/internal/watchdog"
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
	b *Board
	c wdt.Countdown
}

func (w *watchdog) Start(timeout time.Duration) error {
	if timeout <= 0 {
		return errWatchdogTimeout
	}
	if w.c.Expired() || w.b.wdt != w {
		return nil // the board is resetting
	}
	w.c.Loop, w.c.OnExpire = w.b.loop, w.expire
	w.c.Start(timeout)
	return nil
}

func (w *watchdog) Feed() {
	if w.b.wdt == w {
		w.c.Feed()
	}
}

// expire resets the board. The task that held the loop is named if it held
// it for half the timeout or more: the one that starved the watchdog.
func (w *watchdog) expire(e wdt.Expiry) {
	if w.b.wdt != w {
		return
	}
	r := Reset{At: e.At, Cause: hw.WatchdogReset, Timeout: w.c.Timeout(), LastFeed: e.LastFeed, Feeder: e.Feeder}
	if 2*e.Held >= r.Timeout {
		r.Holder, r.Held = e.Holder, e.Held
	}
	w.b.requestReset(r)
}

// disarm stops the watchdog for good, at a reset.
func (w *watchdog) disarm() { w.c.Stop() }

var _ hw.WatchdogBoard = (*Board)(nil)
