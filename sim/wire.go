package sim

import (
	"time"

	"github.com/coopgo/coop"
)

// Level is what a part does to the net of a pin: drive it low, drive it
// high, or leave it alone (Z, high impedance).
type Level int8

// The levels. The zero Level is Z, so a part that has not acted does not
// drive.
const (
	Z    Level = iota // not driving
	Low               // driving or pulling to GND
	High              // driving or pulling to 3V3
)

// String returns "z", "low" or "high".
func (l Level) String() string {
	switch l {
	case Z:
		return "z"
	case Low:
		return "low"
	case High:
		return "high"
	}
	return "Level(?)"
}

// Part is a component wired to one pin of a board: an LED, a button, a
// sensor. [Board.Attach] calls Connect once, with the wire through which
// the part acts on the pin. Parts are named; the name finds the part again
// with [Board.Part] (a scenario pressing "btn1").
type Part interface {
	// Name is the part's id in the wiring ("btn1").
	Name() string
	// Connect attaches the part to its pin's wire; its error (a pin that
	// does not suit the part) fails the wiring.
	Connect(w *Wire) error
}

// Wire is a part's connection to a pin. Through it the part drives or
// pulls the pin's net and reads its level. Its methods belong to the loop,
// like the board's.
type Wire struct {
	p      *pin
	part   Part
	drive  Level
	pull   Level
	analog func(at time.Duration) float64 // the voltage the part puts on the net, or nil
	watch  func()
}

// Board returns the board the wire is on.
func (w *Wire) Board() *Board { return w.p.b }

// Loop returns the board's loop.
func (w *Wire) Loop() *coop.Loop { return w.p.b.loop }

// Now returns board time.
func (w *Wire) Now() time.Duration { return w.p.b.now() }

// Pin returns the canonical name of the pin.
func (w *Wire) Pin() string { return w.p.name }

// Drive makes the part drive the net low or high, or release it (Z). A
// net driven low by anyone reads low.
func (w *Wire) Drive(l Level) {
	if w.drive == l {
		return
	}
	w.drive = l
	w.p.update()
}

// Pull sets a weak resistor of the part on the net (the pull-up of a
// DHT22 module), or removes it (Z). Drivers override pulls.
func (w *Wire) Pull(l Level) {
	if w.pull == l {
		return
	}
	w.pull = l
	w.p.update()
}

// Level returns the net's level now, noise included.
func (w *Wire) Level() bool { return w.p.read() }

// Output reports whether the program drives the pin as an output, and at
// which level. An LED lights only when driven.
func (w *Wire) Output() (driven, high bool) {
	if w.p.role != roleOutput && w.p.role != rolePWM {
		return false, false
	}
	return true, w.p.out
}

// PWM returns the PWM the program makes on the pin: its frequency in
// hertz and its duty, 0 to 65535; both are 0 when it makes none.
func (w *Wire) PWM() (freq int, duty uint16) { return w.p.pwmSignal() }

// Analog makes the part put a voltage on the net, as a function of board
// time giving 0 (GND) to 1 (3.3 V): a potentiometer's wiper. An ADC on the
// pin reads it; nil takes it away.
func (w *Wire) Analog(v func(at time.Duration) float64) { w.analog = v }

// Watch makes fn run, on the loop, whenever what the program does to the
// pin changes: it takes or frees it, drives it, changes its PWM. A servo
// follows its pulses so. nil stops watching.
func (w *Wire) Watch(fn func()) { w.watch = fn }

// TraceValue tells the board's observers that signal of the part (its
// angle, say) has value v now: the signal is named "part.signal".
func (w *Wire) TraceValue(signal string, v float64) {
	w.p.b.emitValue(w.p.b.now(), w.part.Name()+"."+signal, v)
}

// Floating reports whether nothing drives or pulls the net.
func (w *Wire) Floating() bool { w.p.ensure(); return w.p.floating }
