package coop

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// WarningKind says what a [Warning] is about.
type WarningKind uint8

// The kinds of warning.
const (
	// WarnBlocking: a step held the loop longer than the blocking threshold.
	WarnBlocking WarningKind = iota + 1
	// WarnIgnoredCancel: a cancelled task kept awaiting and was abandoned.
	WarnIgnoredCancel
	// WarnSpinning: on the virtual clock, tasks kept yielding without ever
	// waiting for time, so time stood still ([WithSpinThreshold]); it is
	// reported once per loop.
	WarnSpinning
	// WarnStuckCleanup: a task was still cleaning up when the loop's
	// shutdown grace ran out, and was abandoned.
	WarnStuckCleanup
)

// String returns the kind's name: "blocking", "ignored cancellation",
// "spinning" or "stuck cleanup".
func (k WarningKind) String() string {
	switch k {
	case WarnBlocking:
		return "blocking"
	case WarnIgnoredCancel:
		return "ignored cancellation"
	case WarnSpinning:
		return "spinning"
	case WarnStuckCleanup:
		return "stuck cleanup"
	}
	return fmt.Sprintf("WarningKind(%d)", k)
}

// Warning is a diagnostic the loop reports without stopping: a task that
// blocked the loop, ignored cancellation, spun on a still virtual clock, or
// was still cleaning up when the shutdown grace ran out.
type Warning struct {
	Kind WarningKind
	Task string        // the task's name (WarnSpinning: up to three, quoted)
	At   time.Duration // loop time of the report
	// Held is how long the step held the loop (WarnBlocking), in loop time
	// on the virtual clock and wall time on the real one; for
	// WarnStuckCleanup, the shutdown grace.
	Held      time.Duration
	Threshold time.Duration // the blocking threshold (WarnBlocking)
	// Stack is where the task was when the block was detected
	// (WarnBlocking) or at the await that went past the cancel limit
	// (WarnIgnoredCancel), empty if it could not be captured (TinyGo
	// has no stack to give); for WarnStuckCleanup, what the task
	// waited on.
	Stack string
	// Count is how many awaits returned ErrCancelled (WarnIgnoredCancel),
	// or how many rounds the clock stood still (WarnSpinning).
	Count int
	// On the real clock (WarnBlocking): what the step did, by the
	// process's CPU time over it (CPU, an estimate from samples around
	// the step), and how much of Held the process was seen not to run
	// (Stalled), which does not count against the task. A step whose
	// Held less Stalled is within the threshold is not reported.
	Cause   BlockCause
	CPU     time.Duration
	Stalled time.Duration
}

// String describes the warning in one line, followed by the stack if there
// is one.
func (w Warning) String() string {
	var s string
	switch w.Kind {
	case WarnBlocking:
		s = fmt.Sprintf("coop: warning: task %q blocked the loop for %v (threshold %v) at %v",
			w.Task, w.Held, w.Threshold, w.At)
		if w.Cause != CauseUnknown {
			s += fmt.Sprintf(": %v (CPU %v)", w.Cause, w.CPU.Round(time.Microsecond))
		}
		if w.Stalled > 0 {
			s += fmt.Sprintf("; the process did not run for %v of it", w.Stalled.Round(time.Microsecond))
		}
	case WarnIgnoredCancel:
		s = fmt.Sprintf("coop: warning: task %q ignored cancellation (%d awaits returned ErrCancelled); abandoning it at %v",
			w.Task, w.Count, w.At)
	case WarnStuckCleanup:
		s = fmt.Sprintf("coop: warning: task %q was still cleaning up %v after the loop began to close; abandoning it at %v",
			w.Task, w.Held, w.At)
	case WarnSpinning:
		who := "task"
		if strings.Contains(w.Task, ", ") {
			who = "tasks"
		}
		s = fmt.Sprintf("coop: warning: on the virtual clock, %s %s kept yielding without waiting for time, which stands still at %v (%d rounds); "+
			"sleep for a time instead of Sleep(0), or give every step board time with WithStepCost (coop run --step-cost)",
			who, w.Task, w.At, w.Count)
	default:
		s = fmt.Sprintf("coop: warning %d about task %q at %v", w.Kind, w.Task, w.At)
	}
	if w.Stack != "" {
		s += "\n" + w.Stack
	}
	return s
}

func (l *Loop) warn(w Warning) { l.cfg.onWarning(w) }

// Busy holds the loop for d without yielding, as a blocking call would (a
// sensor read, MicroPython's time.sleep_ms): no other task runs meanwhile
// and timers due in that span fire late. On the real clock it sleeps the
// goroutine; on the virtual clock it advances the clock by d. Simulated
// devices use it for the time their calls take; examples use it to show
// what blocking does.
func (t *Task) Busy(d time.Duration) {
	if t.loop.current != t {
		t.loop.misuse(t, "Busy")
	}
	t.loop.busy(d)
}

// Busy holds the loop for d from a loop callback (interrupt context), as
// the work of an interrupt handler delays everything else on a board. It is
// [Task.Busy] for code that runs outside tasks, and panics elsewhere than
// in a callback or a task's step.
func (l *Loop) Busy(d time.Duration) {
	if l.current == nil && !l.inCallback {
		panic("coop: Loop.Busy called outside the loop's callbacks and tasks; call it from a loop callback, or Task.Busy from a task")
	}
	l.busy(d)
}

func (l *Loop) busy(d time.Duration) {
	if d <= 0 {
		return
	}
	if !l.virtual {
		time.Sleep(d)
		return
	}
	l.vnow = after(l.vnow, d)
	if l.current != nil && l.cfg.blocking > 0 && l.busyStack == nil && l.vnow-l.stepVStart > l.cfg.blocking {
		// The stack at the moment of detection is here, in the task.
		l.busyStack = stack()
	}
}

// reportBlocking warns that t's last step, begun at begin (loop time),
// held the loop for held. On the real clock it first takes out the time
// the process itself was not running (a stalled or overloaded machine, a
// paused VM): a step that held the loop only because nothing ran is not
// the task's doing, and is not reported.
func (l *Loop) reportBlocking(t *Task, begin, held time.Duration) {
	w := Warning{Kind: WarnBlocking, Task: t.name, Held: held, Threshold: l.cfg.blocking}
	if l.virtual {
		w.Stack = string(l.busyStack)
	} else if l.watchdog != nil {
		var st stepReport
		st, w.Stack = l.watchdog.report(begin, held)
		if held-st.stalled <= l.cfg.blocking {
			l.busyStack = nil
			return
		}
		w.Stalled, w.CPU, w.Cause = st.stalled, st.cpu, st.cause
	}
	l.busyStack = nil
	w.At = l.Now()
	l.warn(w)
}

// BlockCause says what a step that held the loop did meanwhile, as far as
// the process's CPU time tells.
type BlockCause uint8

// The causes of a blocking step.
const (
	// CauseUnknown: no CPU time to tell by (the virtual clock, where a
	// step holds the loop in Busy, or a platform without it).
	CauseUnknown BlockCause = iota
	// CauseComputing: the process used the CPU for a fair part (an
	// eighth or more, as on a crowded machine) of the step.
	CauseComputing
	// CauseWaiting: the process hardly used the CPU while it ran: the task
	// waited in a blocking call (a sleep, a read, a lock).
	CauseWaiting
)

// String returns "computing", "waiting in a blocking call" or "unknown".
func (c BlockCause) String() string {
	switch c {
	case CauseComputing:
		return "computing"
	case CauseWaiting:
		return "waiting in a blocking call"
	}
	return "unknown"
}

// stepReport is what the watchdog saw of a step that held the loop.
type stepReport struct {
	stalled time.Duration // the process was seen not to run for this long
	cpu     time.Duration // the process's CPU time over the step, estimated
	cause   BlockCause
}

// watchdog watches steps on the real clock from its own goroutine. It
// captures the stack of a step that runs past the threshold while it still
// runs, and keeps the evidence that tells a task that held the loop from a
// process that was not scheduled: its own ticks, which stop when the
// process does, and the process's CPU time.
//
// The loop publishes a step by storing its start in start, one atomic
// write per step; it clears start when it leaves its steps (to wait, or
// to run a callback), not after each step, since the next step's start
// overwrites it.
type watchdog struct {
	loop      *Loop
	threshold time.Duration
	period    time.Duration
	label     string       // the pprof label value of the loop's task goroutines
	labels    any          // the labels a task goroutine sets
	start     atomic.Int64 // 1 + start of the running step, 0 when none, negated while its stack is captured
	published bool         // start is not 0 (owned by the loop)
	quit      chan struct{}
	done      sync.WaitGroup

	mu       sync.Mutex // the watchdog holds it while it captures a stack
	stackFor int64      // the start key the captured stack belongs to
	stack    string
	lastTick time.Duration // wall-clock time of the latest tick
	stallFor int64         // the start key stall belongs to
	stall    time.Duration // time the watchdog did not run during step stallFor
	// CPU samples: the latest, and the one taken before step baseFor began.
	cpuOK           bool
	cpuAt, cpu      time.Duration
	baseFor         int64
	baseAt, baseCPU time.Duration
}

func startWatchdog(l *Loop) *watchdog {
	w := &watchdog{loop: l, threshold: l.cfg.blocking, period: max(l.cfg.blocking/2, time.Millisecond),
		quit: make(chan struct{})}
	w.label, w.labels = taskLabel(l)
	w.lastTick = l.wallClock()
	w.cpu, w.cpuOK = processCPU()
	w.cpuAt = w.lastTick
	w.done.Go(w.watch)
	return w
}

// begin publishes the start of a step.
func (w *watchdog) begin(at time.Duration) {
	w.start.Store(int64(at) + 1) // never 0, which means "no step"
	w.published = true
}

// pause says that no step runs until the next begin.
func (w *watchdog) pause() {
	if w.published {
		w.start.Store(0)
		w.published = false
	}
}

func (w *watchdog) stop() {
	w.pause()
	close(w.quit)
	w.done.Wait()
}

func (w *watchdog) watch() {
	tick := time.NewTicker(w.period)
	defer tick.Stop()
	var seen int64
	for {
		select {
		case <-w.quit:
			return
		case <-tick.C:
		}
		now := w.loop.wallClock()
		key := w.start.Load()
		if key < 0 {
			key = -key
		}
		w.tick(now, key)
		if key == 0 || key == seen || now-time.Duration(key-1) <= w.threshold {
			continue
		}
		seen = key
		// Claim the step: if it has ended by now, its stack is gone. The
		// lock makes the loop's report of this step wait for the capture.
		w.mu.Lock()
		if w.start.CompareAndSwap(key, -key) {
			w.stackFor, w.stack = key, runningTaskStack(w.label)
		}
		w.mu.Unlock()
	}
}

// tick records the watchdog's own progress at now, while step key runs
// (0: none): a gap between ticks much longer than the period is time the
// process did not run.
func (w *watchdog) tick(now time.Duration, key int64) {
	cpu, ok := processCPU()
	w.mu.Lock()
	defer w.mu.Unlock()
	if key != 0 {
		w.addStall(key, now)
		if w.baseFor != key {
			// The first tick of this step: the sample before it is the
			// step's CPU baseline.
			w.baseFor, w.baseAt, w.baseCPU = key, w.cpuAt, w.cpu
		}
	}
	w.lastTick = now
	w.cpuAt, w.cpu, w.cpuOK = now, cpu, ok
}

// addStall counts, for step key, the part of the gap since the last tick
// past the tick that was due next, that falls in the step.
func (w *watchdog) addStall(key int64, now time.Duration) {
	from := max(time.Duration(key-1), w.lastTick+w.period)
	if now <= from {
		return
	}
	if w.stallFor != key {
		w.stallFor, w.stall = key, 0
	}
	w.stall += now - from
}

// report returns, for the step begun at begin that held the loop for held,
// how long the process was not running, its CPU time and the stack the
// watchdog captured, if it caught the step running.
func (w *watchdog) report(begin, held time.Duration) (stepReport, string) {
	key := int64(begin) + 1
	end := begin + held
	cpuNow, cpuOK := processCPU()
	w.mu.Lock()
	defer w.mu.Unlock()
	var st stepReport
	var stack string
	if w.stackFor == key {
		stack = w.stack
	}
	// Ticks missed since the last one are the tail of a stall the watchdog
	// has not seen yet (the loop woke first).
	w.addStall(key, end)
	if w.stallFor == key {
		st.stalled = min(w.stall, held)
	}
	if cpuOK && w.cpuOK {
		baseAt, baseCPU := w.cpuAt, w.cpu // no tick in the step: the latest sample precedes it
		if w.baseFor == key {
			baseAt, baseCPU = w.baseAt, w.baseCPU
		}
		if span := end - baseAt; span > 0 {
			// The CPU rate over a span that covers the step, applied to
			// the step.
			st.cpu = min(time.Duration(float64(cpuNow-baseCPU)*float64(held)/float64(span)), held)
		}
		// A process that used the CPU was running, whatever the ticks say.
		st.stalled = min(st.stalled, held-st.cpu)
		// A computing task on a crowded machine may get a small share of
		// a core, a waiting one next to nothing: an eighth tells them
		// apart.
		if st.cpu*8 >= held-st.stalled {
			st.cause = CauseComputing
		} else {
			st.cause = CauseWaiting
		}
	}
	return st, stack
}

// TaskInfo is a snapshot of a task, for dashboards and tests.
type TaskInfo struct {
	ID    uint64
	Name  string
	State TaskState
	// ParentID is the ID of the task that spawned it, 0 if none (see
	// [Task.ParentID]).
	ParentID uint64
	// WaitingOn says what a waiting task waits on: "event", "lock",
	// "queue get", "task NAME", "flag"…; empty otherwise.
	WaitingOn string
	// WakeAt is when a sleeping task is due.
	WakeAt time.Duration
	// Steps is how many times the task has run; Busy is their total time
	// and LongestStep the longest one, on the loop's clock: wall time on
	// the real clock, and on the virtual clock the board time steps held
	// the loop in [Task.Busy] (so they are the same on every run).
	Steps       uint64
	Busy        time.Duration
	LongestStep time.Duration
	// Lateness is how late, in loop time, the task last ran after its
	// timer was due; MaxLateness is the worst so far.
	Lateness    time.Duration
	MaxLateness time.Duration
	// Misses counts the deadlines the task missed: ticks its Tickers
	// skipped, and what [Task.AddMisses] added.
	Misses    int64
	Cancelled bool  // cancellation was requested
	Err       error // the result, once done
}

// Info returns a snapshot of the task.
func (t *Task) Info() TaskInfo {
	info := TaskInfo{
		ID: t.id, Name: t.name, State: t.state, ParentID: t.parentID,
		Steps: t.steps, Busy: t.busy, LongestStep: t.longest,
		Lateness: t.lateness, MaxLateness: t.maxLateness,
		Cancelled: t.is(cancelReq), Err: t.Err(),
	}
	if t.rare != nil {
		info.Misses = t.rare.misses
	}
	switch t.state {
	case StateSleeping:
		info.WakeAt = t.timer.when
	case StateWaiting:
		info.WaitingOn = describeWait(t)
	}
	return info
}

// describeWait says what the parked task t waits on.
func describeWait(t *Task) string {
	if !t.is(parked) {
		return "nothing"
	}
	s := waitNames[t.wait]
	if x, ok := t.obj.(*Task); ok {
		s += " " + strconv.Quote(x.name)
	}
	if t.wait == waitSleep || t.timer.state == timerPending {
		s += " until " + t.timer.when.String()
	}
	return s
}
