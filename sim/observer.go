package sim

import (
	"time"

	"github.com/coopgo/coop/hw"
)

// Observer is told of everything observable on a board, with board time:
// a pin changing level, a line printed on the console, an interrupt
// handler or timer callback running. *trace.Recorder is one.
type Observer interface {
	// Pin is told of a pin's new level.
	Pin(at time.Duration, name string, level bool)
	// Console is told of a line printed on the console, without its newline.
	Console(at time.Duration, line string)
	// Interrupt is told of an interrupt handler or timer callback running:
	// its source (a pin, a timer, "WLAN") and what happened.
	Interrupt(at time.Duration, source, what string)
}

// ValueObserver is an [Observer] that is also told of value signals: the
// duty_u16 of a PWM pin (named "GP15.duty"), a part's traced state
// field such as a servo's angle (named "part.field"), an access point's
// outage (named "SSID.down", 1 while off the air). *trace.Recorder is
// one.
type ValueObserver interface {
	Observer
	// Value is told of a value signal's new value.
	Value(at time.Duration, name string, v float64)
}

// TelemetryObserver is an [Observer] that is also told how the program's
// telemetry fares, as the program reports it to the board
// (hw.TelemetryBoard, which mqtt.Uplink reports to): a fleet counts
// deliveries and pending readings this way.
type TelemetryObserver interface {
	Observer
	// Delivered is told that the broker acknowledged the reading
	// numbered seq, taken at board time taken.
	Delivered(at time.Duration, seq uint64, taken time.Duration)
	// Pending is told how many readings the program's outbox keeps, not
	// yet acknowledged.
	Pending(at time.Duration, n int)
}

// DropObserver is an [Observer] that is also told of the readings the
// program dropped unacknowledged, as it reports them to the board
// (hw.TelemetryDropBoard, which mqtt.Uplink reports to when its outbox
// is full): a fleet counts them lost.
type DropObserver interface {
	Observer
	// Dropped is told that the readings numbered from to to, both
	// included, were dropped.
	Dropped(at time.Duration, from, to uint64)
}

// WarningObserver is an [Observer] that is also told of what the board
// sees go wrong that real hardware lets pass without a word: an input
// that floats, and so reads noise.
type WarningObserver interface {
	Observer
	// Warning is told of it, in one line that names the pin and says
	// what to do.
	Warning(at time.Duration, text string)
}

// ObserverFuncs is an [Observer] made of functions; nil ones are skipped.
// A scenario that waits for a console line needs only OnConsole.
type ObserverFuncs struct {
	OnPin       func(at time.Duration, name string, level bool)
	OnConsole   func(at time.Duration, line string)
	OnInterrupt func(at time.Duration, source, what string)
	OnValue     func(at time.Duration, name string, v float64)
	OnDelivered func(at time.Duration, seq uint64, taken time.Duration)
	OnPending   func(at time.Duration, n int)
	OnDropped   func(at time.Duration, from, to uint64)
	OnWarning   func(at time.Duration, text string)
}

// Warning calls OnWarning if it is set.
func (f ObserverFuncs) Warning(at time.Duration, text string) {
	if f.OnWarning != nil {
		f.OnWarning(at, text)
	}
}

// Delivered calls OnDelivered if it is set.
func (f ObserverFuncs) Delivered(at time.Duration, seq uint64, taken time.Duration) {
	if f.OnDelivered != nil {
		f.OnDelivered(at, seq, taken)
	}
}

// Dropped calls OnDropped if it is set.
func (f ObserverFuncs) Dropped(at time.Duration, from, to uint64) {
	if f.OnDropped != nil {
		f.OnDropped(at, from, to)
	}
}

// Pending calls OnPending if it is set.
func (f ObserverFuncs) Pending(at time.Duration, n int) {
	if f.OnPending != nil {
		f.OnPending(at, n)
	}
}

// Value calls OnValue if it is set.
func (f ObserverFuncs) Value(at time.Duration, name string, v float64) {
	if f.OnValue != nil {
		f.OnValue(at, name, v)
	}
}

// Pin calls OnPin if it is set.
func (f ObserverFuncs) Pin(at time.Duration, name string, level bool) {
	if f.OnPin != nil {
		f.OnPin(at, name, level)
	}
}

// Console calls OnConsole if it is set.
func (f ObserverFuncs) Console(at time.Duration, line string) {
	if f.OnConsole != nil {
		f.OnConsole(at, line)
	}
}

// Interrupt calls OnInterrupt if it is set.
func (f ObserverFuncs) Interrupt(at time.Duration, source, what string) {
	if f.OnInterrupt != nil {
		f.OnInterrupt(at, source, what)
	}
}

// Observe adds o to the board's observers, which are told of events in
// the order they were added. Pin levels already known are not replayed:
// observe before the program starts to see them all. cancel removes o.
func (b *Board) Observe(o Observer) (cancel func()) {
	e := &observerEntry{o}
	b.obs = append(append([]*observerEntry(nil), b.obs...), e)
	return func() {
		for i, x := range b.obs {
			if x == e {
				b.obs = append(append([]*observerEntry(nil), b.obs[:i]...), b.obs[i+1:]...)
				return
			}
		}
	}
}

func (b *Board) emitPin(at time.Duration, name string, level bool) {
	for _, e := range b.obs {
		e.o.Pin(at, name, level)
	}
}

func (b *Board) emitValue(at time.Duration, name string, v float64) {
	for _, e := range b.obs {
		if vo, ok := e.o.(ValueObserver); ok {
			vo.Value(at, name, v)
		}
	}
}

func (b *Board) emitWarning(at time.Duration, text string) {
	for _, e := range b.obs {
		if wo, ok := e.o.(WarningObserver); ok {
			wo.Warning(at, text)
		}
	}
}

func (b *Board) emitConsole(at time.Duration, line string) {
	for _, e := range b.obs {
		e.o.Console(at, line)
	}
}

func (b *Board) emitInterrupt(at time.Duration, source, what string) {
	for _, e := range b.obs {
		e.o.Interrupt(at, source, what)
	}
}

// ReadingDelivered tells the board's observers that the broker
// acknowledged the program's reading numbered seq, taken at board time
// taken (hw.TelemetryBoard): mqtt.Uplink reports its deliveries here.
func (b *Board) ReadingDelivered(seq uint64, taken time.Duration) {
	at := b.now()
	for _, e := range b.obs {
		if to, ok := e.o.(TelemetryObserver); ok {
			to.Delivered(at, seq, taken)
		}
	}
}

// ReadingsPending tells the board's observers how many readings the
// program's outbox keeps, not yet acknowledged (hw.TelemetryBoard).
func (b *Board) ReadingsPending(n int) {
	at := b.now()
	for _, e := range b.obs {
		if to, ok := e.o.(TelemetryObserver); ok {
			to.Pending(at, n)
		}
	}
}

// ReadingsDropped tells the board's observers that the program dropped
// its readings numbered from to to unacknowledged
// (hw.TelemetryDropBoard).
func (b *Board) ReadingsDropped(from, to uint64) {
	at := b.now()
	for _, e := range b.obs {
		if do, ok := e.o.(DropObserver); ok {
			do.Dropped(at, from, to)
		}
	}
}

var (
	_ hw.TelemetryDropBoard = (*Board)(nil)
	_ TelemetryObserver     = ObserverFuncs{}
	_ DropObserver          = ObserverFuncs{}
)
