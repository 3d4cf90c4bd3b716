//go:build tinygo && (pico || pico2)

package machine

import (
	"errors"
	"machine"
	"time"

	"github.com/coopgo/coop/hw"
)

// Watchdog implements hw.WatchdogBoard with the RP2's watchdog timer,
// whose longest timeout is machine.WatchdogMaxTimeout milliseconds
// (8.388 s on the RP2040). When it expires the whole chip resets.
func (b *Board) Watchdog() (hw.Watchdog, error) {
	if b.wdt == nil {
		b.wdt = &watchdog{}
	}
	return b.wdt, nil
}

var (
	errWatchdogTimeout = errors.New("machine: watchdog timeout must be positive")
	errWatchdogTooLong = errors.New("machine: watchdog timeout longer than the hardware's 8.388 s")
)

type watchdog struct{ started bool }

// Start arms the watchdog with timeout, rounded up to the millisecond.
// A timeout the hardware cannot count (over 8.388 s) is an error and
// changes nothing, as MicroPython's rp2 port refuses it.
func (w *watchdog) Start(timeout time.Duration) error {
	if timeout <= 0 {
		return errWatchdogTimeout
	}
	ms := (timeout + time.Millisecond - 1) / time.Millisecond
	if ms > machine.WatchdogMaxTimeout {
		return errWatchdogTooLong
	}
	// Configure stops the watchdog and loads the new timeout: a feed.
	if err := machine.Watchdog.Configure(machine.WatchdogConfig{TimeoutMillis: uint32(ms)}); err != nil {
		return err
	}
	if err := machine.Watchdog.Start(); err != nil {
		return err
	}
	w.started = true
	return nil
}

// Feed restarts the countdown; it does nothing before Start.
func (w *watchdog) Feed() {
	if w.started {
		machine.Watchdog.Update()
	}
}
