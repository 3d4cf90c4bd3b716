//go:build tinygo && (pico || pico2)

package machine

import (
	"errors"
	"machine"
	"slices"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// role is what a pin is used as.
type role uint8

const (
	roleNone role = iota
	roleOutput
	roleInput // Input, Keys, Counter: user says which
)

// pin is one GPIO, on the loop's side.
type pin struct {
	b    *Board
	gpio machine.Pin
	name string // "GP14"

	role   role
	user   string // "output", "input", "keypad", "counter": for ErrPinBusy
	gen    uint32 // bumped at every claim and release: stale handles panic
	handle any    // the *outPin or *inPin handed out while claimed
	out    bool   // level driven as an output

	handler      func(hw.Edge)
	handlerEdge  hw.Edge
	handlerAfter uint32 // ring position when the handler was set
	waiters      []*edgeWaiter
	counter      *counter
}

type edgeWaiter struct {
	edge  hw.Edge
	after uint32 // ring position when the wait began: earlier edges do not count
	ev    coop.Event
	err   error
}

var errPinClosed = errors.New("machine: pin closed")

// claim takes the pin for a role, or reports it busy.
func (p *pin) claim(name string, r role, user string) error {
	if p.role != roleNone && (p.role != r || p.user != user) {
		return &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrPinBusy, Have: p.user}
	}
	if p.role == roleNone {
		p.role, p.user = r, user
		p.gen++
		p.handle = nil
	}
	return nil
}

// release frees the pin: it stops driving and floats, loses its handler
// and counter, and wakes tasks waiting for its edges with an error.
func (p *pin) release() {
	if p.role == roleNone {
		return
	}
	p.disarm()
	p.role, p.user = roleNone, ""
	p.gen++
	p.handle = nil
	p.handler, p.handlerEdge = nil, 0
	for _, w := range p.waiters {
		w.err = errPinClosed
		w.ev.Set()
	}
	p.waiters = nil
	if c := p.counter; c != nil {
		p.counter = nil
		p.b.dropCounter(c)
	}
	p.gpio.Configure(machine.PinConfig{Mode: machine.PinInput})
}

// configureInput makes the pin an input with pull.
func (p *pin) configureInput(pull hw.Pull) {
	mode := machine.PinInput
	switch pull {
	case hw.PullUp:
		mode = machine.PinInputPullup
	case hw.PullDown:
		mode = machine.PinInputPulldown
	}
	p.gpio.Configure(machine.PinConfig{Mode: mode})
}

// edge dispatches an edge the ISR queued at ring position pos: it wakes
// the tasks waiting for it and calls the handler.
func (p *pin) edge(e hw.Edge, pos uint32) {
	if len(p.waiters) > 0 {
		kept := p.waiters[:0]
		for _, w := range p.waiters {
			if w.edge.Has(e) && after(pos, w.after) {
				w.ev.Set()
			} else {
				kept = append(kept, w)
			}
		}
		clear(p.waiters[len(kept):])
		if len(kept) != len(p.waiters) {
			p.waiters = kept
			p.rearm()
		}
	}
	if h := p.handler; h != nil && p.handlerEdge.Has(e) && after(pos, p.handlerAfter) {
		h(e)
	}
}

// after reports whether ring position pos comes at or after mark,
// positions wrapping around.
func after(pos, mark uint32) bool { return int32(pos-mark) >= 0 }

// Output implements hw.Board: it configures the pin as an output, starting
// low.
func (b *Board) Output(name string) (hw.Output, error) {
	if wireless && name == "LED" {
		return b.ledOutput()
	}
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if err := p.claim(name, roleOutput, "output"); err != nil {
		return nil, err
	}
	if o, ok := p.handle.(*outPin); ok {
		return o, nil
	}
	p.out = false
	p.gpio.Low() // before it drives, so it never glitches high
	p.gpio.Configure(machine.PinConfig{Mode: machine.PinOutput})
	o := &outPin{p: p, gen: p.gen}
	p.handle = o
	return o, nil
}

// Input implements hw.Board: it configures the pin as an input with pull.
// Asking again changes the pull.
func (b *Board) Input(name string, pull hw.Pull) (hw.InputPin, error) {
	if wireless && name == "LED" {
		return nil, &hw.PinError{Board: boardName, Pin: name, Err: hw.ErrPinBusy, Have: "the LED output of the CYW43439 Wi-Fi chip"}
	}
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if err := p.claim(name, roleInput, "input"); err != nil {
		return nil, err
	}
	p.configureInput(pull)
	in, ok := p.handle.(*inPin)
	if !ok {
		in = &inPin{p: p, gen: p.gen}
		p.handle = in
	}
	return in, nil
}

// outPin is a pin configured as an output.
type outPin struct {
	p   *pin
	gen uint32
}

func (o *outPin) check() {
	if o.gen != o.p.gen {
		panic("machine: output " + o.p.name + " used after Close or after the pin was taken again")
	}
}

// Set drives the pin high (true) or low (false).
func (o *outPin) Set(high bool) {
	o.check()
	o.p.out = high
	o.p.gpio.Set(high)
}

// Get returns the level the pin is driven to.
func (o *outPin) Get() bool { o.check(); return o.p.out }

// Toggle inverts the level.
func (o *outPin) Toggle() { o.Set(!o.Get()) }

// Close frees the pin: it stops driving and floats.
func (o *outPin) Close() error {
	if o.gen == o.p.gen {
		o.p.release()
	}
	return nil
}

// String returns the pin's name, such as "GP15".
func (o *outPin) String() string { return o.p.name }

// inPin is a pin configured as an input.
type inPin struct {
	p   *pin
	gen uint32
}

func (in *inPin) check() {
	if in.gen != in.p.gen {
		panic("machine: input " + in.p.name + " used after Close or after the pin was taken again")
	}
}

// Get returns the level now.
func (in *inPin) Get() bool { in.check(); return in.p.gpio.Get() }

// SetInterrupt sets the pin's edge handler, which runs on the loop between
// task steps (see the package doc, Interrupts). A nil handler or a zero
// edge removes it. On a closed pin it returns an error and changes
// nothing.
func (in *inPin) SetInterrupt(edge hw.Edge, handler func(hw.Edge)) error {
	if in.gen != in.p.gen {
		return errPinClosed
	}
	p := in.p
	edge &= hw.EdgeBoth
	if handler == nil || edge == 0 {
		p.handler, p.handlerEdge = nil, 0
	} else {
		p.handler, p.handlerEdge = handler, edge
		p.handlerAfter = p.b.irq.head.Load()
	}
	if err := p.rearm(); err != nil {
		p.handler, p.handlerEdge = nil, 0
		p.rearm()
		return err
	}
	return nil
}

// WaitEdge waits, from inside the task self, for the next edge in edge
// (zero means both) after the call. It returns coop.ErrCancelled if self
// is cancelled, and an error if the pin is closed meanwhile.
func (in *inPin) WaitEdge(self *coop.Task, edge hw.Edge) error {
	if in.gen != in.p.gen {
		return errPinClosed
	}
	p := in.p
	edge &= hw.EdgeBoth
	if edge == 0 {
		edge = hw.EdgeBoth
	}
	w := &edgeWaiter{edge: edge, after: p.b.irq.head.Load()}
	p.waiters = append(p.waiters, w)
	if err := p.rearm(); err != nil {
		p.dropWaiter(w)
		return err
	}
	if err := w.ev.Wait(self); err != nil {
		if p.dropWaiter(w) {
			p.rearm()
		}
		return err
	}
	return w.err
}

// dropWaiter removes w from the pin's waiters and reports whether it was
// there.
func (p *pin) dropWaiter(w *edgeWaiter) bool {
	for i, x := range p.waiters {
		if x == w {
			p.waiters = slices.Delete(p.waiters, i, i+1)
			return true
		}
	}
	return false
}

// Close frees the pin; tasks waiting for its edges get an error.
func (in *inPin) Close() error {
	if in.gen == in.p.gen {
		in.p.release()
	}
	return nil
}

// String returns the pin's name, such as "GP14".
func (in *inPin) String() string { return in.p.name }
