package prim

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// SwitchConfig configures a [Switch]. The zero value is an active-low
// switch debounced at DefaultDebounce, with no callbacks.
type SwitchConfig struct {
	// ActiveHigh is for a switch to 3V3 read with a pull-down: closed
	// reads high. Zero means closed reads low (a switch to GND with a
	// pull-up, the seeds' wiring).
	ActiveHigh bool
	// Debounce is the polling period; zero means DefaultDebounce. It must
	// be longer than the contacts bounce.
	Debounce time.Duration
	// OnClose and OnOpen run on the loop when the debounced switch closes
	// and opens. They must not block.
	OnClose, OnOpen func()
	// QueueSize is how many events Next keeps; zero means
	// DefaultQueueSize. When full, new events are dropped and counted.
	QueueSize int
}

// SwitchEvent is a debounced change of a [Switch].
type SwitchEvent struct {
	Closed bool          // true when the switch closed, false when it opened
	At     time.Duration // board time of the poll that saw it
}

// String describes e, as "closed at 1.05s".
func (e SwitchEvent) String() string {
	if e.Closed {
		return "closed at " + e.At.String()
	}
	return "opened at " + e.At.String()
}

// Switch is a debounced switch on an input (Hinch's Switch): it polls the
// input every debounce period and reports each change of the debounced
// state once, by callback and to [Switch.Next]. The state read when the
// switch is made is its starting state and gives no event.
type Switch struct {
	cfg    SwitchConfig
	p      poller
	events *inbox[SwitchEvent]
}

// NewSwitch starts debouncing in on loop l. Call it on the loop (from a
// task or a callback) or before the loop runs.
func NewSwitch(l *coop.Loop, in hw.Input, cfg SwitchConfig) *Switch {
	s := &Switch{cfg: cfg, events: newInbox[SwitchEvent](cfg.QueueSize, DropNewest)}
	s.p.begin(l, in, cfg.ActiveHigh, cfg.Debounce, s.change)
	return s
}

func (s *Switch) change(closed bool, at time.Duration) {
	s.events.put(SwitchEvent{Closed: closed, At: at})
	if closed && s.cfg.OnClose != nil {
		s.cfg.OnClose()
	} else if !closed && s.cfg.OnOpen != nil {
		s.cfg.OnOpen()
	}
}

// Closed reports the debounced state: whether the switch is closed.
func (s *Switch) Closed() bool { return s.p.state }

// Next returns the oldest event not yet taken, waiting from inside the task
// self while there is none. Events are queued from the moment the switch
// is made; with several tasks in Next, each event goes to one of them. Once the switch is stopped and its queue drained, Next returns
// ErrStopped; if self is cancelled, coop.ErrCancelled.
func (s *Switch) Next(self *coop.Task) (SwitchEvent, error) {
	return s.events.next(self, ErrStopped)
}

// TryNext returns the oldest event not yet taken, if there is one.
func (s *Switch) TryNext() (SwitchEvent, bool) { return s.events.tryNext() }

// Dropped returns how many events were dropped because Next's queue was
// full.
func (s *Switch) Dropped() uint64 { return s.events.dropped }

// Stop stops polling for good and reports whether the switch was running.
// Events already queued can still be taken with Next.
func (s *Switch) Stop() bool {
	if !s.p.stop() {
		return false
	}
	s.events.close()
	return true
}
