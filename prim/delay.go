package prim

import (
	"math"
	"time"

	"github.com/coopgo/coop"
)

// DefaultDelay is the duration of a Delay whose config leaves it zero
// (Hinch's Delay_ms default).
const DefaultDelay = time.Second

// DelayConfig configures a [Delay]. The zero value is a delay of
// DefaultDelay with no callback.
type DelayConfig struct {
	// Duration is what Trigger(0) runs for; zero means DefaultDelay.
	Duration time.Duration
	// OnExpire runs on the loop when the delay expires, after tasks in
	// Wait have been woken (they run after it). It may Trigger the delay
	// again. It must not block.
	OnExpire func()
}

// Delay is a retriggerable monostable (Hinch's Delay_ms): [Delay.Trigger]
// starts it, or restarts it if it is running, and if nobody triggers it
// again before it runs out it expires: OnExpire runs and tasks in
// [Delay.Wait] wake. Triggered regularly it never expires, which makes it a
// software watchdog, or a light that stays on while there is motion.
//
// A Delay belongs to its loop: call its methods from tasks and loop
// callbacks. An interrupt handler triggers it with
// l.CallSoon(func() { d.Trigger(0) }).
type Delay struct {
	l        *coop.Loop
	cfg      DelayConfig
	running  bool
	deadline time.Duration
	h        *coop.Handle // pending timer, due at or before deadline
	fire     func()       // d.expire, bound once
	expired  coop.Event   // set and cleared at each expiry, to wake waiters
}

// NewDelay returns a stopped delay on loop l.
func NewDelay(l *coop.Loop, cfg DelayConfig) *Delay {
	if cfg.Duration <= 0 {
		cfg.Duration = DefaultDelay
	}
	d := &Delay{l: l, cfg: cfg}
	d.fire = d.expire
	return d
}

// Trigger (re)starts the delay: it now expires dur from now, whether that
// is later or earlier than before. dur <= 0 means the configured Duration;
// a dur that reaches past the largest loop time never expires.
// Trigger reports whether the delay was running (a retrigger) rather than
// started afresh.
func (d *Delay) Trigger(dur time.Duration) bool {
	if dur <= 0 {
		dur = d.cfg.Duration
	}
	was := d.running
	d.running = true
	now := d.l.Now()
	d.deadline = now + dur
	if now > math.MaxInt64-dur { // past the end of time: never
		d.deadline = math.MaxInt64
	}
	// A pending timer due before the new deadline is kept: when it fires
	// it moves itself to the deadline. Retriggering a watchdog often thus
	// costs no timer operation.
	if d.h != nil && d.h.When() > d.deadline {
		d.h.Cancel()
		d.h = nil
	}
	if d.h == nil {
		d.h = d.l.CallAt(d.deadline, d.fire)
	}
	return was
}

func (d *Delay) expire() {
	d.h = nil
	if !d.running {
		return
	}
	if now := d.l.Now(); now < d.deadline {
		d.h = d.l.CallAt(d.deadline, d.fire)
		return
	}
	d.running = false
	d.expired.Set()
	d.expired.Clear()
	if d.cfg.OnExpire != nil {
		d.cfg.OnExpire()
	}
}

// Stop stops the delay without expiring it: OnExpire does not run and tasks
// in Wait keep waiting, for the expiry of a later Trigger. Stop reports
// whether the delay was running.
func (d *Delay) Stop() bool {
	if !d.running {
		return false
	}
	d.running = false
	if d.h != nil {
		d.h.Cancel()
		d.h = nil
	}
	return true
}

// Running reports whether the delay has been triggered and has neither
// expired nor been stopped.
func (d *Delay) Running() bool { return d.running }

// Deadline returns the loop time the delay will expire at, and whether it
// is running; a stopped delay returns 0 and false.
func (d *Delay) Deadline() (time.Duration, bool) {
	if !d.running {
		return 0, false
	}
	return d.deadline, true
}

// Wait waits, from inside the task self, until the delay next expires: an
// expiry before the call does not count, and a stopped delay waits for a
// later Trigger to run out. It returns coop.ErrCancelled if self is
// cancelled.
func (d *Delay) Wait(self *coop.Task) error { return d.expired.Wait(self) }
