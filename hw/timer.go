package hw

import "time"

// Timer calls a function periodically or once, in interrupt context
// (pyb.Timer with a callback, machine.Timer). Tick n of a periodic timer
// started at time s comes at s + n·period exactly, with no drift: a
// callback that runs late does not move the next tick.
type Timer interface {
	// Start (re)starts the timer with cfg, calling fn at each tick. It
	// replaces a previous configuration and callback. It returns an
	// error if cfg has neither a positive Freq nor a positive Period.
	Start(cfg TimerConfig, fn func()) error
	// Stop stops the timer (deinit). It reports whether the timer was
	// running.
	Stop() bool
}

// TimerConfig configures a [Timer]. Give a frequency or a period.
type TimerConfig struct {
	// Freq is the number of ticks per second (pyb.Timer's freq). Tick n
	// comes at n·1s/Freq after the start, computed exactly, so 3 Hz does
	// not drift by the nanosecond lost in rounding 1/3 s.
	Freq int
	// Period is the time between ticks; if set, it wins over Freq.
	Period time.Duration
	// OneShot makes the timer tick once, one period after Start
	// (machine.Timer.ONE_SHOT), then stop.
	OneShot bool
}

// Tick returns the time of tick n (n ≥ 1) after the start, or a negative
// duration if cfg has no positive Freq or Period. Backends use it so that
// every implementation ticks at the same instants.
func (c TimerConfig) Tick(n int64) time.Duration {
	switch {
	case c.Period > 0:
		return time.Duration(n) * c.Period
	case c.Freq > 0:
		// n·1e9/Freq without overflow for any practical n.
		f := int64(c.Freq)
		s := n / f
		r := n % f
		return time.Duration(s)*time.Second + time.Duration(r*int64(time.Second)/f)
	}
	return -1
}

// TimerBoard is a [Board] with timers.
type TimerBoard interface {
	// Timer returns timer id. Which ids exist depends on the board:
	// hardware timers 1–14 on a pyboard; -1 is a virtual (software)
	// timer, a new one at each call, on every board that has timers.
	Timer(id int) (Timer, error)
}

// OpenTimer returns timer id of b (-1, a virtual timer, on every board
// that has timers; 1–14 on a pyboard), or a *DeviceError wrapping
// [ErrNoDevice] if b has no timers or no timer id, listing the ids it
// has.
func OpenTimer(b Board, id int) (Timer, error) {
	if tb, ok := b.(TimerBoard); ok {
		return tb.Timer(id)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "timer " + itoa(id)}
}
