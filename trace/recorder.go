package trace

import (
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Kind says what an [Event] records.
type Kind uint8

// The kinds of event. The zero Kind is not a valid kind, so that a zero
// [Event] is recognisably unset.
const (
	KindPin       Kind = iota + 1 // a pin changed level
	KindConsole                   // a line was printed
	KindInterrupt                 // an interrupt fired
	KindTask                      // a task changed state
	KindMark                      // a note placed by a test or a scenario
	KindValue                     // a value signal changed: a PWM duty, a servo's angle
)

var kindNames = [...]string{
	KindPin:       "pin",
	KindConsole:   "console",
	KindInterrupt: "interrupt",
	KindTask:      "task",
	KindMark:      "mark",
	KindValue:     "value",
}

// String returns the lower-case name of k ("pin", "console", …), or
// "Kind(N)" for a value that is not one of the constants.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Task states as the scheduler names them in [Event.Text] for [KindTask].
// [WriteVCD] and [WriteSVG] recognise these names; any other name is drawn
// as waiting (alive, but neither running nor ready).
const (
	StateRunning   = "running"
	StateReady     = "ready"
	StateSleeping  = "sleeping"
	StateWaiting   = "waiting"
	StateDone      = "done"
	StateCancelled = "cancelled"
	StateFailed    = "failed"
)

// Event is one observable thing that happened on a board, stamped with board
// time.
type Event struct {
	At     time.Duration // board time since start
	Kind   Kind
	Source string // pin name ("GP15", "LED"), task name, interrupt source; "" for console
	Level  bool   // KindPin: the new level
	// Value is, for KindValue, the signal's new value: a PWM pin's
	// duty_u16, a part's traced field such as "servo1.angle" in degrees.
	Value float64
	// Text is, for KindConsole, the printed line without its newline; for
	// KindTask, the new state (see StateRunning and its siblings); for
	// KindInterrupt and KindMark, free text.
	Text string
}

// String formats e on one line for logs, for example "1.5s pin GP15 high"
// or `2s console "hello"`.
func (e Event) String() string {
	switch e.Kind {
	case KindPin:
		level := "low"
		if e.Level {
			level = "high"
		}
		return fmt.Sprintf("%v pin %s %s", e.At, e.Source, level)
	case KindConsole:
		return fmt.Sprintf("%v console %q", e.At, e.Text)
	case KindTask:
		return fmt.Sprintf("%v task %s %s", e.At, e.Source, e.Text)
	case KindValue:
		return fmt.Sprintf("%v value %s %s", e.At, e.Source, strconv.FormatFloat(e.Value, 'g', -1, 64))
	case KindInterrupt:
		return fmt.Sprintf("%v interrupt %s %q", e.At, e.Source, e.Text)
	default:
		return fmt.Sprintf("%v %v %s %q", e.At, e.Kind, e.Source, e.Text)
	}
}

// Recorder keeps the events of a run in the order they were recorded.
//
// A zero Recorder is ready to use. A Recorder is safe for use by several
// goroutines at once: the simulator's interrupt goroutines and the loop may
// record into the same one.
type Recorder struct {
	mu     sync.Mutex
	events []Event
	last   map[signal]float64 // last recorded level (0 or 1) or value of each pin and value signal
	subs   []subscriber
	nextID int
}

// signal is a pin or a value signal, as Record remembers its last value.
type signal struct {
	kind Kind
	name string
}

type subscriber struct {
	id int
	fn func(Event)
}

// Pin records that the pin called name is now at level. Only real changes
// are kept: a level equal to the last recorded level of that pin is dropped,
// so a program that writes the same value in a loop does not flood the
// trace. The first level of each pin is always recorded.
func (r *Recorder) Pin(at time.Duration, name string, level bool) {
	r.Record(Event{At: at, Kind: KindPin, Source: name, Level: level})
}

// Value records that the value signal called name is now v (a PWM pin's
// duty, a servo's angle). Like [Recorder.Pin], a value equal to the last
// recorded value of that signal is dropped.
func (r *Recorder) Value(at time.Duration, name string, v float64) {
	r.Record(Event{At: at, Kind: KindValue, Source: name, Value: v})
}

// Console records a line the program printed, without its newline.
func (r *Recorder) Console(at time.Duration, line string) {
	r.Record(Event{At: at, Kind: KindConsole, Text: line})
}

// Interrupt records that an interrupt from source fired; what describes it
// ("rising edge", "timer tick").
func (r *Recorder) Interrupt(at time.Duration, source, what string) {
	r.Record(Event{At: at, Kind: KindInterrupt, Source: source, Text: what})
}

// Task records that the task called task entered state ("running",
// "ready", "sleeping", "waiting", "done", "cancelled", "failed").
func (r *Recorder) Task(at time.Duration, task, state string) {
	r.Record(Event{At: at, Kind: KindTask, Source: task, Text: state})
}

// Mark records a free-form note, such as a scenario step.
func (r *Recorder) Mark(at time.Duration, text string) {
	r.Record(Event{At: at, Kind: KindMark, Text: text})
}

// Record appends e, then hands it to every listener registered with
// [Recorder.Subscribe]. A [KindPin] or [KindValue] event that repeats the
// last recorded level or value of its signal is dropped, as in
// [Recorder.Pin], and no listener sees it.
func (r *Recorder) Record(e Event) {
	r.mu.Lock()
	if e.Kind == KindPin || e.Kind == KindValue {
		v := e.Value
		if e.Kind == KindPin && e.Level {
			v = 1
		}
		key := signal{e.Kind, e.Source}
		if last, ok := r.last[key]; ok && last == v {
			r.mu.Unlock()
			return
		}
		if r.last == nil {
			r.last = make(map[signal]float64)
		}
		r.last[key] = v
	}
	r.events = append(r.events, e)
	var fns []func(Event)
	if len(r.subs) > 0 {
		fns = make([]func(Event), len(r.subs))
		for i, s := range r.subs {
			fns[i] = s.fn
		}
	}
	r.mu.Unlock()
	// Outside the lock, so that a listener may call back into r.
	for _, fn := range fns {
		fn(e)
	}
}

// Events returns a copy of the recorded events, in recording order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Len returns the number of recorded events.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// Subscribe registers fn to be called with every event recorded from now on,
// after it is recorded. Listeners are called in the order they subscribed,
// on the goroutine that records the event and outside the recorder's lock, so
// fn may call methods of r; when several goroutines record at once, fn is
// called from several goroutines at once and must be safe for that. fn should
// return quickly, since the recording goroutine (often the scheduler's loop)
// waits for it.
//
// cancel unregisters fn; after it returns, no recording that starts later
// calls fn. Calling cancel more than once is harmless.
func (r *Recorder) Subscribe(fn func(Event)) (cancel func()) {
	r.mu.Lock()
	r.nextID++
	id := r.nextID
	r.subs = append(r.subs, subscriber{id: id, fn: fn})
	r.mu.Unlock()
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, s := range r.subs {
			if s.id == id {
				r.subs = slices.Delete(r.subs, i, i+1)
				return
			}
		}
	}
}

// Reset forgets every recorded event and the last level or value of every
// signal, so the next of each is recorded again. Listeners stay subscribed.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = nil
	r.last = nil
}
