//go:build tinygo && (pico || pico2)

package machine

import (
	"slices"

	"github.com/coopgo/coop/hw"
)

// Counter implements hw.CounterBoard. The ISR counts every edge (it never
// drops one, however fast they come); the count a task reads is brought up
// to date between task steps, so between two awaits it changes only if
// the task resets it, as hw.Counter promises.
func (b *Board) Counter(name string, cfg hw.CounterConfig) (hw.Counter, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if p.role != roleNone {
		return nil, &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrPinBusy, Have: p.user}
	}
	edge := cfg.Edge & hw.EdgeBoth
	if edge == 0 {
		edge = hw.EdgeFalling
	}
	p.claim(name, roleInput, "counter")
	p.configureInput(cfg.Pull)
	c := &counter{p: p, gen: p.gen, edge: edge}
	c.seen = b.irq.pins[p.gpio].count.Load()
	p.counter = c
	b.counters = append(b.counters, c)
	if err := p.rearm(); err != nil {
		p.release()
		return nil, err
	}
	return c, nil
}

type counter struct {
	p    *pin
	gen  uint32
	edge hw.Edge
	n    int    // the count tasks see
	seen uint32 // the ISR's count when n was last brought up to date
}

// sync adds the edges the ISR counted since the last sync. It runs on the
// loop, from drain.
func (c *counter) sync() {
	now := c.p.b.irq.pins[c.p.gpio].count.Load()
	c.n += int(now - c.seen)
	c.seen = now
}

func (c *counter) check() {
	if c.gen != c.p.gen {
		panic("machine: counter on " + c.p.name + " used after Close")
	}
}

// Count returns the number of edges counted since the counter was opened
// or last reset, as of the last time the loop took the ISR's count.
func (c *counter) Count() int { c.check(); return c.n }

// Reset sets the count to zero. Edges the ISR counted that the loop has
// not taken yet count after the reset.
func (c *counter) Reset() { c.check(); c.n = 0 }

// Close stops counting and frees the pin.
func (c *counter) Close() error {
	if c.gen == c.p.gen {
		c.p.release()
	}
	return nil
}

// dropCounter forgets c, whose pin is released.
func (b *Board) dropCounter(c *counter) {
	if i := slices.Index(b.counters, c); i >= 0 {
		b.counters = slices.Delete(b.counters, i, i+1)
	}
}
