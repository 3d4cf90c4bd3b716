package hw

import (
	"time"

	"github.com/coopgo/coop"
)

// Pull is the internal resistor of an input pin.
type Pull uint8

// The pulls. Without a pull an input that nothing drives floats: it reads
// whatever noise it picks up, which is how a forgotten pull-up shows as
// phantom button presses.
const (
	PullNone Pull = iota // no resistor: the pin floats unless driven
	PullUp               // weak resistor to 3V3: reads high unless driven low
	PullDown             // weak resistor to GND: reads low unless driven high
)

// String returns "none", "up" or "down".
func (p Pull) String() string {
	switch p {
	case PullNone:
		return "none"
	case PullUp:
		return "up"
	case PullDown:
		return "down"
	}
	return "Pull(" + itoa(int(p)) + ")"
}

// Edge is a level transition, or a set of them.
type Edge uint8

// The edges. EdgeBoth is EdgeRising|EdgeFalling. The zero Edge is no edge;
// configuration structs read it as their documented default.
const (
	EdgeRising  Edge = 1 << iota // low to high
	EdgeFalling                  // high to low
	EdgeBoth    = EdgeRising | EdgeFalling
)

// Has reports whether e includes every edge of x (EdgeBoth has EdgeRising).
func (e Edge) Has(x Edge) bool { return x != 0 && e&x == x }

// String returns "rising", "falling", "both" or "none".
func (e Edge) String() string {
	switch e {
	case 0:
		return "none"
	case EdgeRising:
		return "rising"
	case EdgeFalling:
		return "falling"
	case EdgeBoth:
		return "both"
	}
	return "Edge(" + itoa(int(e)) + ")"
}

// Output is a pin the program drives (machine.Pin in Pin.OUT mode,
// digitalio in output direction). true is high (3V3), false is low (GND).
type Output interface {
	// Set drives the pin high (true) or low (false).
	Set(high bool)
	// Get returns the level the pin is driven to.
	Get() bool
	// Toggle inverts the level (MicroPython's Pin.toggle, pyb.LED.toggle).
	Toggle()
}

// Input is a pin the program reads (machine.Pin in Pin.IN mode).
type Input interface {
	// Get returns the pin's level now: true for high.
	Get() bool
}

// InputFunc adapts a function to an [Input], for tests and for inputs that
// are computed (an inverted pin, a debounced state).
type InputFunc func() bool

// Get calls f.
func (f InputFunc) Get() bool { return f() }

// Interrupter calls a handler on edges of a pin (MicroPython's Pin.irq,
// TinyGo's Pin.SetInterrupt).
type Interrupter interface {
	// SetInterrupt makes handler run, in interrupt context, at every edge
	// in edge, with the edge that happened (EdgeRising or EdgeFalling).
	// It replaces the pin's previous handler; a nil handler or a zero edge
	// removes it. A pin has at most one handler.
	SetInterrupt(edge Edge, handler func(Edge)) error
}

// EdgeWaiter lets a task wait for an edge of a pin: the async counterpart
// of an interrupt handler.
type EdgeWaiter interface {
	// WaitEdge waits, from inside the task self, for the next edge in
	// edge (zero means EdgeBoth) that happens after the call; edges
	// before it are not remembered. It returns coop.ErrCancelled if self
	// is cancelled, and an error if the pin is closed meanwhile.
	WaitEdge(self *coop.Task, edge Edge) error
}

// InputPin is what [Board.Input] returns: an input that can also interrupt
// and be awaited. Functions that only read should take an [Input].
type InputPin interface {
	Input
	Interrupter
	EdgeWaiter
}

// Hz returns the period of a frequency of freq ticks per second, rounded
// down to the nanosecond; it returns 0 for freq <= 0. Timers configured
// with [TimerConfig.Freq] do not accumulate this rounding.
func Hz(freq int) time.Duration {
	if freq <= 0 {
		return 0
	}
	return time.Second / time.Duration(freq)
}

// itoa formats small integers without fmt, for String methods that TinyGo
// builds may call on hot paths.
func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
