package sim

// LEDConfig configures an [LED].
type LEDConfig struct {
	Name  string // the part's name, as in a wiring file ("led1")
	Color string // "red", "green"…, for pictures; any text
	// ActiveLow is for an LED wired from 3V3 to the pin: it lights when
	// the pin is driven low. Zero means anode on the pin, cathode to
	// GND: lit when driven high.
	ActiveLow bool
}

// LED is a light on a pin. It lights while the program drives the pin as
// an output to its active level (or makes PWM on it); an input or a
// floating pin leaves it dark.
type LED struct {
	partWire
	cfg LEDConfig
}

// NewLED returns an LED to attach with [Board.Attach].
func NewLED(cfg LEDConfig) *LED { return &LED{cfg: cfg} }

// LEDType describes the LED: Wokwi's wokwi-led.
func LEDType() *PartType {
	return &PartType{
		Type:  "wokwi-led",
		Kind:  "led",
		Title: "an LED",
		Pins: []PinSpec{
			{Name: "A", Doc: "anode: on a board pin, or 3V3 for an LED lit when the pin is low"},
			{Name: "C", Doc: "cathode: to GND, or on a board pin"},
		},
		Attrs: []Attr{{Name: "color", Kind: KindText, Default: "red", Doc: "the LED's colour"}},
		State: []Field{
			{Name: "on", Kind: KindBool, Show: ShowLight, Doc: "lit"},
			{Name: "color", Kind: KindText, Show: ShowHidden, Doc: "the colour it lights in"},
		},
		Hookup: func(net func(string) Net) (Hookup, error) {
			a, c := net("A"), net("C")
			switch {
			case a.GPIO != "" && c.GND != "":
				return Hookup{Pin: a.GPIO}, nil
			case a.Supply != "" && c.GPIO != "":
				return Hookup{Pin: c.GPIO, Inverted: true}, nil
			case a.GPIO == "" && c.GPIO == "":
				return Hookup{}, errNoBoardPin()
			case a.GPIO != "" && !c.Anchored():
				return Hookup{}, notWired("has pin C unconnected: wire it to GND (A is on %s)", a.GPIO)
			case c.GPIO != "" && !a.Anchored():
				return Hookup{}, notWired("has pin A unconnected: wire it to 3V3 for an LED that lights when %s is low", c.GPIO)
			}
			return Hookup{}, miswired("has A on %s and C on %s: wire A to a board pin and C to GND, or A to 3V3 and C to a board pin", a, c)
		},
		New: func(name string, attrs AttrValues, h Hookup) (Part, error) {
			color := attrs.Text("color")
			if color == "" {
				color = "red"
			}
			return NewLED(LEDConfig{Name: name, Color: color, ActiveLow: h.Inverted}), nil
		},
	}
}

// Name returns the LED's name.
func (l *LED) Name() string { return l.cfg.Name }

// Type implements [Described].
func (l *LED) Type() *PartType { return LEDType() }

// State implements [Described]: "on" and "color".
func (l *LED) State() State { return State{"on": l.On(), "color": l.cfg.Color} }

// Color returns the LED's colour.
func (l *LED) Color() string { return l.cfg.Color }

// Connect implements [Part].
func (l *LED) Connect(w *Wire) error { return l.attach(w, "LED") }

// On reports whether the LED is lit.
func (l *LED) On() bool {
	if l.w == nil {
		return false
	}
	driven, high := l.w.Output()
	return driven && high != l.cfg.ActiveLow
}
