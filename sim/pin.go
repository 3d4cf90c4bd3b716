package sim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// role is what a pin is used as by the program.
type role uint8

const (
	roleNone role = iota
	roleOutput
	roleInput  // program input, Keys, Counter: read with p.pull
	roleDevice // a device driver owns the line (DHT22, ADC)
	rolePWM    // a PWM output: p.out is high while its duty is above 0
	roleADC    // an analogue input: its digital buffer is off, it reads low
)

// pin is one pin of a board and the net wired to it.
type pin struct {
	b    *Board
	name string // canonical

	role   role
	user   string // who uses it, for ErrPinBusy: "output", "input", "keypad"…
	gen    uint64 // bumped at every claim and release: stale handles panic
	handle any    // the *outPin or *inPin handed out, reused while claimed
	out    bool   // level driven as an output
	pull   hw.Pull

	wires []*Wire

	known    bool // level has been computed once
	level    bool
	floating bool
	warned   bool // the program was told that the input floats

	noiseRng   *rand.Rand
	noiseUntil time.Duration // end of the current noise segment
	noiseTimer *coop.Handle

	irqEdge  hw.Edge
	irq      func(hw.Edge)
	waiters  []*edgeWaiter
	counters []*counter
}

type edgeWaiter struct {
	edge hw.Edge
	ev   coop.Event
	err  error
}

// Noise of a floating input: the level holds for a random 1–25 ms, then
// takes a random value, so a poll every few tens of milliseconds sees
// phantom changes and an edge interrupt fires now and then.
const (
	noiseMinHold = time.Millisecond
	noiseSpread  = 24 * time.Millisecond
)

func (p *pin) noiseHold() time.Duration {
	if p.noiseRng == nil {
		p.noiseRng = p.b.Rand("noise:" + p.name)
	}
	return noiseMinHold + time.Duration(p.noiseRng.Int64N(int64(noiseSpread/time.Microsecond)+1))*time.Microsecond
}

func (p *pin) noiseBit() bool {
	if p.noiseRng == nil {
		p.noiseRng = p.b.Rand("noise:" + p.name)
	}
	return p.noiseRng.IntN(2) == 1
}

// resolve computes the level the net settles to and whether it floats.
// Drivers beat pulls; a net driven both ways reads low (GND wins the
// short); pulls both ways read low too.
func (p *pin) resolve() (level, floating bool) {
	if p.role == roleOutput || p.role == rolePWM {
		return p.out, false
	}
	if p.role == roleADC {
		return false, false
	}
	var low, high, pullLow, pullHigh bool
	for _, w := range p.wires {
		switch w.drive {
		case Low:
			low = true
		case High:
			high = true
		}
		switch w.pull {
		case Low:
			pullLow = true
		case High:
			pullHigh = true
		}
	}
	switch p.pull {
	case hw.PullUp:
		pullHigh = true
	case hw.PullDown:
		pullLow = true
	}
	switch {
	case low:
		return false, false
	case high:
		return true, false
	case pullLow:
		return false, false
	case pullHigh:
		return true, false
	}
	return false, true
}

// ensure computes the pin's level the first time it matters.
func (p *pin) ensure() {
	if !p.known {
		p.refresh()
	}
}

// update recomputes the level after a change of role, pull, output level
// or drive, and announces a change. A pin nobody has used or read yet
// stays silent: it enters the trace when the program takes it or someone
// reads it.
func (p *pin) update() {
	if p.known || p.role != roleNone {
		p.refresh()
	}
}

func (p *pin) refresh() {
	now := p.b.now()
	if p.floating {
		p.advanceNoise(now)
	}
	level, floating := p.resolve()
	if floating {
		if !p.known {
			level = p.noiseBit()
		} else {
			level = p.level // a floating net holds its charge a while
		}
		if !p.floating || !p.known {
			p.noiseUntil = now + p.noiseHold()
		}
	}
	p.floating = floating
	p.setLevel(now, level)
	p.schedNoise()
	if floating && p.role == roleInput && len(p.wires) > 0 && !p.warned {
		p.warned = true
		p.b.emitWarning(now, p.floatingText())
	}
}

// floatingText says that the input floats with parts on it, and what to do.
func (p *pin) floatingText() string {
	parts := make([]string, len(p.wires))
	for i, w := range p.wires {
		parts[i] = w.part.Name()
	}
	return p.name + " (" + strings.Join(parts, ", ") + ") floats: no part drives it now and nothing pulls it, so it reads noise; " +
		"give the input a pull: hw.PullUp for a button to GND, hw.PullDown for one to 3V3"
}

// read returns the level now, catching up with noise on a floating pin.
func (p *pin) read() bool {
	p.ensure()
	if p.floating {
		p.advanceNoise(p.b.now())
	}
	return p.level
}

// advanceNoise plays the noise segments of a floating pin that ended by
// now. When nothing listens to the pin's edges this runs lazily, at the
// next read, and the changes are still reported at their own times.
func (p *pin) advanceNoise(now time.Duration) {
	for p.floating && p.noiseUntil <= now {
		at := p.noiseUntil
		level := p.noiseBit()
		p.noiseUntil = at + p.noiseHold()
		p.setLevel(at, level)
	}
}

// listening reports whether someone needs the pin's edges as they happen.
func (p *pin) listening() bool {
	return p.irq != nil || len(p.waiters) > 0 || len(p.counters) > 0
}

// schedNoise keeps a timer at the end of the current noise segment while a
// floating pin is listened to, so its edges happen on time.
func (p *pin) schedNoise() {
	want := p.floating && p.listening()
	if p.noiseTimer != nil {
		if want && p.noiseTimer.When() == p.noiseUntil {
			return
		}
		p.noiseTimer.Cancel()
		p.noiseTimer = nil
	}
	if want {
		p.noiseTimer = p.b.loop.CallAt(p.noiseUntil, func() {
			p.noiseTimer = nil
			p.advanceNoise(p.b.now())
			p.schedNoise()
		})
	}
}

// setLevel records a level at time at and, if it changed, dispatches the
// edge.
func (p *pin) setLevel(at time.Duration, level bool) {
	if p.known && level == p.level {
		return
	}
	first := !p.known
	p.known = true
	p.level = level
	p.b.emitPin(at, p.name, level)
	if first {
		return
	}
	e := hw.EdgeFalling
	if level {
		e = hw.EdgeRising
	}
	p.edge(e)
}

// edge dispatches an edge to counters, waiting tasks and the interrupt
// handler.
func (p *pin) edge(e hw.Edge) {
	for _, c := range p.counters {
		if c.edge.Has(e) {
			c.n++
		}
	}
	if len(p.waiters) > 0 {
		kept := p.waiters[:0]
		for _, w := range p.waiters {
			if w.edge.Has(e) {
				w.ev.Set()
			} else {
				kept = append(kept, w)
			}
		}
		clear(p.waiters[len(kept):])
		p.waiters = kept
	}
	if p.irq != nil && p.irqEdge.Has(e) {
		h := p.irq
		p.b.interrupt(p.name, e.String()+" edge", func() { h(e) })
	}
}

// claim takes the pin for a role, or reports it busy.
func (p *pin) claim(r role, user string) error {
	if p.role != roleNone && (p.role != r || p.user != user) {
		return &hw.PinError{Board: p.b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: p.user}
	}
	if p.role == roleNone {
		p.role, p.user = r, user
		p.gen++
		p.handle = nil
		p.out = false
		p.pull = hw.PullNone
	}
	return nil
}

var errPinClosed = errors.New("sim: pin closed")

// release frees the pin: it stops driving, loses its pull and handler, and
// wakes tasks waiting for its edges with an error.
func (p *pin) release() {
	if p.role == roleNone {
		return
	}
	if p.role == rolePWM {
		p.b.emitValue(p.b.now(), p.name+".duty", 0)
	}
	p.role, p.user = roleNone, ""
	p.gen++
	p.handle = nil
	p.pull = hw.PullNone
	p.irq, p.irqEdge = nil, 0
	for _, w := range p.waiters {
		w.err = errPinClosed
		w.ev.Set()
	}
	p.waiters = nil
	p.counters = nil
	wasOut := p.out
	p.out = false
	p.update()
	if wasOut {
		p.notify()
	}
}

// take updates the level of a pin the program has just taken, and tells
// observers the level even if it did not change, so that a trace shows the
// pin from that moment.
func (p *pin) take() {
	known, old := p.known, p.level
	p.update()
	if known && old == p.level {
		p.b.emitPin(p.b.now(), p.name, p.level)
	}
}

// Output implements [hw.Board]: it configures pin as an output, starting
// low.
func (b *Board) Output(name string) (hw.Output, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if err := p.claim(roleOutput, "output"); err != nil {
		return nil, err
	}
	if o, ok := p.handle.(*outPin); ok {
		return o, nil
	}
	o := &outPin{p: p, gen: p.gen}
	p.handle = o
	p.take()
	return o, nil
}

// Input implements [hw.Board]: it configures pin as an input with pull.
func (b *Board) Input(name string, pull hw.Pull) (hw.InputPin, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if err := p.claim(roleInput, "input"); err != nil {
		return nil, err
	}
	in, ok := p.handle.(*inPin)
	if !ok {
		in = &inPin{p: p, gen: p.gen}
		p.handle = in
	}
	p.pull = pull
	if ok {
		p.update()
	} else {
		p.take()
	}
	return in, nil
}

// outPin is a pin configured as an output.
type outPin struct {
	p   *pin
	gen uint64
}

func (o *outPin) check() {
	if o.gen != o.p.gen {
		panic("sim: output " + o.p.name + " used after Close or after the pin was taken again")
	}
}

// Set drives the pin.
func (o *outPin) Set(high bool) {
	o.check()
	if o.p.out == high {
		return
	}
	o.p.out = high
	o.p.update()
}

// Get returns the level the pin is driven to.
func (o *outPin) Get() bool { o.check(); return o.p.out }

// Toggle inverts the level.
func (o *outPin) Toggle() { o.Set(!o.Get()) }

// Close frees the pin; it stops driving and floats unless pulled.
func (o *outPin) Close() error {
	if o.gen == o.p.gen {
		o.p.release()
	}
	return nil
}

// String returns the pin's name.
func (o *outPin) String() string { return o.p.name }

// inPin is a pin configured as an input.
type inPin struct {
	p   *pin
	gen uint64
}

func (in *inPin) check() {
	if in.gen != in.p.gen {
		panic("sim: input " + in.p.name + " used after Close or after the pin was taken again")
	}
}

// Get returns the level now.
func (in *inPin) Get() bool { in.check(); return in.p.read() }

// SetInterrupt sets the pin's edge handler. On a closed pin it returns an
// error and changes nothing.
func (in *inPin) SetInterrupt(edge hw.Edge, handler func(hw.Edge)) error {
	if in.gen != in.p.gen {
		return fmt.Errorf("SetInterrupt on input %s: %w", in.p.name, errPinClosed)
	}
	p := in.p
	if p.floating {
		p.advanceNoise(p.b.now())
	}
	if handler == nil || edge&hw.EdgeBoth == 0 {
		p.irq, p.irqEdge = nil, 0
	} else {
		p.irq, p.irqEdge = handler, edge&hw.EdgeBoth
	}
	p.schedNoise()
	return nil
}

// WaitEdge waits for the next edge in edge. On a closed pin it returns an
// error at once.
func (in *inPin) WaitEdge(self *coop.Task, edge hw.Edge) error {
	if in.gen != in.p.gen {
		return fmt.Errorf("WaitEdge on input %s: %w", in.p.name, errPinClosed)
	}
	p := in.p
	if edge&hw.EdgeBoth == 0 {
		edge = hw.EdgeBoth
	}
	p.ensure()
	if p.floating {
		p.advanceNoise(p.b.now())
	}
	w := &edgeWaiter{edge: edge}
	p.waiters = append(p.waiters, w)
	p.schedNoise()
	if err := w.ev.Wait(self); err != nil {
		for i, x := range p.waiters {
			if x == w {
				p.waiters = append(p.waiters[:i], p.waiters[i+1:]...)
				break
			}
		}
		p.schedNoise()
		return err
	}
	return w.err
}

// Close frees the pin.
func (in *inPin) Close() error {
	if in.gen == in.p.gen {
		in.p.release()
	}
	return nil
}

// String returns the pin's name.
func (in *inPin) String() string { return in.p.name }
