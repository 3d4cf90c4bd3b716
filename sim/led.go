package sim

import "errors"

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
// an output to its active level; an input or a floating pin leaves it dark.
type LED struct {
	cfg LEDConfig
	w   *Wire
}

// NewLED returns an LED to attach with [Board.Attach].
func NewLED(cfg LEDConfig) *LED { return &LED{cfg: cfg} }

// Name returns the LED's name.
func (l *LED) Name() string { return l.cfg.Name }

// Color returns the LED's colour.
func (l *LED) Color() string { return l.cfg.Color }

// Connect implements [Part].
func (l *LED) Connect(w *Wire) error {
	if l.w != nil {
		return errors.New("LED is attached already")
	}
	l.w = w
	return nil
}

// Pin returns the pin the LED is on, or "" if it is not attached.
func (l *LED) Pin() string {
	if l.w == nil {
		return ""
	}
	return l.w.Pin()
}

// On reports whether the LED is lit.
func (l *LED) On() bool {
	if l.w == nil {
		return false
	}
	driven, high := l.w.Output()
	return driven && high != l.cfg.ActiveLow
}
