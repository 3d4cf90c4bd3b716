//go:build tinygo && (pico || pico2)

package machine

import (
	"machine"
	"sync/atomic"

	"github.com/coopgo/coop/hw"
)

// ringSize is how many edges the ISR can queue before the loop drains
// them; a power of two.
const ringSize = 64

// irqState is what the ISR shares with the loop. The ISR writes the ring's
// head, the counts, dropped and pending; the loop writes the ring's tail
// and the per-pin configuration. Everything is preallocated: the ISR
// allocates nothing and takes no lock.
type irqState struct {
	pins [numGPIO]irqPin

	ring    [ringSize]uint8 // gpio | edge<<5
	head    atomic.Uint32   // edges written by the ISR
	tail    atomic.Uint32   // edges taken by the loop
	dropped atomic.Uint32   // edges lost to a full ring

	// pending is set by the ISR when it has something for the loop and
	// cleared by drain as it starts, so at most one drain is in flight.
	pending atomic.Bool
	kick    chan struct{} // ISR to pump, buffered, sent without blocking

	isr     func(machine.Pin) // (*Board).isr, made once
	drainFn func()            // (*Board).drain, made once
	pumping bool
}

// irqPin is the ISR's view of one GPIO.
type irqPin struct {
	enabled atomic.Uint32 // edges enabled in the hardware (hw.Edge)
	queued  atomic.Uint32 // edges queued for the loop: handler, waiters
	counted atomic.Uint32 // edges counted, for a counter
	count   atomic.Uint32 // edges counted so far, wrapping
}

func (q *irqState) init(b *Board) {
	q.kick = make(chan struct{}, 1)
	q.isr = b.isr
	q.drainFn = b.drain
}

// isr runs in interrupt context, from TinyGo's GPIO interrupt handler,
// once per pin per interrupt. It must not allocate, block or lock.
func (b *Board) isr(g machine.Pin) {
	if int(g) >= numGPIO {
		return
	}
	q := &b.irq
	s := &q.pins[g]
	e := hw.Edge(s.enabled.Load())
	if e == hw.EdgeBoth {
		// TinyGo does not say which edge fired: the level now does.
		if g.Get() {
			e = hw.EdgeRising
		} else {
			e = hw.EdgeFalling
		}
	}
	wake := false
	if hw.Edge(s.counted.Load())&e != 0 {
		s.count.Add(1)
		wake = true
	}
	if hw.Edge(s.queued.Load())&e != 0 {
		h := q.head.Load()
		if h-q.tail.Load() < ringSize {
			q.ring[h%ringSize] = uint8(g) | uint8(e)<<5
			q.head.Store(h + 1)
			wake = true
		} else {
			q.dropped.Add(1)
		}
	}
	if wake && !q.pending.Swap(true) {
		select {
		case q.kick <- struct{}{}:
		default:
		}
	}
}

// pump hands the ISR's signals to the loop. It runs on its own goroutine
// because CallSoon may not be called in an ISR.
func (b *Board) pump() {
	for range b.irq.kick {
		b.loop.CallSoon(b.irq.drainFn)
	}
}

// drain runs on the loop: it brings counters up to date and dispatches
// the queued edges to waiting tasks and handlers.
func (b *Board) drain() {
	q := &b.irq
	q.pending.Store(false)
	for _, c := range b.counters {
		c.sync()
	}
	head := q.head.Load()
	defer b.drainLeft(head)
	for pos := q.tail.Load(); pos != head; pos++ {
		v := q.ring[pos%ringSize]
		q.tail.Store(pos + 1)
		g := int(v & 0x1f)
		if g < numGPIO {
			b.pins[g].edge(hw.Edge(v>>5), pos)
		}
	}
}

// drainLeft schedules another drain if a handler that panicked left
// edges behind.
func (b *Board) drainLeft(head uint32) {
	q := &b.irq
	if q.tail.Load() != head && !q.pending.Swap(true) {
		b.loop.CallSoon(q.drainFn)
	}
}

// DroppedEdges returns how many edges were lost because more than 64
// arrived before the loop could dispatch them: their handler calls and
// task wake-ups did not happen. Counters do not lose edges.
func (b *Board) DroppedEdges() int { return int(b.irq.dropped.Load()) }

// rearm enables in the hardware the edges the pin's handler, waiting tasks
// and counter need, and no others.
func (p *pin) rearm() error {
	var queued, counted hw.Edge
	if p.handler != nil {
		queued |= p.handlerEdge
	}
	for _, w := range p.waiters {
		queued |= w.edge
	}
	if p.counter != nil {
		counted = p.counter.edge
	}
	want := queued | counted
	s := &p.b.irq.pins[p.gpio]
	if hw.Edge(s.enabled.Load()) == want {
		s.queued.Store(uint32(queued))
		s.counted.Store(uint32(counted))
		return nil
	}
	// TinyGo wants a pin's callback removed before it takes a new one;
	// removing it with both edges disables both.
	p.gpio.SetInterrupt(machine.PinToggle, nil)
	s.enabled.Store(uint32(want))
	s.queued.Store(uint32(queued))
	s.counted.Store(uint32(counted))
	if want == 0 {
		return nil
	}
	var change machine.PinChange
	if want.Has(hw.EdgeRising) {
		change |= machine.PinRising
	}
	if want.Has(hw.EdgeFalling) {
		change |= machine.PinFalling
	}
	q := &p.b.irq
	if !q.pumping {
		q.pumping = true
		go p.b.pump()
	}
	if err := p.gpio.SetInterrupt(change, q.isr); err != nil {
		s.enabled.Store(0)
		s.queued.Store(0)
		s.counted.Store(0)
		return err
	}
	return nil
}

// disarm removes the pin's interrupt and forgets its edges.
func (p *pin) disarm() {
	s := &p.b.irq.pins[p.gpio]
	if s.enabled.Load() != 0 {
		p.gpio.SetInterrupt(machine.PinToggle, nil)
	}
	s.enabled.Store(0)
	s.queued.Store(0)
	s.counted.Store(0)
}
