package prim

import (
	"math"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// DefaultDebounce is the debounce period of a Switch or Pushbutton whose
// config leaves it zero: longer than a push button's contacts bounce (a few
// milliseconds), shorter than a person notices.
const DefaultDebounce = 50 * time.Millisecond

// poller reads an input on a fixed grid (start + n·period) from loop
// callbacks and reports changes of its debounced state. Acting on the
// first read of a new level and reading again only a period later is the
// debounce: bounce dies out between two reads.
type poller struct {
	l          *coop.Loop
	in         hw.Input
	activeHigh bool
	period     time.Duration
	start      time.Duration
	n          int64
	h          *coop.Handle
	tick       func() // p.poll, bound once
	state      bool   // debounced: true when active (closed, pressed)
	stopped    bool
	on         func(active bool, at time.Duration)
}

// begin takes the input's current level as the starting state, without an
// event, and starts polling.
func (p *poller) begin(l *coop.Loop, in hw.Input, activeHigh bool, period time.Duration, on func(bool, time.Duration)) {
	if period <= 0 {
		period = DefaultDebounce
	}
	p.l, p.in, p.activeHigh, p.period, p.on = l, in, activeHigh, period, on
	p.tick = p.poll
	p.state = p.read()
	p.start = l.Now()
	p.schedule()
}

func (p *poller) read() bool { return p.in.Get() == p.activeHigh }

// schedule arms the next poll on the grid, skipping grid points that have
// passed (the loop was held up).
func (p *poller) schedule() {
	now := p.l.Now()
	p.n++
	at := p.grid(p.n)
	if at <= now {
		p.n = int64((now-p.start)/p.period) + 1
		at = p.grid(p.n)
	}
	p.h = p.l.CallAt(at, p.tick)
}

// grid returns the time of poll n, or the end of time if it is past it.
func (p *poller) grid(n int64) time.Duration {
	if n > int64((math.MaxInt64-p.start)/p.period) {
		return math.MaxInt64
	}
	return p.start + time.Duration(n)*p.period
}

func (p *poller) poll() {
	p.h = nil
	if p.stopped {
		return
	}
	// Re-arm first: a callback that panics or stops the poller must not
	// leave it half done.
	p.schedule()
	if s := p.read(); s != p.state {
		p.state = s
		p.on(s, p.l.Now())
	}
}

// stop stops polling and reports whether it was running.
func (p *poller) stop() bool {
	if p.stopped {
		return false
	}
	p.stopped = true
	if p.h != nil {
		p.h.Cancel()
		p.h = nil
	}
	return true
}
