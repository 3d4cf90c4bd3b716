package hw

// Counter counts edges of a pin in the background (CircuitPython's
// countio.Counter). Counting happens in interrupt context, so between two
// awaits of a task the count changes only if the task itself changes it:
// reading and resetting it is free of the race the CircuitPython guide
// warns about.
type Counter interface {
	// Count returns the number of edges counted since the counter was
	// opened or last reset.
	Count() int
	// Reset sets the count to zero.
	Reset()
	// Close stops counting and frees the pin (deinit).
	Close() error
}

// CounterConfig configures a [Counter].
type CounterConfig struct {
	// Edge is which edges count; zero means EdgeFalling, countio's
	// default.
	Edge Edge
	// Pull is the pin's pull; zero means none, countio's default.
	Pull Pull
}

// CounterBoard is a [Board] that can count edges.
type CounterBoard interface {
	// Counter starts counting edges of pin. The error wraps ErrNoPin or
	// ErrPinBusy.
	Counter(pin string, cfg CounterConfig) (Counter, error)
}

// OpenCounter starts counting edges of pin on b, or returns a *DeviceError
// wrapping [ErrNoDevice] if b cannot count.
func OpenCounter(b Board, pin string, cfg CounterConfig) (Counter, error) {
	if cb, ok := b.(CounterBoard); ok {
		return cb.Counter(pin, cfg)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "counter"}
}
