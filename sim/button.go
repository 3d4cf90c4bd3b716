package sim

import (
	"fmt"
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
	partWire
	cfg     ButtonConfig
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

// DefaultClick is how long a click holds a button down unless told.
const DefaultClick = 100 * time.Millisecond

// ButtonType describes the push button: Wokwi's wokwi-pushbutton and
// wokwi-pushbutton-6mm.
func ButtonType() *PartType {
	hold := Arg{Name: "for", Kind: KindDuration, Doc: "how long the button is held down"}
	click := hold
	click.Optional, click.Default = true, DefaultClick.String()
	return &PartType{
		Type:    "wokwi-pushbutton",
		Aliases: []string{"wokwi-pushbutton-6mm"},
		Kind:    "button",
		Title:   "a button",
		Pins: []PinSpec{
			{Name: "1.l", Same: "1.r", Doc: "one contact: on a board pin, or GND or 3V3"},
			{Name: "2.l", Same: "2.r", Doc: "the other contact"},
			{Name: "1.r", Same: "1.l"},
			{Name: "2.r", Same: "2.l"},
		},
		Attrs: []Attr{
			{Name: "bounce", Kind: KindChoice, Choices: []string{"1", "0", ""}, Default: "1",
				Doc: `"1": the contacts bounce for ` + DefaultBounce.String() + ` (coopBounce sets the time); "0": a perfect contact`},
			{Name: "coopBounce", Kind: KindDuration, Optional: true, Doc: "how long the contacts bounce"},
		},
		State: []Field{{Name: "pressed", Kind: KindBool, Show: ShowSwitch, True: "down", False: "up", Doc: "held down"}},
		Inputs: []Input{
			{Name: "press", Doc: "push the button and keep it down"},
			{Name: "release", Doc: "let the button go"},
			{Name: "click", Doc: "push the button and let it go after a while", Args: []Arg{click}, Lasts: "for"},
			{Name: "hold", Doc: "push the button and let it go after a long while", Args: []Arg{hold}, Lasts: "for"},
		},
		Controls: []Arg{{Name: "pressed", Kind: KindBool, Doc: "1: pressed, 0: released"}},
		Hookup: func(net func(string) Net) (Hookup, error) {
			s1, s2 := net("1.l"), net("2.l")
			if s1.GPIO == "" {
				s1, s2 = s2, s1
			}
			switch {
			case s1.GPIO == "":
				return Hookup{}, errNoBoardPin()
			case s2.GND != "":
				return Hookup{Pin: s1.GPIO, To: Low}, nil
			case s2.Supply != "":
				return Hookup{Pin: s1.GPIO, To: High}, nil
			case !s2.Anchored():
				return Hookup{}, notWired("has its other side unconnected: wire it to GND (read %s with a pull-up) or to 3V3 (with a pull-down)", s1.GPIO)
			}
			return Hookup{}, miswired("joins %s and %s: wire one side to a board pin and the other to GND or 3V3", s1, s2)
		},
		New: func(name string, attrs AttrValues, h Hookup) (Part, error) {
			bounce := DefaultBounce
			if attrs.Text("bounce") == "0" {
				bounce = 0
			}
			if attrs.Has("coopBounce") {
				v := attrs.Duration("coopBounce")
				if bounce == 0 && v > 0 {
					return nil, fmt.Errorf("bounce \"0\" turns bouncing off, yet coopBounce is %v", v)
				}
				bounce = v
			}
			return NewButton(ButtonConfig{Name: name, To: h.To, Bounce: bounce}), nil
		},
	}
}

// Name returns the button's name.
func (b *Button) Name() string { return b.cfg.Name }

// Type implements [Described].
func (b *Button) Type() *PartType { return ButtonType() }

// State implements [Described]: "pressed".
func (b *Button) State() State { return State{"pressed": b.pressed} }

// Do implements [Actor]: press, release, click and hold (for "for"),
// and set-control "pressed".
func (b *Button) Do(input string, args Args) error {
	switch input {
	case "press":
		b.Press()
	case "release":
		b.Release()
	case "click", "hold":
		b.Press()
		b.ReleaseAt(b.w.Now() + args.Duration("for"))
	case "set-control":
		if args.Bool("pressed") {
			b.Press()
		} else {
			b.Release()
		}
	}
	return nil
}

// Connect implements [Part].
func (b *Button) Connect(w *Wire) error {
	if err := b.attach(w, "button"); err != nil {
		return err
	}
	b.rng = w.Board().Rand("button:" + b.cfg.Name)
	return nil
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
