package prim

import (
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Default gesture timings of a [Pushbutton] (Hinch's defaults).
const (
	DefaultLongPress   = time.Second
	DefaultDoubleClick = 400 * time.Millisecond
)

// ButtonKind says what a [ButtonEvent] is.
type ButtonKind uint8

// The kinds of button event.
const (
	// ButtonPress: the debounced button went down.
	ButtonPress ButtonKind = iota + 1
	// ButtonRelease: the debounced button went up (with Suppress, a single
	// short click; see PushbuttonConfig.Suppress).
	ButtonRelease
	// ButtonLong: the button has been held for LongPress.
	ButtonLong
	// ButtonDouble: a second press came within DoubleClick of the first.
	ButtonDouble
)

// String returns "press", "release", "long" or "double".
func (k ButtonKind) String() string {
	switch k {
	case ButtonPress:
		return "press"
	case ButtonRelease:
		return "release"
	case ButtonLong:
		return "long"
	case ButtonDouble:
		return "double"
	}
	return "ButtonKind(" + strconv.Itoa(int(k)) + ")"
}

// ButtonEvent is something a [Pushbutton] reports.
type ButtonEvent struct {
	Kind ButtonKind
	At   time.Duration // board time it was detected
}

// String describes e, as "long at 2.05s".
func (e ButtonEvent) String() string { return e.Kind.String() + " at " + e.At.String() }

// PushbuttonConfig configures a [Pushbutton]. The zero value is an
// active-low button debounced at DefaultDebounce that reports long presses
// after DefaultLongPress and double clicks within DefaultDoubleClick,
// without suppression.
type PushbuttonConfig struct {
	// ActiveHigh is for a button to 3V3 read with a pull-down: pressed
	// reads high. Zero means pressed reads low (a button to GND with a
	// pull-up, the seeds' wiring).
	ActiveHigh bool
	// Debounce is the polling period; zero means DefaultDebounce.
	Debounce time.Duration
	// LongPress is how long a press lasts before ButtonLong; zero means
	// DefaultLongPress, negative turns long presses off.
	LongPress time.Duration
	// DoubleClick is the window, from a first press, within which a
	// second press is a ButtonDouble; zero means DefaultDoubleClick,
	// negative turns double clicks off.
	DoubleClick time.Duration
	// Suppress makes ButtonRelease mean "a single click" (Hinch's
	// suppress): a release is not reported when a ButtonLong or a
	// ButtonDouble came during its press, nor when it ends the first press
	// of a double click. While the double-click window of a first press is
	// open, its release is held back; when the window closes with the
	// button up and no second press, the release is reported then, at
	// press + DoubleClick. A first press still held when its window closes
	// reports its release when it happens (unless it became long). Without
	// Suppress every release is reported when it happens.
	Suppress bool
	// OnPress, OnRelease, OnLong and OnDouble run on the loop when the
	// event is detected, before a task waiting in Next sees it. They must
	// not block; spawn a task for work that awaits.
	OnPress, OnRelease, OnLong, OnDouble func()
	// QueueSize is how many events Next keeps; zero means
	// DefaultQueueSize. When full, new events are dropped and counted.
	QueueSize int
}

// Pushbutton is a debounced push button that recognises gestures (Hinch's
// Pushbutton). It polls its input like a [Switch] and reports, in this
// order when they come at the same instant:
//
//   - ButtonPress at every debounced press;
//   - ButtonDouble right after the ButtonPress of a second press that comes
//     within DoubleClick of the first press; the second press of a double
//     click never becomes a long press, and a third press starts afresh;
//   - ButtonLong at press + LongPress if the button is still down;
//   - ButtonRelease at every debounced release, or as Suppress says.
//
// What a gesture gives, with the defaults (times from the first press P,
// as detected):
//
//	gesture                       Suppress off                  Suppress on
//	click                         Press P, Release              Press P, Release P+400ms
//	double click (2nd press at S) Press P, Release, Press S,    Press P, Press S, Double S
//	                              Double S, Release
//	long press                    Press P, Long P+1s, Release   Press P, Long P+1s
//	press held 0.4–1 s            Press P, Release              Press P, Release
//
// With DoubleClick negative, a click's release is reported when it happens
// in both modes.
type Pushbutton struct {
	cfg    PushbuttonConfig
	l      *coop.Loop
	p      poller
	events *inbox[ButtonEvent]

	long, window *coop.Handle // pending long-press timer and double-click window
	longFn       func()
	windowFn     func()
	dblPending   bool // a first press's window is open (with Suppress, its release waits)
	dblRan       bool // the current or last press is the second of a double click
	longRan      bool // the current or last press became a long press
}

// NewPushbutton starts watching the button on in, in loop l. Call it on
// the loop (from a task or a callback) or before the loop runs.
func NewPushbutton(l *coop.Loop, in hw.Input, cfg PushbuttonConfig) *Pushbutton {
	if cfg.LongPress == 0 {
		cfg.LongPress = DefaultLongPress
	}
	if cfg.DoubleClick == 0 {
		cfg.DoubleClick = DefaultDoubleClick
	}
	b := &Pushbutton{cfg: cfg, l: l, events: newInbox[ButtonEvent](cfg.QueueSize, DropNewest)}
	b.longFn, b.windowFn = b.longPress, b.windowClosed
	b.p.begin(l, in, cfg.ActiveHigh, cfg.Debounce, b.change)
	return b
}

func (b *Pushbutton) change(pressed bool, at time.Duration) {
	// The state is brought up to date before the callbacks run, so that a
	// callback that stops the button or panics leaves it consistent.
	if pressed {
		b.dblRan, b.longRan = false, false
		second := b.window != nil
		if second { // second press of a double click
			b.window.Cancel()
			b.window = nil
			b.dblPending = false
			b.dblRan = true
		} else {
			if b.cfg.LongPress > 0 {
				b.long = b.l.CallLater(b.cfg.LongPress, b.longFn)
			}
			if b.cfg.DoubleClick > 0 {
				b.window = b.l.CallLater(b.cfg.DoubleClick, b.windowFn)
				b.dblPending = true
			}
		}
		b.emit(ButtonPress, at)
		if second {
			b.emit(ButtonDouble, at)
		}
		return
	}
	report := !b.cfg.Suppress || (!b.dblPending && !b.dblRan && !b.longRan)
	if b.long != nil {
		b.long.Cancel()
		b.long = nil
	}
	if report {
		b.emit(ButtonRelease, at)
	}
}

func (b *Pushbutton) longPress() {
	b.long = nil
	if b.p.stopped || !b.p.state {
		return
	}
	b.longRan = true
	b.emit(ButtonLong, b.l.Now())
}

func (b *Pushbutton) windowClosed() {
	b.window = nil
	if b.p.stopped || !b.dblPending {
		return
	}
	b.dblPending = false
	if b.cfg.Suppress && !b.p.state && !b.longRan {
		b.emit(ButtonRelease, b.l.Now())
	}
}

func (b *Pushbutton) emit(k ButtonKind, at time.Duration) {
	if b.p.stopped { // a callback of the same instant stopped the button
		return
	}
	b.events.put(ButtonEvent{Kind: k, At: at})
	var fn func()
	switch k {
	case ButtonPress:
		fn = b.cfg.OnPress
	case ButtonRelease:
		fn = b.cfg.OnRelease
	case ButtonLong:
		fn = b.cfg.OnLong
	case ButtonDouble:
		fn = b.cfg.OnDouble
	}
	if fn != nil {
		fn()
	}
}

// Pressed reports the debounced state: whether the button is down.
func (b *Pushbutton) Pressed() bool { return b.p.state }

// Next returns the oldest event not yet taken, waiting from inside the task
// self while there is none. Events are queued from the moment the button is
// made, whether or not callbacks are set; with several tasks in Next, each
// event goes to one of them. Once the button is stopped and its queue
// drained, Next returns ErrStopped; if self is cancelled, coop.ErrCancelled.
func (b *Pushbutton) Next(self *coop.Task) (ButtonEvent, error) {
	return b.events.next(self, ErrStopped)
}

// TryNext returns the oldest event not yet taken, if there is one.
func (b *Pushbutton) TryNext() (ButtonEvent, bool) { return b.events.tryNext() }

// Dropped returns how many events were dropped because Next's queue was
// full.
func (b *Pushbutton) Dropped() uint64 { return b.events.dropped }

// Stop stops watching the button for good, with its pending long-press and
// double-click timers (a held-back release is not reported), and reports
// whether it was running. Called from a callback, it also drops the events
// of the same instant not yet reported (the ButtonDouble after the
// ButtonPress that stopped it). Events already queued can still be taken.
func (b *Pushbutton) Stop() bool {
	if !b.p.stop() {
		return false
	}
	for _, h := range []*coop.Handle{b.long, b.window} {
		if h != nil {
			h.Cancel()
		}
	}
	b.long, b.window = nil, nil
	b.events.close()
	return true
}
