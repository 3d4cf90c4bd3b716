package sim

import "github.com/coopgo/coop/hw"

// Counter implements [hw.CounterBoard]: it counts edges of pin as they
// happen (noise of a floating pin included), like countio.
func (b *Board) Counter(name string, cfg hw.CounterConfig) (hw.Counter, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if p.role != roleNone {
		return nil, &hw.PinError{Board: b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: p.user}
	}
	if err := p.claim(roleInput, "counter"); err != nil {
		return nil, err
	}
	edge := cfg.Edge & hw.EdgeBoth
	if edge == 0 {
		edge = hw.EdgeFalling
	}
	c := &counter{p: p, gen: p.gen, edge: edge}
	p.pull = cfg.Pull
	p.take()
	if p.floating {
		p.advanceNoise(b.now())
	}
	p.counters = append(p.counters, c)
	p.schedNoise()
	return c, nil
}

type counter struct {
	p    *pin
	gen  uint64
	edge hw.Edge
	n    int
}

func (c *counter) check() {
	if c.gen != c.p.gen {
		panic("sim: counter on " + c.p.name + " used after Close")
	}
}

func (c *counter) Count() int { c.check(); return c.n }
func (c *counter) Reset()     { c.check(); c.n = 0 }

func (c *counter) Close() error {
	if c.gen == c.p.gen {
		c.p.release()
	}
	return nil
}
