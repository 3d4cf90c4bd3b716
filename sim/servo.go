package sim

import (
	"math"
	"time"
)

// Servo pulse widths, Wokwi's convention (and MicroPython's usual servo
// drivers'): a 0.5 ms pulse turns the horn to 0°, 2.5 ms to 180°, in a
// straight line between; shorter and longer pulses stop at the ends.
const (
	ServoMinPulse = 500 * time.Microsecond
	ServoMaxPulse = 2500 * time.Microsecond
)

// ServoConfig configures a [Servo].
type ServoConfig struct {
	Name  string  // the part's name, as in a wiring file ("servo1")
	Angle float64 // where the horn starts, 0 to 180 degrees
}

// Servo is a hobby servo motor on a PWM pin: the width of each pulse sets
// the horn's angle (see [ServoMinPulse]); at 50 Hz a duty_u16 of about
// 1638 is 0° and 8192 is 180°. The horn moves at once. With no pulses (no
// PWM, or duty 0) it holds its angle. Each change of angle is traced as
// the value signal "name.angle".
type Servo struct {
	partWire
	cfg   ServoConfig
	angle float64
}

// NewServo returns a servo to attach with [Board.Attach].
func NewServo(cfg ServoConfig) *Servo {
	cfg.Angle = min(max(cfg.Angle, 0), 180)
	return &Servo{cfg: cfg, angle: cfg.Angle}
}

// ServoType describes the servo: Wokwi's wokwi-servo.
func ServoType() *PartType {
	return &PartType{
		Type:  "wokwi-servo",
		Kind:  "servo",
		Title: "a servo",
		Pins: []PinSpec{
			{Name: "PWM", Doc: "the control signal: on a PWM pin, 50 Hz"},
			{Name: "V+", Power: true}, {Name: "GND", Power: true},
		},
		Attrs: []Attr{
			{Name: "horn", Kind: KindChoice, Choices: []string{"single", "double", "cross"}, Default: "single", Doc: "the horn's shape, for pictures"},
			{Name: "hornColor", Kind: KindText, Default: "#ccc", Doc: "the horn's colour, for pictures"},
		},
		State: []Field{{Name: "angle", Kind: KindNumber, Unit: "°", Min: 0, Max: 180, Trace: true,
			Doc: "the horn's angle, from the pulse width: 0.5 ms is 0°, 2.5 ms is 180°"}},
		Hookup: func(net func(string) Net) (Hookup, error) {
			s := net("PWM")
			if s.GPIO == "" {
				return Hookup{}, notWired("has pin PWM unconnected: wire it to a board pin that can make PWM")
			}
			return Hookup{Pin: s.GPIO, Needs: CapPWM}, nil
		},
		New: func(name string, _ AttrValues, _ Hookup) (Part, error) {
			return NewServo(ServoConfig{Name: name}), nil
		},
	}
}

// Name returns the servo's name.
func (s *Servo) Name() string { return s.cfg.Name }

// Type implements [Described].
func (s *Servo) Type() *PartType { return ServoType() }

// State implements [Described]: "angle" in degrees.
func (s *Servo) State() State { return State{"angle": s.angle} }

// Angle returns the horn's angle in degrees, 0 to 180.
func (s *Servo) Angle() float64 { return s.angle }

// Connect implements [Part]: the servo follows the pin's pulses.
func (s *Servo) Connect(w *Wire) error {
	if err := s.attach(w, "servo"); err != nil {
		return err
	}
	w.Watch(s.follow)
	return nil
}

// follow turns the horn to the angle of the pulses on the pin now.
func (s *Servo) follow() {
	freq, duty := s.w.PWM()
	if freq == 0 || duty == 0 {
		return
	}
	pulse := float64(duty) / 65535 / float64(freq) // seconds
	a := (pulse - ServoMinPulse.Seconds()) / (ServoMaxPulse - ServoMinPulse).Seconds() * 180
	a = math.Round(min(max(a, 0), 180)*100) / 100
	if a == s.angle {
		return
	}
	s.angle = a
	s.w.TraceValue("angle", a)
}
