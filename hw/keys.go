package hw

import (
	"time"

	"github.com/coopgo/coop"
)

// Keys scans buttons in the background and queues their presses and
// releases (CircuitPython's keypad.Keys). Scanning is debounced: a key's
// state changes only after it has read the same for
// [KeysConfig.DebounceScans] scans in a row.
type Keys interface {
	// Events returns the queue of key events (keypad's Keys.events).
	Events() *KeyQueue
	// Close stops scanning and frees the pins (deinit).
	Close() error
}

// KeysConfig configures [Keys].
type KeysConfig struct {
	// Pins are the keys' pins; key numbers are indexes into Pins.
	Pins []string
	// ValueWhenPressed is the level a pressed key reads: false for a
	// button to GND (active low), true for a button to 3V3.
	ValueWhenPressed bool
	// Pull enables the internal pull opposite to ValueWhenPressed: a
	// pull-up for active-low keys.
	Pull bool
	// Interval is the time between scans; zero means 20 ms, keypad's
	// default.
	Interval time.Duration
	// DebounceScans is how many scans in a row a key must read in a new
	// state before the change is reported; zero means 1.
	DebounceScans int
	// MaxEvents is the size of the event queue; zero means 64.
	MaxEvents int
}

// KeyEvent is a key changing state (keypad.Event).
type KeyEvent struct {
	Key     int           // the key's number, an index into KeysConfig.Pins
	Pressed bool          // true for a press, false for a release
	At      time.Duration // board time of the scan that saw the change
}

// Released reports whether e is a release.
func (e KeyEvent) Released() bool { return !e.Pressed }

// String describes e, as "key 0 pressed at 1.02s".
func (e KeyEvent) String() string {
	s := "released"
	if e.Pressed {
		s = "pressed"
	}
	return "key " + itoa(e.Key) + " " + s + " at " + e.At.String()
}

// DefaultMaxEvents is the size of a [KeyQueue] made without a size.
const DefaultMaxEvents = 64

// KeyQueue is a bounded queue of key events (keypad.EventQueue). When it
// is full, new events are dropped and the queue records that it
// overflowed, as keypad does: the oldest events, which explain the state,
// are kept. The zero value holds DefaultMaxEvents events. Use it on the
// loop: backends put events from loop callbacks, tasks get them. It is a
// [coop.Queue] that remembers dropping.
type KeyQueue struct {
	q          *coop.Queue[KeyEvent]
	overflowed bool
}

// NewKeyQueue returns a queue holding up to size events, or
// DefaultMaxEvents if size < 1.
func NewKeyQueue(size int) *KeyQueue {
	if size < 1 {
		size = DefaultMaxEvents
	}
	return &KeyQueue{q: coop.NewQueue[KeyEvent](size)}
}

func (q *KeyQueue) queue() *coop.Queue[KeyEvent] {
	if q.q == nil {
		q.q = coop.NewQueue[KeyEvent](DefaultMaxEvents)
	}
	return q.q
}

// Put adds e and reports whether there was room. A full queue drops e and
// marks itself overflowed. Backends call Put; programs get.
func (q *KeyQueue) Put(e KeyEvent) bool {
	if !q.queue().TryPut(e) {
		q.overflowed = true
		return false
	}
	return true
}

// Get removes and returns the oldest event, if there is one (keypad's
// events.get(), which returns None when empty).
func (q *KeyQueue) Get() (KeyEvent, bool) { return q.queue().TryGet() }

// Wait removes and returns the oldest event, waiting from inside the task
// self while the queue is empty. It returns coop.ErrCancelled if self is
// cancelled.
func (q *KeyQueue) Wait(self *coop.Task) (KeyEvent, error) { return q.queue().Get(self) }

// Len returns the number of queued events.
func (q *KeyQueue) Len() int {
	if q.q == nil {
		return 0
	}
	return q.q.Len()
}

// Overflowed reports whether an event was dropped because the queue was
// full, since it was made or last cleared.
func (q *KeyQueue) Overflowed() bool { return q.overflowed }

// Clear empties the queue and resets the overflowed flag.
func (q *KeyQueue) Clear() {
	for q.q != nil && q.q.Len() > 0 {
		q.q.TryGet()
	}
	q.overflowed = false
}

// KeysBoard is a [Board] that can scan keys.
type KeysBoard interface {
	// Keys starts scanning cfg.Pins. The error wraps ErrNoPin or
	// ErrPinBusy.
	Keys(cfg KeysConfig) (Keys, error)
}

// OpenKeys starts scanning keys on b, or returns a *DeviceError wrapping
// [ErrNoDevice] if b cannot.
func OpenKeys(b Board, cfg KeysConfig) (Keys, error) {
	if kb, ok := b.(KeysBoard); ok {
		return kb.Keys(cfg)
	}
	return nil, &DeviceError{Board: b.Name(), Device: "keypad"}
}
