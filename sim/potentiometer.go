package sim

import "time"

// PotentiometerConfig configures a [Potentiometer].
type PotentiometerConfig struct {
	Name string // the part's name, as in a wiring file ("pot1")
	// Position is where the knob starts, 0 (the GND end) to 1 (the VCC
	// end).
	Position float64
	// Reversed is for a knob wired with VCC and GND swapped: turning it
	// up lowers the voltage.
	Reversed bool
}

// Potentiometer is a knob on an analogue input: its wiper (SIG) puts 0 to
// 3.3 V on the pin as it turns from one end to the other, which an
// [hw.ADC] reads. A scenario or a person turns it, at once or along a ramp.
type Potentiometer struct {
	partWire
	cfg PotentiometerConfig
	pos func(at time.Duration) float64 // the position over board time
}

// NewPotentiometer returns a potentiometer to attach with [Board.Attach].
func NewPotentiometer(cfg PotentiometerConfig) *Potentiometer {
	cfg.Position = min(max(cfg.Position, 0), 1)
	p := &Potentiometer{cfg: cfg}
	p.pos = ramp(cfg.Position, cfg.Position, 0, 0)
	return p
}

// PotentiometerType describes the knob: Wokwi's wokwi-potentiometer (and
// wokwi-slide-potentiometer, which works the same).
func PotentiometerType() *PartType {
	pos := Arg{Name: "position", Kind: KindNumber, Min: 0, Max: 1, Doc: "0: the GND end, 1: the VCC end"}
	from, to := pos, pos
	from.Name, from.Optional, from.Doc = "from", true, "the position to start from; where it is now if left out"
	to.Name, to.Doc = "to", "the position to end at"
	return &PartType{
		Type:    "wokwi-potentiometer",
		Aliases: []string{"wokwi-slide-potentiometer"},
		Kind:    "potentiometer",
		Title:   "a potentiometer",
		Pins: []PinSpec{
			{Name: "GND", Power: true, Doc: "one end: GND (or 3V3 for a reversed knob)"},
			{Name: "SIG", Doc: "the wiper: on an analogue input"},
			{Name: "VCC", Power: true, Doc: "the other end: 3V3"},
		},
		Attrs: []Attr{{Name: "value", Kind: KindNumber, Default: "0", Min: 0, Max: 1023,
			Doc: "where the knob starts, 0 to 1023 as Wokwi writes it"}},
		State: []Field{{Name: "position", Kind: KindNumber, Min: 0, Max: 1, Digits: 2, Doc: "where the knob is"}},
		Inputs: []Input{{Name: "turn", Doc: "turn the knob, at once or in a straight line over a while",
			Args: []Arg{from, to, {Name: "over", Kind: KindDuration, Optional: true, Doc: "how long the turn takes; at once if left out"}}}},
		Controls: []Arg{pos},
		Hookup: func(net func(string) Net) (Hookup, error) {
			sig := net("SIG")
			if sig.GPIO == "" {
				return Hookup{}, notWired("has pin SIG unconnected: wire it to an analogue input")
			}
			rev := net("VCC").GND != "" && net("GND").Supply != ""
			return Hookup{Pin: sig.GPIO, Inverted: rev, Needs: CapADC}, nil
		},
		New: func(name string, attrs AttrValues, h Hookup) (Part, error) {
			return NewPotentiometer(PotentiometerConfig{Name: name, Position: attrs.Number("value") / 1023, Reversed: h.Inverted}), nil
		},
	}
}

// Name returns the knob's name.
func (p *Potentiometer) Name() string { return p.cfg.Name }

// Type implements [Described].
func (p *Potentiometer) Type() *PartType { return PotentiometerType() }

// State implements [Described]: "position", 0 to 1.
func (p *Potentiometer) State() State { return State{"position": p.Position()} }

// Connect implements [Part]: the wiper puts its voltage on the pin.
func (p *Potentiometer) Connect(w *Wire) error {
	if err := p.attach(w, "potentiometer"); err != nil {
		return err
	}
	w.Analog(func(at time.Duration) float64 {
		v := p.pos(at)
		if p.cfg.Reversed {
			v = 1 - v
		}
		return v
	})
	return nil
}

// Position returns where the knob is now, 0 to 1.
func (p *Potentiometer) Position() float64 {
	if p.w == nil {
		return p.pos(0)
	}
	return p.pos(p.w.Now())
}

// Turn moves the knob to position (0 to 1, clamped) now.
func (p *Potentiometer) Turn(position float64) { p.TurnOver(p.Position(), position, 0) }

// TurnOver moves the knob in a straight line from from to to over d,
// starting now (clamped to 0 to 1).
func (p *Potentiometer) TurnOver(from, to float64, d time.Duration) {
	var now time.Duration
	if p.w != nil {
		now = p.w.Now()
	}
	p.pos = ramp(min(max(from, 0), 1), min(max(to, 0), 1), now, d)
}

// Do implements [Actor]: turn (to, from, over) and set-control
// "position".
func (p *Potentiometer) Do(input string, args Args) error {
	switch input {
	case "turn":
		from, ok := args.Number("from")
		if !ok {
			from = p.Position()
		}
		to, _ := args.Number("to")
		p.TurnOver(from, to, args.Duration("over"))
	case "set-control":
		if v, ok := args.Number("position"); ok {
			p.Turn(v)
		}
	}
	return nil
}
