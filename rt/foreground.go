package rt

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// ErrScheduleFull is returned by [Foreground.Schedule] when the queue of
// scheduled functions is full (MicroPython's RuntimeError "schedule queue
// full"). The function is not queued; the refusal is counted in
// [ForegroundStats].Full.
var ErrScheduleFull = errors.New("rt: schedule queue full")

// DefaultScheduleDepth is how many scheduled functions may wait at once,
// unless [ForegroundConfig].ScheduleDepth says otherwise: the
// MICROPY_SCHEDULER_DEPTH of MicroPython's ports.
const DefaultScheduleDepth = 8

// ForegroundConfig configures a [Foreground]. The zero value is a queue of
// DefaultScheduleDepth functions and faults printed on standard error.
type ForegroundConfig struct {
	// ScheduleDepth is the capacity of the schedule queue; zero means
	// DefaultScheduleDepth.
	ScheduleDepth int
	// OnFault is told of every fault (a callback or scheduled function
	// that failed), on the loop, after the interrupt is over: MicroPython
	// prints the traceback kept in its emergency buffer to the REPL. Nil
	// prints the fault on standard error.
	OnFault func(Fault)
}

// Fault is an error raised in interrupt context, or by a function
// scheduled from there, kept so that it is not lost.
type Fault struct {
	Source string        // "timer 1", or "schedule" for a scheduled function
	At     time.Duration // loop time it happened
	Err    error         // what the callback returned, or a *coop.PanicError
}

// Error describes the fault, as "rt: uncaught error in timer 1 callback at
// 1.5s: boom".
func (f Fault) Error() string {
	return fmt.Sprintf("rt: uncaught error in %s callback at %v: %v", f.Source, f.At, f.Err)
}

// Unwrap returns Err.
func (f Fault) Unwrap() error { return f.Err }

// Foreground runs callbacks in interrupt context under MicroPython's ISR
// rules: the foreground, in the book's words, against the background loop.
//
//   - [Foreground.Every] runs a callback at each tick of a hardware timer,
//     and counts overruns: callbacks whose work takes longer than the
//     period.
//   - [Foreground.Schedule] (micropython.schedule) hands work to the loop
//     through a bounded queue; a full queue refuses the function with
//     [ErrScheduleFull] and counts the refusal, nothing is dropped silently.
//   - An emergency buffer (micropython.alloc_emergency_exception_buf) keeps
//     the first fault, so that the error of a failing callback is kept and
//     reported ([Foreground.Fault], [ForegroundConfig].OnFault) rather than
//     lost; later faults are counted and reported too. As on a pyboard, a
//     timer whose callback fails is disabled.
//
// Use a Foreground on its loop: interrupt context is a loop callback in the
// simulator. Schedule may also be called from other goroutines.
type Foreground struct {
	loop  *coop.Loop
	cfg   ForegroundConfig
	depth int

	mu        sync.Mutex
	queue     []func() error
	posted    bool // a drain is scheduled on the loop
	scheduled int64
	ran       int64
	full      int64
	maxQueued int
	first     Fault
	hasFault  bool
	faults    int64

	timers []*TimerTask
}

// NewForeground returns a foreground for the interrupts of loop.
func NewForeground(loop *coop.Loop, cfg ForegroundConfig) *Foreground {
	depth := cfg.ScheduleDepth
	if depth <= 0 {
		depth = DefaultScheduleDepth
	}
	return &Foreground{loop: loop, cfg: cfg, depth: depth, queue: make([]func() error, 0, depth)}
}

// Schedule queues fn to run on the loop as soon as it can, outside
// interrupt context, where it may take its time and allocate
// (micropython.schedule). Functions run in the order they were scheduled,
// after the tasks already ready. If depth functions wait already, Schedule
// returns [ErrScheduleFull] and counts the refusal. An error returned by fn
// is a fault.
func (f *Foreground) Schedule(fn func() error) error {
	f.mu.Lock()
	if len(f.queue) >= f.depth {
		f.full++
		f.mu.Unlock()
		return ErrScheduleFull
	}
	f.queue = append(f.queue, fn)
	f.scheduled++
	f.maxQueued = max(f.maxQueued, len(f.queue))
	post := !f.posted
	f.posted = true
	f.mu.Unlock()
	if post {
		f.loop.CallSoon(f.runScheduled)
	}
	return nil
}

// runScheduled runs the scheduled functions one at a time; each holds its
// place in the queue until it runs.
func (f *Foreground) runScheduled() {
	for {
		f.mu.Lock()
		if len(f.queue) == 0 {
			f.posted = false
			f.mu.Unlock()
			return
		}
		fn := f.queue[0]
		copy(f.queue, f.queue[1:])
		f.queue[len(f.queue)-1] = nil
		f.queue = f.queue[:len(f.queue)-1]
		f.ran++
		f.mu.Unlock()
		if err := protect(fn); err != nil {
			f.fault(Fault{Source: "schedule", At: f.loop.Now(), Err: err})
		}
	}
}

// protect calls fn and turns a panic into a *coop.PanicError.
func protect(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &coop.PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return fn()
}

// fault keeps the first fault and reports every one after the interrupt.
func (f *Foreground) fault(ft Fault) {
	f.mu.Lock()
	f.faults++
	if !f.hasFault {
		f.first, f.hasFault = ft, true
	}
	f.mu.Unlock()
	report := f.cfg.OnFault
	if report == nil {
		report = func(ft Fault) { fmt.Fprintln(os.Stderr, ft) }
	}
	f.loop.CallSoon(func() { report(ft) })
}

// Fault returns the first fault, the one the emergency buffer keeps, and
// whether there was one.
func (f *Foreground) Fault() (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.first, f.hasFault
}

// Stop stops every timer of the foreground. On a pyboard timers keep
// running after the program stops, until deinit; Stop is that deinit.
func (f *Foreground) Stop() {
	for _, tt := range f.timers {
		tt.Stop()
	}
}

// ForegroundStats is a snapshot of a Foreground.
type ForegroundStats struct {
	Scheduled int64 // functions Schedule accepted
	Ran       int64 // scheduled functions that ran
	Full      int64 // Schedule calls refused with ErrScheduleFull
	MaxQueued int   // the most functions waiting at once
	Faults    int64 // callbacks and scheduled functions that failed
	Timers    []TimerStats
}

// Stats returns a snapshot of the foreground. Call it on the loop.
func (f *Foreground) Stats() ForegroundStats {
	f.mu.Lock()
	st := ForegroundStats{Scheduled: f.scheduled, Ran: f.ran, Full: f.full, MaxQueued: f.maxQueued, Faults: f.faults}
	f.mu.Unlock()
	for _, tt := range f.timers {
		st.Timers = append(st.Timers, tt.Stats())
	}
	return st
}

// Every starts tm with cfg and runs fn in interrupt context at each tick
// (pyb.Timer(n, freq=…, callback=…)). name names the callback in faults
// and stats; empty means the timer's own name, if it has one.
//
// fn says how long its work takes with [ISR.Work]. A callback whose work
// takes longer than the period is an overrun: the ticks that come while it
// runs wait, as a pending interrupt flag does, and the callback runs again
// as soon as it is done; since the flag holds one tick, further ticks are
// lost and counted. The flag is cleared as each callback starts, so when
// the callback that ran late overruns too, the first tick that came during
// it waits in turn. If fn fails (returns an error or panics) the timer is
// stopped and the failure is a [Fault].
func (f *Foreground) Every(name string, tm hw.Timer, cfg hw.TimerConfig, fn func(c *ISR) error) (*TimerTask, error) {
	if name == "" {
		name = "timer"
		if s, ok := tm.(fmt.Stringer); ok {
			name = s.String()
		}
	}
	tt := &TimerTask{f: f, name: name, timer: tm, cfg: cfg, fn: fn, period: cfg.Tick(1)}
	tt.isr.f = f
	tt.isr.source = name
	tt.invoke = func() error { return tt.fn(&tt.isr) }
	tt.start = f.loop.Now()
	if err := tm.Start(cfg, tt.tick); err != nil {
		return nil, err
	}
	f.timers = append(f.timers, tt)
	return tt, nil
}

// TimerTask is a callback run by a timer under a [Foreground].
type TimerTask struct {
	f      *Foreground
	name   string
	timer  hw.Timer
	cfg    hw.TimerConfig
	fn     func(c *ISR) error
	period time.Duration
	start  time.Duration
	n      int64 // ticks the timer gave since Start

	lastStart time.Duration // when the last callback started: the flag was cleared
	busyUntil time.Duration // when the last callback's work ended
	pending   bool          // the last callback ran for a tick that came while the loop was held: the flag is used

	ticks, overruns, lost int64
	latency, work         sampler
	disabled              bool

	// isr and invoke are made once, so that a tick on time allocates
	// nothing, as interrupt context must not.
	isr    ISR
	invoke func() error
}

// TimerStats is a snapshot of a TimerTask.
type TimerStats struct {
	Name   string
	Period time.Duration
	Ticks  int64 // callbacks run
	// Overruns counts callbacks whose work took longer than the period.
	Overruns int64
	// Lost counts ticks that came while a callback ran and another tick
	// was already pending: their callback never ran.
	Lost int64
	// Latency is from the tick's due time to the start of its callback:
	// zero unless a step held the loop, or an overrun made the tick wait.
	Latency Dist
	// Work is the time each callback took.
	Work     Dist
	Disabled bool // stopped because its callback failed
}

// Name returns the callback's name.
func (tt *TimerTask) Name() string { return tt.name }

// Stop stops the timer and reports whether it was running.
func (tt *TimerTask) Stop() bool {
	tt.pending = false
	return tt.timer.Stop()
}

// Stats returns a snapshot of the callback's timing.
func (tt *TimerTask) Stats() TimerStats {
	return TimerStats{Name: tt.name, Period: tt.period, Ticks: tt.ticks, Overruns: tt.overruns,
		Lost: tt.lost, Latency: tt.latency.dist(), Work: tt.work.dist(), Disabled: tt.disabled}
}

// tick is the timer's callback, in interrupt context. The callback's
// work holds the loop (Loop.Busy), so ticks due while it ran arrive when
// it ends: the first of them runs, as a pending interrupt flag makes it,
// and the others are lost, since the flag holds one tick.
func (tt *TimerTask) tick() {
	tt.n++
	due := tt.start + tt.cfg.Tick(tt.n)
	switch {
	case due >= tt.busyUntil: // on time, or late only because a step held the loop
		tt.pending = false
	case due >= tt.lastStart:
		// It came while the last callback ran, which had cleared the
		// flag when it started: the flag holds this tick.
		tt.pending = true
	case tt.pending:
		// It came before the last callback started, while the flag
		// held the tick that callback ran for.
		tt.lost++
		return
	default:
		tt.pending = true
	}
	tt.call(tt.n, due)
}

// call runs the callback for tick n, due at due.
func (tt *TimerTask) call(n int64, due time.Duration) {
	l := tt.f.loop
	now := l.Now()
	tt.latency.add(now - due)
	tt.lastStart = now
	c := &tt.isr
	c.now, c.tick, c.work = now, n, 0
	err := protect(tt.invoke)
	work := l.Now() - now
	tt.ticks++
	tt.work.add(work)
	if work > tt.period {
		tt.overruns++
	}
	tt.busyUntil = l.Now()
	if err != nil {
		tt.disabled = true
		tt.Stop()
		tt.f.fault(Fault{Source: tt.name, At: now, Err: err})
	}
}

// ISR is what a callback gets while it runs in interrupt context, like the
// timer pyb.Timer passes to its callback. It is valid only during the
// callback.
type ISR struct {
	f      *Foreground
	source string
	now    time.Duration
	tick   int64
	work   time.Duration
}

// Source returns the callback's name.
func (c *ISR) Source() string { return c.source }

// Now returns the board time the callback started.
func (c *ISR) Now() time.Duration { return c.now }

// Tick returns the number of the timer tick, from 1.
func (c *ISR) Tick() int64 { return c.tick }

// Work says that the callback's work takes d, and holds the loop for d
// (coop's Loop.Busy), as a long interrupt holds the background on a board:
// on the virtual clock board time passes, on the real clock it sleeps.
func (c *ISR) Work(d time.Duration) {
	if d <= 0 {
		return
	}
	c.work += d
	c.f.loop.Busy(d)
}

// Schedule hands fn to the loop, as [Foreground.Schedule] does.
func (c *ISR) Schedule(fn func() error) error { return c.f.Schedule(fn) }
