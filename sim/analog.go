package sim

import (
	"fmt"
	"math"
	"time"

	"github.com/coopgo/coop/hw"
)

// PWM frequencies the simulated boards make: from a few hertz (a servo
// wants 50) to 1 MHz.
const (
	MinPWMFreq = 1
	MaxPWMFreq = 1_000_000
)

// capable reports whether pin p can do c on its board.
func (p *pin) capable(c Capability) bool {
	switch c {
	case CapADC:
		return p.b.kind.adc[p.name]
	case CapPWM:
		return p.b.kind.pwm[p.name]
	}
	return true
}

// Capable reports whether pin (a name or an alias) can do c: an analogue
// input on GP26–GP28 of a Pico 2 W, PWM on every GP pin. The error wraps
// hw.ErrNoPin.
func (b *Board) Capable(pin string, c Capability) (bool, error) {
	p, err := b.pin(pin)
	if err != nil {
		return false, err
	}
	return p.capable(c), nil
}

// CapablePins lists, in short form, the board's pins that can do c:
// "GP26–GP28".
func (b *Board) CapablePins(c Capability) string {
	var names []string
	for _, p := range b.order {
		if p.capable(c) {
			names = append(names, p.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return summary(names)
}

// device takes pin name for a device that needs capability c.
func (b *Board) device(name string, c Capability, user string) (*pin, error) {
	p, err := b.pin(name)
	if err != nil {
		return nil, err
	}
	if !p.capable(c) {
		return nil, &hw.DeviceError{Board: b.kind.name, Device: user + " on " + p.name, Have: user + ": " + b.CapablePins(c)}
	}
	if p.role != roleNone {
		return nil, &hw.PinError{Board: b.kind.name, Pin: p.name, Err: hw.ErrPinBusy, Have: p.user}
	}
	return p, nil
}

// ADC implements [hw.ADCBoard]. The converter reads the voltage a part
// puts on the net (a potentiometer's wiper), else the digital level (0 or
// 3.3 V), with 12 bits, as the boards' converters have.
func (b *Board) ADC(name string) (hw.ADC, error) {
	p, err := b.device(name, CapADC, "ADC")
	if err != nil {
		return nil, err
	}
	p.claim(roleADC, "ADC")
	p.take()
	return &adc{p: p, gen: p.gen}, nil
}

type adc struct {
	p   *pin
	gen uint64
}

func (a *adc) ReadU16() uint16 {
	if a.gen != a.p.gen {
		panic("sim: ADC on " + a.p.name + " used after Close")
	}
	v, _ := a.p.voltage()
	raw := uint16(math.Round(min(max(v, 0), 1) * 4095))
	return raw<<4 | raw>>8
}

func (a *adc) Close() error {
	if a.gen == a.p.gen {
		a.p.release()
	}
	return nil
}

// voltage returns the level on the net, 0 to 1 of 3.3 V: what a part puts
// on it (a potentiometer's wiper), else what parts drive or pull it to (a
// button to GND: 0). A net nothing acts on reads 0 V, and false.
func (p *pin) voltage() (float64, bool) {
	for _, w := range p.wires {
		if w.analog != nil {
			return w.analog(p.b.now()), true
		}
	}
	var low, high, pullLow, pullHigh bool
	for _, w := range p.wires {
		low, high = low || w.drive == Low, high || w.drive == High
		pullLow, pullHigh = pullLow || w.pull == Low, pullHigh || w.pull == High
	}
	switch {
	case low:
		return 0, true
	case high:
		return 1, true
	case pullLow:
		return 0, true
	case pullHigh:
		return 1, true
	}
	return 0, false
}

// PWM implements [hw.PWMBoard] on the pins that can make PWM. Digitally
// the pin reads high while its duty is above 0; the waveform is not traced
// edge by edge (at 50 Hz that is 100 edges a second) but as the pin's
// duty_u16, a value signal named "pin.duty" ("GP15.duty"), whenever it changes (0
// once the output is closed).
func (b *Board) PWM(name string) (hw.PWM, error) {
	p, err := b.device(name, CapPWM, "PWM")
	if err != nil {
		return nil, err
	}
	p.claim(rolePWM, "PWM")
	p.out = false
	p.take()
	o := &pwmOut{p: p, gen: p.gen}
	p.handle = o
	return o, nil
}

type pwmOut struct {
	p    *pin
	gen  uint64
	freq int
	duty uint16
}

func (o *pwmOut) check() {
	if o.gen != o.p.gen {
		panic("sim: PWM on " + o.p.name + " used after Close")
	}
}

func (o *pwmOut) SetFreq(hz int) error {
	o.check()
	if hz < MinPWMFreq || hz > MaxPWMFreq {
		return &hw.PinError{Board: o.p.b.kind.name, Pin: o.p.name, Err: hw.ErrRange,
			Have: fmt.Sprintf("PWM frequency %d Hz (the board makes %d Hz to %d Hz)", hz, MinPWMFreq, MaxPWMFreq)}
	}
	if hz != o.freq {
		o.freq = hz
		o.changed()
	}
	return nil
}

func (o *pwmOut) Freq() int { o.check(); return o.freq }

func (o *pwmOut) SetDutyU16(d uint16) {
	o.check()
	if d != o.duty {
		o.duty = d
		o.changed()
	}
}

func (o *pwmOut) DutyU16() uint16 { o.check(); return o.duty }

func (o *pwmOut) Close() error {
	if o.gen == o.p.gen {
		o.p.release()
	}
	return nil
}

func (o *pwmOut) changed() {
	p := o.p
	p.out = o.duty > 0 && o.freq > 0
	p.b.emitValue(p.b.now(), p.name+".duty", float64(o.duty))
	p.update()
	p.notify()
}

// PWMSignal returns the PWM the program makes on pin now: its frequency
// in hertz and its duty, 0 to 65535; ok is false when pin is no PWM
// output (or no pin of the board).
func (b *Board) PWMSignal(pin string) (freq int, duty uint16, ok bool) {
	p, err := b.pin(pin)
	if err != nil || p.role != rolePWM {
		return 0, 0, false
	}
	freq, duty = p.pwmSignal()
	return freq, duty, true
}

// ReadsAnalog reports whether the program reads pin with its ADC now:
// the pin's digital buffer is off, so its level reads low whatever the
// voltage on it.
func (b *Board) ReadsAnalog(pin string) bool {
	p, err := b.pin(pin)
	return err == nil && p.role == roleADC
}

// pwmSignal returns the PWM a program makes on the pin: frequency and
// duty, zero when it makes none.
func (p *pin) pwmSignal() (freq int, duty uint16) {
	if o, ok := p.handle.(*pwmOut); ok && p.role == rolePWM {
		return o.freq, o.duty
	}
	return 0, 0
}

// notify tells the parts that watch the pin that what the program does to
// it changed.
func (p *pin) notify() {
	for _, w := range p.wires {
		if w.watch != nil {
			w.watch()
		}
	}
}

// ramp returns a function of board time that goes in a straight line from
// from at start to to at start+over, and stays at to.
func ramp(from, to float64, start, over time.Duration) func(time.Duration) float64 {
	return func(at time.Duration) float64 {
		if over <= 0 || at >= start+over {
			return to
		}
		if at <= start {
			return from
		}
		return from + (to-from)*float64(at-start)/float64(over)
	}
}
