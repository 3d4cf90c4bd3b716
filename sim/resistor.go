package sim

import "fmt"

// PullConfig configures a [Resistor].
type PullConfig struct {
	Name string
	To   Level // Low for a pull-down, High for a pull-up
}

// Resistor is an external pull resistor on a pin (the 10 kΩ pull-up a
// button or sensor module may carry).
type Resistor struct {
	partWire
	cfg PullConfig
}

// NewResistor returns a pull resistor to attach with [Board.Attach].
func NewResistor(cfg PullConfig) *Resistor { return &Resistor{cfg: cfg} }

// Name returns the resistor's name.
func (r *Resistor) Name() string { return r.cfg.Name }

// ResistorType describes the resistor: Wokwi's wokwi-resistor. Between a
// board pin and a rail it is a pull resistor; in series with a part it
// passes the signal and is no part of its own. Its value is not modelled.
func ResistorType() *PartType {
	return &PartType{
		Type:   "wokwi-resistor",
		Kind:   "resistor",
		Title:  "a resistor",
		Pins:   []PinSpec{{Name: "1"}, {Name: "2"}},
		Series: true,
		Hookup: func(net func(string) Net) (Hookup, error) {
			a, b := net("1"), net("2")
			if a.GPIO == "" {
				a, b = b, a
			}
			switch {
			case a == b: // in series with a part: not a part of its own
				if !a.Anchored() && a.Members <= 2 {
					return Hookup{Warning: "is not connected; ignored"}, nil
				}
				return Hookup{}, nil
			case a.GPIO != "" && b.GND != "":
				return Hookup{Pin: a.GPIO, To: Low, Pull: Low}, nil
			case a.GPIO != "" && b.Supply != "":
				return Hookup{Pin: a.GPIO, To: High, Pull: High}, nil
			case a.GPIO != "" && b.GPIO != "":
				return Hookup{}, miswired("joins board pins %s and %s: a resistor is a pull to GND or 3V3, or in series with a part", a.GPIO, b.GPIO)
			}
			return Hookup{Warning: fmt.Sprintf("joins %s and %s; ignored", a, b)}, nil
		},
		New: func(name string, _ AttrValues, h Hookup) (Part, error) {
			return NewResistor(PullConfig{Name: name, To: h.To}), nil
		},
	}
}

// Type implements [Described].
func (r *Resistor) Type() *PartType { return ResistorType() }

// State implements [Described]: a resistor shows nothing.
func (r *Resistor) State() State { return nil }

// Connect implements [Part].
func (r *Resistor) Connect(w *Wire) error {
	if err := r.attach(w, "resistor"); err != nil {
		return err
	}
	w.Pull(r.cfg.To)
	return nil
}
