package sim

import (
	"errors"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/coopgo/coop"
)

// ButtonConfig configures a [Button].
type ButtonConfig struct {
	Name string // the part's name, as in a wiring file ("btn1")
	// To is the rail a pressed button connects the pin to: Low (GND, the
	// seeds' wiring, read with a pull-up) or High (3V3, read with a
	// pull-down). Zero (Z) means Low.
	To Level
	// Bounce is how long the contacts bounce after each press and
	// release: they break and make again 1–3 times at random instants
	// within it before settling. Zero means a perfect contact;
	// DefaultBounce is typical. The instants come from the board's seed
	// and the button's name.
	Bounce time.Duration
}

// Button is a push button between a pin and GND or 3V3. A released button
// does not drive the pin: without a pull it floats.
type Button struct {
	cfg     ButtonConfig
	w       *Wire
	rng     *rand.Rand
	pressed bool
	pending []*coop.Handle
}

// NewButton returns a button to attach with [Board.Attach].
func NewButton(cfg ButtonConfig) *Button {
	if cfg.To == Z {
		cfg.To = Low
	}
	return &Button{cfg: cfg}
}

// Name returns the button's name.
func (b *Button) Name() string { return b.cfg.Name }

// Connect implements [Part].
func (b *Button) Connect(w *Wire) error {
	if b.w != nil {
		return errors.New("button is attached already")
	}
	b.w = w
	b.rng = w.Board().Rand("button:" + b.cfg.Name)
	return nil
}

// Pin returns the pin the button is on, or "" if it is not attached.
func (b *Button) Pin() string {
	if b.w == nil {
		return ""
	}
	return b.w.Pin()
}

// Pressed reports whether the button is held down (its contacts may still
// be bouncing).
func (b *Button) Pressed() bool { return b.pressed }

// Press pushes the button now. Pressing a pressed button does nothing.
func (b *Button) Press() { b.set(true) }

// Release lets the button go now. Releasing a released button does
// nothing.
func (b *Button) Release() { b.set(false) }

// PressAt pushes the button at board time at.
func (b *Button) PressAt(at time.Duration) { b.w.Loop().CallAt(at, b.Press) }

// ReleaseAt lets the button go at board time at.
func (b *Button) ReleaseAt(at time.Duration) { b.w.Loop().CallAt(at, b.Release) }

// ClickAt pushes the button at board time at and releases it hold later:
// a click for a short hold, a long press for a long one.
func (b *Button) ClickAt(at, hold time.Duration) {
	b.PressAt(at)
	b.ReleaseAt(at + hold)
}

func (b *Button) set(pressed bool) {
	if b.w == nil {
		panic("sim: button " + b.cfg.Name + " is not attached to a board")
	}
	if b.pressed == pressed {
		return
	}
	b.pressed = pressed
	for _, h := range b.pending {
		h.Cancel()
	}
	b.pending = b.pending[:0]
	b.contact(pressed)
	if b.cfg.Bounce <= 0 {
		return
	}
	now := b.w.Now()
	for i, at := range b.bounceTimes() {
		closed := pressed == (i%2 == 1) // break first, then make, … ending as pressed
		b.pending = append(b.pending, b.w.Loop().CallAt(now+at, func() { b.contact(closed) }))
	}
}

// bounceTimes draws an even number (2–6) of distinct instants within the
// bounce span, in increasing order, whole microseconds.
func (b *Button) bounceTimes() []time.Duration {
	span := int64(b.cfg.Bounce / time.Microsecond)
	if span < 6 {
		span = 6
	}
	n := 2 * (1 + b.rng.IntN(3))
	times := make([]time.Duration, 0, n)
	for len(times) < n {
		t := time.Duration(1+b.rng.Int64N(span)) * time.Microsecond
		if !slices.Contains(times, t) {
			times = append(times, t)
		}
	}
	slices.Sort(times)
	return times
}

func (b *Button) contact(closed bool) {
	if closed {
		b.w.Drive(b.cfg.To)
	} else {
		b.w.Drive(Z)
	}
}

// PullConfig configures a [Resistor].
type PullConfig struct {
	Name string
	To   Level // Low for a pull-down, High for a pull-up
}

// Resistor is an external pull resistor on a pin (the 10 kΩ pull-up a
// button or sensor module may carry).
type Resistor struct {
	cfg PullConfig
	w   *Wire
}

// NewResistor returns a pull resistor to attach with [Board.Attach].
func NewResistor(cfg PullConfig) *Resistor { return &Resistor{cfg: cfg} }

// Name returns the resistor's name.
func (r *Resistor) Name() string { return r.cfg.Name }

// Connect implements [Part].
func (r *Resistor) Connect(w *Wire) error {
	if r.w != nil {
		return errors.New("resistor is attached already")
	}
	r.w = w
	w.Pull(r.cfg.To)
	return nil
}
