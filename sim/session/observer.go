package session

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
)

// Observer is told what happens in a session, on the loop, with board
// time; nil functions are skipped. Add one with [Session.Observe].
type Observer struct {
	// Console is a line the program printed.
	Console func(at time.Duration, line string)
	// Pin is a board pin changing level: its canonical name ("GP15"),
	// and the ids of the wiring's parts on it ("led1"), or "".
	Pin func(at time.Duration, pin, part string, level bool)
	// Value is a value signal's new value ([sim.ValueObserver]): a PWM
	// pin's duty ("GP15.duty"), a part's traced state ("servo1.angle"),
	// an access point's outage ("SSID.down", 1 while off the air).
	Value func(at time.Duration, signal string, v float64)
	// Interrupt is an interrupt handler or timer callback running, or a
	// reset, as sim.Observer says.
	Interrupt func(at time.Duration, source, what string)
	// Task is a task's change of state ([coop.Loop.Observe]).
	Task func(coop.TaskEvent)
	// Warning is a warning of the loop: a step that held it too long, a
	// task that ignored cancellation.
	Warning func(coop.Warning)
	// BoardWarning is a warning of the board about how the program uses
	// it, in one line ([sim.WarningObserver]): an input that floats.
	BoardWarning func(at time.Duration, text string)
	// Failure is a task that failed with nobody awaiting it (t is nil
	// for a loop callback that panicked); never the program's main task,
	// whose failure Run returns.
	Failure func(t *coop.Task, err error)
	// Delivered is a reading of the program acknowledged by the broker:
	// its sequence number and the board time it was taken at, as the
	// program reports it (hw.TelemetryBoard; mqtt.Uplink does).
	Delivered func(at time.Duration, seq uint64, taken time.Duration)
	// Pending is how many readings the program's outbox keeps, not yet
	// acknowledged, each time the program reports that it may have
	// changed (mqtt.Uplink does).
	Pending func(at time.Duration, n int)
	// Dropped is readings of the program, numbered from to to, dropped
	// before the broker acknowledged them, as the program reports it
	// (hw.TelemetryDropBoard; mqtt.Uplink does when its outbox is full).
	Dropped func(at time.Duration, from, to uint64)
	// Reset is the board resetting, once it has, before the program
	// starts again.
	Reset func(sim.Reset)
	// End is the program's run being over at board time at: after the
	// loop stopped running it and before the loop closes (which
	// cancels what is left and may print more lines).
	End func(at time.Duration)
}

// observer is an Observer added to a session.
type observer struct {
	Observer
	cancelled bool
	cancels   []func()
}

// Observe adds o to the session's observers, from now on, after those
// added before it; cancel removes it. Before Run, call it from anywhere;
// during Run, on the loop (a task, a callback, an Observer function, or
// [Session.Do]).
func (s *Session) Observe(o Observer) (cancel func()) {
	e := &observer{Observer: o}
	if o.Console != nil || o.Pin != nil || o.Value != nil || o.Interrupt != nil || o.Delivered != nil || o.Pending != nil ||
		o.Dropped != nil || o.BoardWarning != nil {
		bo := sim.ObserverFuncs{OnConsole: o.Console, OnValue: o.Value, OnInterrupt: o.Interrupt, OnDelivered: o.Delivered,
			OnPending: o.Pending, OnDropped: o.Dropped, OnWarning: o.BoardWarning}
		if o.Pin != nil {
			bo.OnPin = func(at time.Duration, pin string, level bool) { o.Pin(at, pin, s.pinParts[pin], level) }
		}
		e.cancels = append(e.cancels, s.board.Observe(bo))
	}
	if o.Task != nil {
		e.cancels = append(e.cancels, s.loop.Observe(o.Task))
	}
	s.obs = append(s.obs[:len(s.obs):len(s.obs)], e)
	return func() {
		if e.cancelled {
			return
		}
		e.cancelled = true
		for _, c := range e.cancels {
			c()
		}
		obs := make([]*observer, 0, len(s.obs))
		for _, x := range s.obs {
			if x != e {
				obs = append(obs, x)
			}
		}
		s.obs = obs
	}
}

// each calls fn with every observer not cancelled.
func (s *Session) each(fn func(o *Observer)) {
	for _, o := range s.obs {
		if !o.cancelled {
			fn(&o.Observer)
		}
	}
}

func (s *Session) failed(t *coop.Task, err error) {
	if t != nil && t == s.main {
		// The program's own result, which Run returns: on a Pacer's loop
		// nobody awaits the task, and the loop reports its failure too.
		return
	}
	s.each(func(o *Observer) {
		if o.Failure != nil {
			o.Failure(t, err)
		}
	})
}

func (s *Session) warned(w coop.Warning) {
	s.each(func(o *Observer) {
		if o.Warning != nil {
			o.Warning(w)
		}
	})
}

func (s *Session) resetted(r sim.Reset) {
	s.each(func(o *Observer) {
		if o.Reset != nil {
			o.Reset(r)
		}
	})
}

func (s *Session) ended(at time.Duration) {
	s.each(func(o *Observer) {
		if o.End != nil {
			o.End(at)
		}
	})
}
