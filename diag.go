package coop

import (
	"bytes"
	"fmt"
	"runtime"
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
	// (WarnBlocking), empty if it could not be captured; for
	// WarnStuckCleanup, what the task waited on.
	Stack string
	// Count is how many awaits returned ErrCancelled (WarnIgnoredCancel),
	// or how many rounds the clock stood still (WarnSpinning).
	Count int
}

// String describes the warning in one line, followed by the stack if there
// is one.
func (w Warning) String() string {
	var s string
	switch w.Kind {
	case WarnBlocking:
		s = fmt.Sprintf("coop: warning: task %q blocked the loop for %v (threshold %v) at %v",
			w.Task, w.Held, w.Threshold, w.At)
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

// reportBlocking warns that t's last step held the loop for held.
func (l *Loop) reportBlocking(t *Task, held time.Duration) {
	var st string
	if l.virtual {
		st = string(l.busyStack)
	} else if l.watchdog != nil {
		st = l.watchdog.taken()
	}
	l.busyStack = nil
	l.warn(Warning{Kind: WarnBlocking, Task: t.name, At: l.Now(), Held: held,
		Threshold: l.cfg.blocking, Stack: st})
}

// watchdog watches steps on the real clock from its own goroutine, and
// captures the stack of a step that runs past the threshold while it is
// still running.
type watchdog struct {
	loop      *Loop
	threshold time.Duration
	start     atomic.Int64 // 1 + wall-clock time of the running step's start, 0 between steps
	gid       atomic.Uint64
	seq       atomic.Uint64
	quit      chan struct{}
	done      sync.WaitGroup

	mu       sync.Mutex
	stackSeq uint64
	stack    string
}

func startWatchdog(l *Loop) *watchdog {
	w := &watchdog{loop: l, threshold: l.cfg.blocking, quit: make(chan struct{})}
	w.done.Go(w.watch)
	return w
}

func (w *watchdog) begin(t *Task, at time.Duration) {
	w.seq.Add(1)
	w.gid.Store(t.gid)
	w.start.Store(int64(at) + 1) // never 0, which means "between steps"
}

func (w *watchdog) end() { w.start.Store(0) }

func (w *watchdog) stop() {
	close(w.quit)
	w.done.Wait()
}

func (w *watchdog) watch() {
	tick := time.NewTicker(max(w.threshold/2, time.Millisecond))
	defer tick.Stop()
	var seen uint64
	for {
		select {
		case <-w.quit:
			return
		case <-tick.C:
		}
		start := w.start.Load()
		seq := w.seq.Load()
		if start == 0 || seq == seen || w.loop.wallClock()-time.Duration(start-1) <= w.threshold {
			continue
		}
		seen = seq
		st := goroutineStack(w.gid.Load())
		if w.start.Load() != start { // the step ended meanwhile
			continue
		}
		w.mu.Lock()
		w.stackSeq, w.stack = seq, st
		w.mu.Unlock()
	}
}

// taken returns the stack captured during the step that just ended, if any.
func (w *watchdog) taken() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stackSeq != w.seq.Load() {
		return ""
	}
	return w.stack
}

// stack returns the calling goroutine's stack.
func stack() []byte {
	buf := make([]byte, 8192)
	for {
		n := runtime.Stack(buf, false)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// currentGoroutineID reads the calling goroutine's number from its stack
// header ("goroutine 18 [running]:").
func currentGoroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, _ := strconv.ParseUint(string(b[:i]), 10, 64)
		return id
	}
	return 0
}

// goroutineStack returns the stack of goroutine gid, from a dump of all.
func goroutineStack(gid uint64) string {
	if gid == 0 {
		return ""
	}
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= 1<<24 {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	head := []byte("goroutine " + strconv.FormatUint(gid, 10) + " [")
	for g := range bytes.SplitSeq(buf, []byte("\n\n")) {
		if bytes.HasPrefix(g, head) {
			return string(g)
		}
	}
	return ""
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
		Lateness: t.lateness, MaxLateness: t.maxLateness, Misses: t.misses,
		Cancelled: t.cancelReq, Err: t.err,
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
	if !t.parked {
		return "nothing"
	}
	s := waitNames[t.wait]
	if x, ok := t.waitObj.(*Task); ok {
		s += " " + strconv.Quote(x.name)
	}
	if t.wait == waitSleep || t.timer.index >= 0 {
		s += " until " + t.timer.when.String()
	}
	return s
}
