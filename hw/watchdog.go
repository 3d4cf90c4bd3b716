package hw

import "time"

// Watchdog is a board's watchdog timer (machine.WDT): once started, it
// resets the board unless it is fed within its timeout. A program feeds it
// from a task that runs only while the program is healthy, so that a task
// that holds the loop, or a deadlock, ends in a reset instead of a hang.
//
// As on the microcontrollers MicroPython runs on, a started watchdog cannot
// be stopped; a reset disarms it, and the program starts it again.
type Watchdog interface {
	// Start arms the watchdog with timeout, counting from now
	// (machine.WDT(timeout=…)). Starting it again changes the timeout
	// and counts as a feed. It returns an error, and changes nothing,
	// for a timeout that is not positive.
	Start(timeout time.Duration) error
	// Feed restarts the countdown (WDT.feed()). It does nothing before
	// Start.
	Feed()
}

// WatchdogBoard is a [Board] with a watchdog.
type WatchdogBoard interface {
	// Watchdog returns the board's watchdog: a board has one, the same at
	// each call.
	Watchdog() (Watchdog, error)
}

// OpenWatchdog returns the watchdog of b, or a *DeviceError wrapping
// [ErrNoDevice] if b has none.
func OpenWatchdog(b Board) (Watchdog, error) {
	if wb, ok := b.(WatchdogBoard); ok {
		return wb.Watchdog()
	}
	return nil, &DeviceError{Board: b.Name(), Device: "watchdog"}
}

// ResetCause is why a board last started (machine.reset_cause()).
type ResetCause uint8

// The causes, after MicroPython's machine module.
const (
	// PowerOnReset: the board was powered on (machine.PWRON_RESET).
	PowerOnReset ResetCause = iota + 1
	// HardReset: the program reset the board (machine.reset(),
	// machine.HARD_RESET).
	HardReset
	// WatchdogReset: the watchdog was not fed in time
	// (machine.WDT_RESET).
	WatchdogReset
)

// String returns "power-on", "hard" or "watchdog".
func (c ResetCause) String() string {
	switch c {
	case PowerOnReset:
		return "power-on"
	case HardReset:
		return "hard"
	case WatchdogReset:
		return "watchdog"
	}
	return "ResetCause(" + itoa(int(c)) + ")"
}

// ResetBoard is a [Board] that can reset itself and says why it last
// started.
type ResetBoard interface {
	// Reset resets the board (machine.reset()): the program stops and
	// starts again from the beginning, the board's pins and devices
	// back as at power-on; files in flash stay. On a board it does not
	// return. In the simulator it returns, and the program is cancelled:
	// the caller's next await returns coop.ErrCancelled.
	Reset()
	// ResetCause returns why the board last started.
	ResetCause() ResetCause
}

// Reset resets b (machine.reset()), or returns a *DeviceError wrapping
// [ErrNoDevice] if b cannot reset itself.
func Reset(b Board) error {
	if rb, ok := b.(ResetBoard); ok {
		rb.Reset()
		return nil
	}
	return &DeviceError{Board: b.Name(), Device: "reset"}
}

// LastReset returns why b last started: [PowerOnReset] for a board that
// does not say.
func LastReset(b Board) ResetCause {
	if rb, ok := b.(ResetBoard); ok {
		return rb.ResetCause()
	}
	return PowerOnReset
}
