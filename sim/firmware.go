package sim

import (
	"cmp"
	"fmt"
	"slices"
	"sync/atomic"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Reset is a reset of a simulated board: its watchdog was not fed in time,
// the program asked for it, or the power was cut.
type Reset struct {
	// At is when the board reset: when the watchdog fired, after the
	// step that held the loop if one did, or when the program asked.
	At    time.Duration
	Cause hw.ResetCause // hw.WatchdogReset, hw.HardReset or hw.PowerOnReset (a power cut)

	// For a watchdog reset: its timeout, when it was last fed and by
	// which task ("" from a callback or before any feed: Start counts as
	// one).
	Timeout  time.Duration
	LastFeed time.Duration
	Feeder   string
	// Holder is the task that held the loop longest since the watchdog
	// last looked, if it held it for half the timeout or more, and Held
	// for how long; "" if no task did (the feeding task stopped, or
	// waits on something that never comes).
	Holder string
	Held   time.Duration

	// By is, for a reset the program asked for, the task that called
	// Reset; "" from a callback.
	By string

	// Torn is, for a power cut in the middle of a flash write, what was
	// written: `append "log" after 7 of 40 bytes`.
	Torn string
}

// Deadline is when the watchdog expired: when a real one would have reset
// the board. Zero for a reset that was not the watchdog's.
func (r Reset) Deadline() time.Duration {
	if r.Cause != hw.WatchdogReset {
		return 0
	}
	return r.LastFeed + r.Timeout
}

// String describes the reset in one line, with times to the millisecond:
//
//	watchdog reset at 5.05s: task "sensor" held the loop 2s (not fed for 2.05s, timeout 1s)
//	reset at 3s by task "main" (machine.reset)
func (r Reset) String() string {
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	switch r.Cause {
	case hw.WatchdogReset:
		s := fmt.Sprintf("watchdog reset at %v", ms(r.At))
		if r.Holder != "" {
			s += fmt.Sprintf(": task %q held the loop %v", r.Holder, ms(r.Held))
		}
		return s + fmt.Sprintf(" (not fed for %v, timeout %v)", ms(r.At-r.LastFeed), r.Timeout)
	case hw.PowerOnReset:
		if r.Torn != "" {
			return fmt.Sprintf("power cut at %v during %s", ms(r.At), r.Torn)
		}
		return fmt.Sprintf("power cut at %v", ms(r.At))
	case hw.HardReset:
		if r.By != "" {
			return fmt.Sprintf("reset at %v by task %q (machine.reset)", ms(r.At), r.By)
		}
		return fmt.Sprintf("reset at %v (machine.reset)", ms(r.At))
	}
	return fmt.Sprintf("%v reset at %v", r.Cause, ms(r.At))
}

// Reset implements [hw.ResetBoard] (machine.reset()): the board resets as
// its watchdog would reset it, at once. With a [Firmware] the program is
// cancelled, and the caller's next await returns coop.ErrCancelled; then it
// starts again. Without one the reset is only traced.
func (b *Board) Reset() {
	r := Reset{At: b.now(), Cause: hw.HardReset}
	if t := b.loop.Current(); t != nil {
		r.By = t.Name()
	}
	b.requestReset(r)
}

// ResetCause implements [hw.ResetBoard]: why the board last started,
// hw.PowerOnReset until it resets.
func (b *Board) ResetCause() hw.ResetCause {
	if b.cause == 0 {
		return hw.PowerOnReset
	}
	return b.cause
}

// requestReset traces a reset and hands it to the Firmware, if there is
// one, which cancels the program, resets the board and starts the program
// again.
func (b *Board) requestReset(r Reset) {
	what := "reset"
	if b.resetHook == nil {
		what = "expired"
		if r.Cause != hw.WatchdogReset {
			what = "reset ignored: no firmware"
		}
	}
	b.emitInterrupt(r.At, resetSource(r.Cause), what)
	if b.resetHook != nil {
		b.goingDown = true
		b.resetHook(r)
	}
}

func resetSource(c hw.ResetCause) string {
	switch c {
	case hw.WatchdogReset:
		return "watchdog"
	case hw.PowerOnReset:
		return "power"
	}
	return "reset"
}

// reset puts the board back as it is at power-on, once the program's tasks
// have ended: every pin an input without pull (outputs stop driving, LEDs
// go dark), timers, key scanners and pin interrupts stopped, the Wi-Fi
// disconnected, the watchdog disarmed and a console line left without its
// newline ended. The parts wired to the board and the files in its flash
// stay.
func (b *Board) reset(cause hw.ResetCause) {
	b.boot++
	b.cause = cause
	b.goingDown = false
	b.FlushConsole()
	if b.wdt != nil {
		b.wdt.disarm()
		b.wdt = nil
	}
	ids := make([]int, 0, len(b.hwTimers))
	for id := range b.hwTimers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		b.hwTimers[id].Stop()
	}
	for _, p := range b.order {
		p.release()
	}
	if b.wlan != nil {
		b.wlan.Disconnect()
	}
	b.irqQueue = nil
}

// Firmware runs a program on a board as the board runs main.py: at power-on
// and, after each reset (a watchdog that was not fed, [Board.Reset]), again
// from the start, on the same board, while board time goes on.
//
// A reset cancels every task of the program, waits until they have all
// finished their cleanup, puts the board back as at power-on (pins
// inputs, LEDs dark, timers and interrupts stopped; the flash keeps its
// files), tells OnReset, and starts the program again in a new task
// "main". The program learns why it started from [hw.LastReset].
//
// The program's tasks are its main task and every task spawned by one of
// them ([coop.Task.ParentID]), which the Firmware follows from Start on
// ([coop.Loop.Observe]). Tasks spawned from interrupt handlers are not the
// program's.
//
// Set App, and OnStart and OnReset if wanted, then call Start once. A
// Firmware belongs to its board's loop.
type Firmware struct {
	// App is the program.
	App func(t *coop.Task, b hw.Board) error
	// OnStart, if not nil, is told of each main task of the program as
	// it is spawned: by Start, and at each reset, when the reset begins
	// (the old program still cleans up; the new main task waits for it).
	// Code that cancels or awaits the program keeps the task it gets.
	OnStart func(main *coop.Task)
	// OnReset, if not nil, is told of each reset, on the loop, once the
	// board has reset and before the program starts again.
	OnReset func(Reset)

	board    *Board
	main     *coop.Task
	tasks    map[uint64]*coop.Task // the program's live tasks, by ID
	resetted bool                  // a reset is under way
	resets   []Reset

	// The task whose step runs, any task of the loop: cur for the loop,
	// running for other goroutines (see Running).
	cur     *coop.Task
	running atomic.Pointer[coop.Task]
}

// observe follows the tasks the program spawns, so that a reset cancels
// them all: a task is the program's if the task that spawned it is.
func (f *Firmware) observe(ev coop.TaskEvent) {
	t := ev.Task
	switch {
	case ev.State == coop.StateRunning:
		f.cur = t
		f.running.Store(t)
		return
	case t == f.cur: // the step ends: the task yields, waits or ends
		f.cur = nil
		f.running.Store(nil)
	}
	switch ev.State {
	case coop.StateReady:
		// Spawned by a task of the program, in its step. Most ready
		// events are wake-ups from a callback, with no task running:
		// they cost a comparison.
		if cur := t.Loop().Current(); cur != nil && t.ParentID() == cur.ID() && f.tasks[cur.ID()] != nil {
			f.tasks[t.ID()] = t
		}
	case coop.StateDone, coop.StateCancelled, coop.StateFailed:
		delete(f.tasks, t.ID())
	}
}

// Start starts the program on b, in a new task "main", and returns the
// task. The board's resets restart the program from now on.
func (f *Firmware) Start(b *Board) *coop.Task {
	if f.board != nil {
		panic("sim: Firmware.Start called twice")
	}
	f.board = b
	b.resetHook = f.reset
	f.tasks = make(map[uint64]*coop.Task)
	b.loop.Observe(f.observe)
	f.spawn(nil, nil)
	return f.main
}

// Running returns the task whose step runs on the board's loop now, or
// nil between steps: any task of the loop, the program's or not. Any
// goroutine may call it, to name a step that holds the loop while it
// still runs; it costs the loop two atomic stores a step.
func (f *Firmware) Running() *coop.Task { return f.running.Load() }

// Main returns the program's main task now: the last one spawned.
func (f *Firmware) Main() *coop.Task { return f.main }

// Resets returns the board's resets so far.
func (f *Firmware) Resets() []Reset { return slices.Clone(f.resets) }

// reset is the board's reset hook.
func (f *Firmware) reset(r Reset) {
	if f.resetted || f.main.Cancelled() {
		return // a reset is under way, or the program is being stopped
	}
	f.resetted = true
	f.resets = append(f.resets, r)
	old := []*coop.Task{f.main}
	for _, t := range f.tasks {
		if t != f.main {
			old = append(old, t)
		}
	}
	slices.SortFunc(old[1:], func(a, b *coop.Task) int { return cmp.Compare(a.ID(), b.ID()) })
	for _, t := range old {
		t.Cancel()
	}
	f.spawn(old, &r)
}

// spawn starts a main task: the program, after the reset r once the old
// program's tasks are done.
func (f *Firmware) spawn(old []*coop.Task, r *Reset) {
	b := f.board
	f.main = b.loop.Spawn("main", func(t *coop.Task) error {
		if r != nil {
			coop.Gather(t, old...) // their results are their cancellation
			if t.Cancelled() {
				return coop.ErrCancelled // the run is stopping
			}
			b.reset(r.Cause)
			f.resetted = false
			if f.OnReset != nil {
				f.OnReset(*r)
			}
		}
		return f.App(t, b)
	})
	f.tasks[f.main.ID()] = f.main
	if f.OnStart != nil {
		f.OnStart(f.main)
	}
}

var _ hw.ResetBoard = (*Board)(nil)
