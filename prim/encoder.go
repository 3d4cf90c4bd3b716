package prim

import (
	"sync/atomic"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// EncoderConfig configures an [Encoder]. The zero value counts every
// transition, without limits or callback.
type EncoderConfig struct {
	// Divisor is how many transitions make one step of the value: 4 for
	// most encoders with detents (one full cycle of both phases per
	// click). Zero means 1. The value moves when the transition count
	// crosses halfway between two multiples of Divisor, so an encoder
	// resting on a detent does not jitter.
	Divisor int
	// Min and Max limit the value when Max > Min. Turning past a limit
	// does not wind up: turning back moves the value off the limit at
	// once.
	Min, Max int
	// OnChange runs on the loop when the value changes, with the new value
	// and the change. Changes that come faster than the loop runs its
	// callbacks are reported together. It must not block.
	OnChange func(value, delta int)
}

// Encoder reads a quadrature (incremental rotary) encoder on two pins with
// edge interrupts (Hinch's Encoder). Each change of either phase is one
// transition; phase A leading phase B (A falls, then B falls, then A rises,
// then B rises) counts up.
//
// The phases are followed by the edges the handlers are given, in the
// order they came, not by reading the pins when a handler runs: handlers
// run once the step running at the edge yields (on a board as in the
// simulator), by when an encoder turned fast has moved on, and reading
// both phases then would see a state skipped with no direction. An edge
// that leaves its phase at the level it had (a pulse shorter than the
// interrupt latency, reported twice at the level read, or an edge lost) is
// counted in Skipped.
//
// The interrupt handlers only count; the value, its limits and OnChange
// are worked out on the loop.
type Encoder struct {
	l       *coop.Loop
	a, b    hw.InputPin
	cfg     EncoderConfig
	count   atomic.Int64  // transitions, written in interrupt context
	skipped atomic.Uint64 // edges that left their phase as it was
	state   atomic.Uint32 // phases as the edges left them, a<<1 | b
	pending atomic.Bool   // an update is scheduled on the loop
	update  func()        // e.refresh, bound once

	seen    int64 // count at the last refresh, divided
	value   int
	changed coop.Event // set by a change, cleared by Next
	stopped bool
}

// steps[old<<2|new] is the transition from phases old to new when one
// phase changed: +1 forward, -1 backward. Forward is
// 00 → 10 → 11 → 01 → 00 (a<<1 | b, A leading).
var steps = [16]int8{
	0b00_10: +1, 0b10_11: +1, 0b11_01: +1, 0b01_00: +1,
	0b10_00: -1, 0b11_10: -1, 0b01_11: -1, 0b00_01: -1,
}

// Phase bits of Encoder.state.
const (
	phaseA uint32 = 0b10
	phaseB uint32 = 0b01
)

// NewEncoder starts decoding the encoder whose phases are on pins a and b,
// in loop l, by setting both pins' interrupt handlers (replacing what they
// had). Configure the pins' pulls before. The error is the pins'.
func NewEncoder(l *coop.Loop, a, b hw.InputPin, cfg EncoderConfig) (*Encoder, error) {
	if cfg.Divisor < 1 {
		cfg.Divisor = 1
	}
	e := &Encoder{l: l, a: a, b: b, cfg: cfg}
	e.update = e.refresh
	e.state.Store(e.phases())
	e.value = e.clamp(0)
	if err := a.SetInterrupt(hw.EdgeBoth, func(ed hw.Edge) { e.edge(phaseA, ed) }); err != nil {
		return nil, err
	}
	if err := b.SetInterrupt(hw.EdgeBoth, func(ed hw.Edge) { e.edge(phaseB, ed) }); err != nil {
		a.SetInterrupt(0, nil)
		return nil, err
	}
	return e, nil
}

func (e *Encoder) phases() uint32 {
	var s uint32
	if e.a.Get() {
		s |= 0b10
	}
	if e.b.Get() {
		s |= 0b01
	}
	return s
}

// edge is the interrupt handler of the pin of phase bit: it moves that
// phase to the level the edge left, so that edges handled late still give
// each transition in turn.
func (e *Encoder) edge(bit uint32, ed hw.Edge) {
	var old, s uint32
	for {
		old = e.state.Load()
		s = old &^ bit
		if ed == hw.EdgeRising {
			s |= bit
		}
		if s == old {
			e.skipped.Add(1)
			return
		}
		if e.state.CompareAndSwap(old, s) {
			break
		}
	}
	e.count.Add(int64(steps[old<<2|s]))
	if e.pending.CompareAndSwap(false, true) {
		e.l.CallSoon(e.update)
	}
}

// divide rounds n/d to the nearest integer, halves away from zero.
func divide(n int64, d int) int64 {
	q, r := n/int64(d), n%int64(d)
	if 2*abs(r) >= int64(d) {
		if n < 0 {
			q--
		} else {
			q++
		}
	}
	return q
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (e *Encoder) clamp(v int) int {
	if e.cfg.Max > e.cfg.Min {
		v = min(max(v, e.cfg.Min), e.cfg.Max)
	}
	return v
}

func (e *Encoder) refresh() {
	e.pending.Store(false)
	if e.stopped {
		return
	}
	steps := divide(e.count.Load(), e.cfg.Divisor)
	moved := int(steps - e.seen)
	e.seen = steps
	if moved == 0 {
		return
	}
	v := e.clamp(e.value + moved)
	if v == e.value {
		return
	}
	delta := v - e.value
	e.value = v
	e.changed.Set()
	if e.cfg.OnChange != nil {
		e.cfg.OnChange(v, delta)
	}
}

// Value returns the encoder's value: transitions divided by Divisor, moved
// by Set, within the limits.
func (e *Encoder) Value() int { return e.value }

// Set sets the value (within the limits), without calling OnChange. Later
// turns move it from there.
func (e *Encoder) Set(v int) { e.value = e.clamp(v) }

// Count returns the transitions counted: forward ones minus backward ones,
// before division and limits.
func (e *Encoder) Count() int64 { return e.count.Load() }

// Skipped returns how many edges left their phase at the level it had, and
// so were not counted: a pulse shorter than the interrupt latency, or an
// edge lost (hw/machine's Board.DroppedEdges), a sign that the contacts
// bounce or the encoder turns faster than the interrupts are taken.
func (e *Encoder) Skipped() uint64 { return e.skipped.Load() }

// Next waits, from inside the task self, until the value has changed since
// the previous Next returned (or since the encoder was made), and returns
// the value. Changes in between are not queued: Next returns the latest
// value, once. It is meant for one task. Once the encoder is stopped it
// returns the value and ErrStopped; if self is cancelled,
// coop.ErrCancelled.
func (e *Encoder) Next(self *coop.Task) (int, error) {
	if err := e.changed.Wait(self); err != nil {
		return e.value, err
	}
	if e.stopped {
		return e.value, ErrStopped
	}
	e.changed.Clear()
	return e.value, nil
}

// Stop removes both pins' interrupt handlers (SetInterrupt(0, nil), whose
// errors are ignored) and reports whether the encoder was running. The value
// stays readable; a task in Next gets ErrStopped.
func (e *Encoder) Stop() bool {
	if e.stopped {
		return false
	}
	e.stopped = true
	e.a.SetInterrupt(0, nil)
	e.b.SetInterrupt(0, nil)
	e.changed.Set()
	return true
}
