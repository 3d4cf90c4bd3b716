// Package watchdog is the countdown of a software watchdog on a coop
// loop, the one implementation behind rt.Watchdog and the simulated
// boards' machine.WDT: fed by tasks, it expires once when no feed comes
// within its timeout, and names the task that held the loop.
package watchdog

import (
	"math"
	"time"

	"github.com/coopgo/coop"
)

// Expiry is what a [Countdown] knows when it expires.
type Expiry struct {
	At       time.Duration // when it noticed: the check, or the end of the step that fed it late
	Deadline time.Duration // the last feed plus the timeout
	LastFeed time.Duration
	Feeder   string // the task that fed it last, "" if none did
	// Holder is the task that held the loop longest since the last feed
	// (with Observe) or the last check (without), and Held for how long;
	// "" if none is known.
	Holder string
	Held   time.Duration
}

// Countdown is a watchdog's countdown on a loop. Set Loop and OnExpire,
// then Start it. Use it on its loop.
//
// A loop callback cannot interrupt a step: a step that holds the loop past
// the deadline delays the expiry to its end, and a feed that comes after
// the deadline expires the countdown (once the feeding step has ended and
// been counted) instead of feeding it.
type Countdown struct {
	Loop *coop.Loop
	// OnExpire is called once, on the loop, when the countdown expires.
	OnExpire func(Expiry)

	timeout  time.Duration
	armed    bool
	expired  bool
	lastFeed time.Duration
	feeder   string
	h        *coop.Handle

	snap map[uint64]time.Duration // Busy of the live tasks at the last check

	observed  bool // Observe has been called
	running   *coop.Task
	runStart  time.Duration
	worst     string // the longest step since the last feed, from Observe
	worstHeld time.Duration
}

// Start arms the countdown with timeout (positive), fed now by the task
// running (Start counts as a feed). Starting
// an armed countdown changes its timeout; an expired one stays expired.
func (c *Countdown) Start(timeout time.Duration) {
	if timeout <= 0 {
		panic("watchdog: Start needs a positive timeout")
	}
	if c.expired {
		return
	}
	c.timeout, c.armed = timeout, true
	c.note()
	c.snapshot()
	c.schedule(c.deadline())
}

// Timeout returns the timeout it was started with.
func (c *Countdown) Timeout() time.Duration { return c.timeout }

// Armed reports whether it counts down: started, not stopped nor expired.
func (c *Countdown) Armed() bool { return c.armed && !c.expired }

// Expired reports whether it has expired, or is about to (a late feed).
func (c *Countdown) Expired() bool { return c.expired }

// Feed starts the countdown again from now, or, after the deadline,
// expires it once the step running now has ended.
func (c *Countdown) Feed() {
	if !c.Armed() {
		return
	}
	now := c.Loop.Now()
	if now-c.lastFeed >= c.timeout {
		c.expired = true
		deadline := c.deadline()
		c.Loop.CallSoon(func() { c.expire(now, deadline) })
		return
	}
	c.note()
}

// Due expires the countdown at once if its deadline has passed, in the
// middle of a step that holds the loop, as a real watchdog resets the
// board at its deadline, and reports whether it has expired. What must
// not happen after the deadline (a flash write) asks first. The expiry
// is at the deadline.
func (c *Countdown) Due() bool {
	if c.expired {
		return true
	}
	if !c.armed {
		return false
	}
	if deadline := c.deadline(); c.Loop.Now() >= deadline {
		c.expired = true
		c.expire(deadline, deadline)
		return true
	}
	return false
}

// Stop disarms the countdown for good. It reports whether it was armed;
// an expiry already due (a late feed) still comes.
func (c *Countdown) Stop() bool {
	if !c.Armed() {
		return false
	}
	c.armed = false
	if c.h != nil {
		c.h.Cancel()
		c.h = nil
	}
	return true
}

// Observe follows the loop's steps, to name exactly the task that held
// the loop (without it, the tasks' processor time is compared between
// checks, which misses a task that ended in between).
func (c *Countdown) Observe(ev coop.TaskEvent) {
	c.observed = true
	if ev.State == coop.StateRunning {
		c.running, c.runStart = ev.Task, ev.At
		return
	}
	if ev.Task != c.running || c.running == nil {
		return
	}
	if held := ev.At - c.runStart; held > c.worstHeld {
		c.worst, c.worstHeld = ev.Task.Name(), held
	}
	c.running = nil
}

// note records a feed now, by the task running.
func (c *Countdown) note() {
	c.lastFeed = c.Loop.Now()
	c.feeder = ""
	if t := c.Loop.Current(); t != nil {
		c.feeder = t.Name()
	}
	c.worst, c.worstHeld = "", 0
}

// deadline returns the last feed plus the timeout, or the end of time if
// that is past it.
func (c *Countdown) deadline() time.Duration {
	if c.lastFeed > math.MaxInt64-c.timeout {
		return math.MaxInt64
	}
	return c.lastFeed + c.timeout
}

func (c *Countdown) schedule(at time.Duration) {
	if c.h != nil {
		c.h.Cancel()
	}
	c.h = c.Loop.CallAt(at, c.check)
}

// check runs at the deadline of the last feed known when it was scheduled.
func (c *Countdown) check() {
	c.h = nil
	if !c.Armed() {
		return
	}
	now := c.Loop.Now()
	deadline := c.deadline()
	if now < deadline {
		c.snapshot()
		c.schedule(deadline)
		return
	}
	c.expired = true
	c.expire(now, deadline)
}

func (c *Countdown) expire(at, deadline time.Duration) {
	if c.h != nil {
		c.h.Cancel()
		c.h = nil
	}
	e := Expiry{At: at, Deadline: deadline, LastFeed: c.lastFeed, Feeder: c.feeder}
	e.Holder, e.Held = c.holder()
	if c.OnExpire != nil {
		c.OnExpire(e)
	}
}

// holder names the task that held the loop longest since the last feed
// (observed) or the last check.
func (c *Countdown) holder() (string, time.Duration) {
	if c.observed {
		return c.worst, c.worstHeld
	}
	var name string
	var held time.Duration
	for _, ti := range c.Loop.Tasks() {
		if d := ti.Busy - c.snap[ti.ID]; d > held {
			name, held = ti.Name, d
		}
	}
	return name, held
}

// snapshot notes the processor time of every live task.
func (c *Countdown) snapshot() {
	if c.observed {
		return
	}
	if c.snap == nil {
		c.snap = make(map[uint64]time.Duration)
	}
	clear(c.snap)
	for _, ti := range c.Loop.Tasks() {
		c.snap[ti.ID] = ti.Busy
	}
}
