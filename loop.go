package coop

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Loop is the event loop: it owns the clock, the ready queue and the
// timers, and runs one task step at a time. Make one with [NewLoop], or let
// [Run] make and close one. A Loop's methods must be called from its tasks
// and callbacks, except [Loop.CallSoon], [Loop.Stop] and [Loop.Hold], which
// any goroutine may call.
type Loop struct {
	cfg config

	virtual bool
	vnow    time.Duration // the virtual clock
	base    time.Time     // the real clock's zero

	ready   readyQueue
	timers  timerHeap
	seq     uint64
	current *Task
	// yield suspends the coroutine of current (see Task.body).
	yield      func(struct{}) bool
	inCallback bool
	nextID     uint64
	live       struct{ head, tail *Task }
	nlive      int
	rng        *rand.Rand

	running bool
	until   *Task // the task the running loop runs until, or nil
	halt    bool  // until has finished, or Break was called: end the round at once
	broken  bool  // a Break ended the last run mid-round: the next run ends that round first
	closing bool  // Close runs the loop until no task is alive
	closed  bool
	stopped bool // Stop was seen by the loop

	// Shared with other goroutines, under mu. posted is set, under mu,
	// when inbox or stopReq has something for the loop, so that the loop
	// reads one word instead of taking the lock on every round.
	posted  atomic.Bool
	mu      sync.Mutex
	inbox   []inboxItem
	spare   []inboxItem
	stopReq bool
	shut    bool // Close is done: what is posted is dropped
	holds   int
	wake    chan struct{}

	// ThreadSafeFlags: flagged is set (from anywhere) when one may have
	// been set; flagWaits, owned by the loop, are those a task waits on.
	flagged   atomic.Bool
	flagWaits []*ThreadSafeFlag

	realTimer  *time.Timer
	watchdog   *watchdog
	grace      *Handle       // Close's shutdown grace, while it runs
	busyStack  []byte        // stack captured by Busy on the virtual clock
	stepVStart time.Duration // virtual time the running step began
	// On the real clock, clock is the last reading of it and fresh says it
	// may stand for now: nothing but the loop's own bookkeeping ran since.
	// One step's end is then the next one's start, so a step costs one
	// clock reading, not two.
	clock      time.Duration
	clockFresh bool
	spinAt     time.Duration // virtual time of the rounds counted in spinCount
	spinCount  int
	spinWarned bool

	// Observers added by Observe; while there are some, cfg.onTaskEvent
	// is notifyObservers and optionEvents the WithTaskEvents hook.
	observers    []*taskObserver
	optionEvents func(TaskEvent)
}

// inboxItem is work handed to the loop from outside it: a callback, or the
// wake-up of a task for its wait number seq on obj.
type inboxItem struct {
	fn   func()
	task *Task
	obj  any
	seq  uint32
}

// NewLoop returns a loop configured by opts. Its clock starts at zero now.
func NewLoop(opts ...Option) *Loop {
	l := &Loop{
		cfg:  newConfig(opts),
		base: time.Now(),
		wake: make(chan struct{}, 1),
	}
	l.virtual = l.cfg.virtual
	if l.cfg.shuffle {
		l.rng = rand.New(rand.NewPCG(l.cfg.shuffleSeed, 0x636f6f70))
	}
	return l
}

// Run runs main as the first task of a new loop configured by opts
// (asyncio.run) and returns main's result once main is done and every other
// task, cancelled, has finished cleaning up.
//
// A panic that escapes the loop (one raised by the error, warning or task
// event handler) or a runtime.Goexit on the loop's goroutine leaves Run only
// after the loop has been closed: every task is cancelled and finishes, so
// no coroutine is left behind.
//
// Called inside a task, where asyncio.run refuses to run, Run runs a loop
// of its own to its end within that task's step, as any blocking call does:
// the task's loop, and its clock if virtual, stand still meanwhile. Spawn
// the work on the running loop instead.
func Run(main func(t *Task) error, opts ...Option) error {
	if main == nil {
		panic("coop: Run with a nil main function; pass the program's main task")
	}
	l := NewLoop(opts...)
	t := l.Spawn("main", main)
	done := false
	defer func() {
		if !done {
			l.closeAfterPanic()
		}
	}()
	err := l.RunUntilComplete(t)
	if cerr := l.Close(); err == nil {
		err = cerr
	}
	done = true
	return err
}

// closeAfterPanic closes the loop while a panic or a Goexit unwinds Run.
// The handlers, which may be what panicked, can no longer stop it.
func (l *Loop) closeAfterPanic() {
	if l.closed {
		return
	}
	onError, onWarning, onTaskEvent := l.cfg.onError, l.cfg.onWarning, l.cfg.onTaskEvent
	l.cfg.onError = func(t *Task, err error) {
		defer func() { recover() }()
		onError(t, err)
	}
	l.cfg.onWarning = func(w Warning) {
		defer func() { recover() }()
		onWarning(w)
	}
	if onTaskEvent != nil {
		l.cfg.onTaskEvent = func(ev TaskEvent) {
			defer func() { recover() }()
			onTaskEvent(ev)
		}
	}
	l.running = false
	l.Close()
}

// Now returns the loop's clock: time since the loop was made, virtual or
// real.
func (l *Loop) Now() time.Duration {
	if l.virtual {
		return l.vnow
	}
	return time.Since(l.base)
}

// wallClock reads the monotonic clock only (time.Now would also read the
// wall clock, which costs as much again on every step).
func (l *Loop) wallClock() time.Duration { return time.Since(l.base) }

// Virtual reports whether the loop runs on the virtual clock.
func (l *Loop) Virtual() bool { return l.virtual }

// Current returns the task whose step is running, or nil between steps and
// in callbacks.
func (l *Loop) Current() *Task { return l.current }

// Spawn starts fn as a new task, ready to run after what is already ready.
// It may be called before the loop runs. An empty name is replaced by
// "task-ID". A task spawned while the loop closes is cancelled before it
// runs.
func (l *Loop) Spawn(name string, fn func(t *Task) error) *Task {
	l.checkOpen("Spawn")
	if fn == nil {
		panic("coop: Spawn with a nil function; pass the task's body")
	}
	l.nextID++
	t := &Task{loop: l, id: l.nextID, name: name, obj: fn}
	if l.current != nil {
		t.parentID = l.current.id
	}
	if t.name == "" {
		t.name = "task-" + strconv.FormatUint(t.id, 10)
	}
	t.timer.task = t
	if l.live.tail != nil {
		l.live.tail.lnext = t
		t.lprev = l.live.tail
	} else {
		l.live.head = t
	}
	l.live.tail = t
	l.nlive++
	t.set(queued)
	l.ready.push(0, runnable{task: t})
	if l.cfg.onTaskEvent != nil {
		l.taskEvent(t)
	}
	if l.closing {
		t.set(cancelReq) // spawned by cleanup code: it never runs
	}
	return t
}

// RunUntilComplete runs the loop until t is done and returns t's result,
// or an error wrapping [ErrStopped] if [Loop.Stop] stopped the loop before.
func (l *Loop) RunUntilComplete(t *Task) error {
	if t == nil {
		panic("coop: RunUntilComplete with a nil task; pass a task Spawn returned")
	}
	if t.loop != l {
		panic("coop: RunUntilComplete with a task of another loop")
	}
	t.set(awaited)
	if t.state.Final() {
		return t.result()
	}
	if err := l.run(t); err != nil {
		return err
	}
	return t.result()
}

// RunForever runs the loop until [Loop.Stop] is called. It returns an
// error wrapping [ErrDeadlock] if, on the virtual clock, nothing is left
// that could ever wake a task; and nil if, on the virtual clock, no task is
// left alive and nothing is scheduled or in flight, as nothing could ever
// happen (asyncio's run_forever waits on, as the real clock does).
func (l *Loop) RunForever() error { return l.run(nil) }

// RunFor runs the loop for d of loop time from now, then returns, leaving
// tasks where they are, to be resumed by another run or cancelled by Close.
// What is due at now+d runs before it returns (so the clock may end past
// now+d if that work holds the loop); nothing due later does.
func (l *Loop) RunFor(d time.Duration) error {
	if d < 0 {
		panic(fmt.Sprintf("coop: RunFor(%v): the duration must be >= 0", d))
	}
	h := l.CallAt(after(l.Now(), d), l.Stop)
	defer h.Cancel()
	return l.run(nil)
}

// Stop makes a running loop return from RunForever or RunFor after the
// current round of ready tasks (RunUntilComplete, with [ErrStopped]). Any
// goroutine may call it. A Stop made while the loop does not run ends the
// next run before its first round (asyncio runs that round first;
// MicroPython ignores such a Stop). A Stop made in the round where
// RunUntilComplete's task ends is forgotten as that run returns, as in
// asyncio, and does not end the next run.
func (l *Loop) Stop() {
	l.mu.Lock()
	l.stopReq = true
	l.posted.Store(true)
	l.mu.Unlock()
	l.signal()
}

// Close cancels every task still alive, runs the loop until they have all
// finished their cleanup, and releases the loop. Using the loop afterwards
// panics. A task still cleaning up after the shutdown grace
// ([WithShutdownGrace]) is named in a warning and abandoned. Close returns
// an error wrapping [ErrDeadlock] if, on the virtual clock, cleanup got
// stuck on something that could never come; those tasks are abandoned at
// once.
func (l *Loop) Close() error {
	if l.closed {
		return nil
	}
	if l.running {
		panic("coop: Close called while the loop runs; call Stop, and Close after Run returns")
	}
	l.repair()
	var err error
	l.closing = true
	if l.nlive > 0 {
		l.grace = l.CallLater(l.cfg.grace, l.abandonStuck)
		defer func() { l.grace.Cancel(); l.grace = nil }()
	}
	for l.nlive > 0 {
		for t := l.live.head; t != nil; t = t.lnext {
			t.Cancel()
		}
		if rerr := l.run(nil); rerr != nil {
			err = rerr
			// Stuck in cleanup: unwind what is left.
			for t := l.live.head; t != nil; t = t.lnext {
				l.abandonTask(t)
			}
		}
	}
	if l.ready.len() > 0 {
		// Callbacks queued by the last steps, failure reports among them,
		// still run: one round, as nothing is left alive to queue more.
		if rerr := l.run(nil); rerr != nil && err == nil {
			err = rerr
		}
	}
	l.closed = true
	l.mu.Lock()
	l.shut, l.inbox, l.spare = true, nil, nil
	l.mu.Unlock()
	if l.realTimer != nil {
		l.realTimer.Stop()
	}
	return err
}

// abandonStuck names in a warning, and abandons, every task still alive
// when the shutdown grace is over.
func (l *Loop) abandonStuck() {
	for t := l.live.head; t != nil; t = t.lnext {
		what := "waiting on " + describeWait(t)
		if t.is(parked) && t.wait == waitOutside {
			what += ": its function ignores its context and is left running on its goroutine"
		}
		l.warn(Warning{Kind: WarnStuckCleanup, Task: t.name, At: l.Now(), Held: l.cfg.grace, Stack: what})
		l.abandonTask(t)
	}
}

// abandonTask makes t unwind at its next resume.
func (l *Loop) abandonTask(t *Task) {
	t.set(abandon)
	if t.is(parked) && !t.is(queued) {
		l.leaveWait(t)
		l.wakeTask(t, nil)
	}
}

func (l *Loop) checkOpen(what string) {
	if l.closed {
		panic(fmt.Sprintf("coop: %s on a closed loop; make a new loop with NewLoop or Run", what))
	}
}

// misuse panics for a blocking call made outside the calling task's step:
// from another task, a loop callback, or another goroutine (one the task
// started, say) while the task is parked. The check is one comparison with
// the task whose step runs, which the loop sets anyway.
func (l *Loop) misuse(t *Task, what string) {
	if l.closed {
		l.checkOpen(what)
	}
	cur := "no task"
	if l.current != nil {
		cur = fmt.Sprintf("task %q", l.current.name)
	}
	panic(fmt.Sprintf("coop: %s called for task %q while %s runs; "+
		"a task's awaits must be made from its own function (the self it is given), not from another task, "+
		"a loop callback or another goroutine (those hand work to the task with Loop.CallSoon or a ThreadSafeFlag)", what, t.name, cur))
}

// makeReady appends t to the ready queue.
func (l *Loop) makeReady(t *Task) {
	if !l.pushReady(t) {
		l.pushReadySlow(t)
	}
}

// pushReady is makeReady for a priority-0 task in the one bucket of most
// programs, with nobody observing and room in the ring: every step and
// wake comes here, so it is small enough to inline. It reports false,
// having done nothing, in every other case.
func (l *Loop) pushReady(t *Task) bool {
	q := l.ready.plain
	if q == nil || t.rare != nil || l.cfg.onTaskEvent != nil || q.full() {
		return false
	}
	t.flags |= queued
	t.state = StateReady
	l.ready.n++
	q.put(runnable{task: t})
	return true
}

// pushReadySlow is makeReady in the cases pushReady leaves.
func (l *Loop) pushReadySlow(t *Task) {
	t.set(queued)
	l.ready.push(t.priority(), runnable{task: t, seq: t.queueSeq()})
	t.state = StateReady
	if l.cfg.onTaskEvent != nil {
		l.taskEvent(t)
	}
}

// wakeTask ends t's wait with err: it leaves whatever wait list or timer it
// was on and becomes ready.
func (l *Loop) wakeTask(t *Task, err error) {
	if t.flags&(parked|queued) != parked {
		return
	}
	if t.wl != nil {
		t.wl.remove(t)
	}
	if t.timer.state == timerPending {
		l.timers.remove(&t.timer)
	}
	if err != nil {
		t.setWakeErr(err)
	}
	if !l.pushReady(t) { // makeReady, one call less for every wake
		l.pushReadySlow(t)
	}
}

// interrupt delivers a cancellation to the parked task t.
func (l *Loop) interrupt(t *Task) {
	switch {
	case t.is(queued):
		// Already woken, not yet resumed: the await fails (and gives
		// back what the wake handed it, see park), unless the await
		// decides itself what a cancellation means.
		if t.wakeErr() == nil && t.wait != waitTask && t.wait != waitGroup && t.wait != waitOutside {
			t.setWakeErr(ErrCancelled)
		}
	case t.wait == waitTask:
		if t.rare != nil && t.rare.targets != nil {
			for _, x := range t.rare.targets {
				x.Cancel()
			}
		} else {
			t.obj.(*Task).Cancel()
		}
	case t.wait == waitGroup:
		t.obj.(*TaskGroup).cancelMembers()
	case t.wait == waitOutside:
		t.obj.(*outside).cancel()
	default:
		l.leaveWait(t)
		l.wakeTask(t, ErrCancelled)
	}
}

// leaveWait undoes what a wait registered beyond its wait list, for a task
// that leaves it without what it waited for (cancelled, abandoned).
func (l *Loop) leaveWait(t *Task) {
	switch t.wait {
	case waitBarrier:
		t.obj.(*Barrier).arrived--
	case waitFlag:
		f := t.obj.(*ThreadSafeFlag)
		f.waiter = nil
		l.flagWaits = slices.DeleteFunc(l.flagWaits, func(x *ThreadSafeFlag) bool { return x == f })
	}
}

// after returns now+d, or the end of time if that overflows: a sleep of
// math.MaxInt64 waits forever instead of wrapping into the past.
func after(now, d time.Duration) time.Duration {
	if d > 0 && now > math.MaxInt64-d {
		return math.MaxInt64
	}
	return now + max(d, 0)
}

// schedule puts tm on the timer heap for time at.
func (l *Loop) schedule(tm *timer, at time.Duration) {
	l.seq++
	tm.when = at
	l.timers.push(tm, l.seq)
}

// run is the loop itself. It returns when until is done (or, with until
// nil, when Stop is called or no task is left alive).
func (l *Loop) run(until *Task) error {
	l.checkOpen("Run")
	if l.running {
		panic("coop: the loop is already running; spawn the task on it instead")
	}
	l.running = true
	l.stopped = false
	l.until, l.halt = until, false
	l.clockFresh = false
	if l.cfg.blocking > 0 && !l.virtual {
		l.watchdog = startWatchdog(l)
		defer func() { l.watchdog.stop(); l.watchdog = nil }()
	}
	defer func() { l.running, l.until, l.halt = false, nil, false }()
	// A Break ended the last run in the middle of a round: the rest of it
	// runs first, before timers and the inbox, and the round ends as
	// below, as it would have had that run gone on.
	resume := l.broken
	l.broken = false
	for {
		if !resume {
			if l.posted.Load() {
				l.drainInbox()
			}
			if l.flagged.Load() {
				l.pollFlags()
			}
			if l.stopped {
				if until != nil && !until.state.Final() {
					return fmt.Errorf("%w before task %q finished", ErrStopped, until.name)
				}
				return nil
			}
			if l.timers.len() > 0 {
				l.fireTimers()
			}
			if l.rng != nil && l.ready.len() > 1 {
				l.ready.shuffle(l.rng.Shuffle)
			}
			l.ready.startRound()
		}
		resume = false
		// The round: what is ready now runs, highest priority first; what
		// is made ready meanwhile waits for the next round, after timers
		// and the inbox have had their turn. The round and the resume of a
		// step are written out here, not in functions of their own: a
		// coroutine switch leaves the processor's predictions of return
		// addresses to the other side, so each return made after the
		// switch from a call made before it is mispredicted. The round
		// ends early after the step or callback that set halt.
		for {
			r, ok := l.ready.popRound()
			if !ok {
				break
			}
			t := r.task
			if t == nil {
				l.runCallback(r)
				if l.halt {
					break // Break
				}
				continue
			}
			if r.seq != t.queueSeq() {
				continue // a stale entry: the task moved to another priority
			}
			// A step resumes the task until its next await or its end.
			// What few steps need (a new task's coroutine, observers) is
			// done by prepareStep; the rest is written out here.
			if t.next == nil || l.cfg.onTaskEvent != nil || t.state.Final() {
				if !l.prepareStep(t) {
					if t == l.until {
						break // done now without a step, cancelled before its first: as below
					}
					continue
				}
			}
			// A step's length is what it held the loop for, on the loop's
			// clock: wall time on the real clock, read once per step (one
			// step's end is the next one's start); on the virtual clock,
			// the board time it spent in Busy, which keeps the statistics
			// deterministic and spares the step the clock.
			var begin, held time.Duration
			if l.virtual {
				begin = l.vnow
				l.stepVStart = begin
			} else {
				begin = l.stepStart()
				if l.watchdog != nil {
					l.watchdog.begin(begin)
				}
			}
			if t.flags&timerWoke != 0 {
				t.noteLateness(begin)
			}
			l.current = t
			t.state = StateRunning
			t.flags &^= parked | queued // it resumes now; resumed need not clear parked
			t.next()
			if l.virtual {
				l.vnow += l.cfg.stepCost
				held = l.vnow - begin
			} else {
				end := l.wallClock()
				l.clock, l.clockFresh = end, true
				held = end - begin
			}
			l.current = nil
			t.steps++
			t.busy += held
			t.longest = max(t.longest, held)
			if t.flags&finished != 0 || l.cfg.blocking > 0 && held > l.cfg.blocking || l.cfg.onTaskEvent != nil {
				l.settleStep(t, begin, held)
			} else if t.flags&(parked|queued) == parked {
				t.state = t.wait.parkedState()
			}
			if l.halt {
				// The task the loop runs until is done (nothing else of
				// the round runs a normal step: Close cancels what is
				// still ready, as MicroPython's run does), or Break was
				// called.
				break
			}
		}
		switch {
		case l.halt: // until is done, or Break was called
			return l.halted(until)
		case l.closing && l.nlive == 0:
			return nil
		case l.ready.len() > 0 || l.stopped:
			if l.virtual && l.cfg.spinLimit > 0 {
				// Count the rounds the clock stands still (see warnSpinning).
				if l.vnow != l.spinAt {
					l.spinAt, l.spinCount = l.vnow, 0
				} else if l.spinCount++; l.spinCount == l.cfg.spinLimit {
					l.warnSpinning()
				}
			}
			continue
		}
		if err := l.idle(); err != nil {
			return err
		}
	}
}

// repair puts back in order the step or callback that a panic escaping
// the loop (from a handler) or a Goexit interrupted, so that the loop can
// still be closed: a task whose function returned is finished, one
// interrupted before it ran is made ready again. Between steps every live
// task is parked or ready, and repair does nothing.
func (l *Loop) repair() {
	l.current, l.inCallback = nil, false
	for t := l.live.head; t != nil; {
		next := t.lnext
		switch {
		case t.is(finished):
			l.finish(t, t.result())
		case !t.is(parked) && !t.is(queued):
			l.makeReady(t)
		}
		t = next
	}
}

// warnSpinning warns, once, when tasks keep the virtual clock still by
// yielding without ever waiting for time (busy polling with Sleep(0)): on a
// board every pass would take time; here time never moves and the program
// never gets on. run counts the rounds (not steps, to stay off the step's
// path) in spinCount.
func (l *Loop) warnSpinning() {
	if l.spinWarned {
		return
	}
	l.spinWarned = true
	var names []string
	for i := range l.ready.buckets {
		q := &l.ready.buckets[i].q
		for j := range q.n {
			if t := q.at(j).task; t != nil && len(names) < 3 {
				names = append(names, strconv.Quote(t.name))
			}
		}
	}
	l.warn(Warning{Kind: WarnSpinning, Task: strings.Join(names, ", "), At: l.vnow, Count: l.spinCount})
}

// runCallback runs the callback of the ready-queue entry r, unless it is
// a timer's run cancelled or reset since it was queued.
func (l *Loop) runCallback(r runnable) {
	if r.tm != nil {
		if r.tm.state != timerDue || r.seq != r.tm.gen {
			return
		}
		r.tm.state = timerIdle
		r.fn = r.tm.fn
	}
	l.clockFresh = false
	l.callback(r.fn)
}

// Break makes the running loop return from RunFor or RunForever right
// after the task step or callback that calls it (a task, a callback, or an
// observer given to [Loop.Observe]), in the middle of its round of ready
// tasks if need be: a breakpoint, for a debugger or a page that steps a
// board one task step at a time. The next run goes on with the rest of that
// round before it looks at timers or at work handed in from other
// goroutines, so a run broken and resumed does what the run unbroken does.
//
// RunUntilComplete, broken before its task is done, returns an error, as
// after Stop. Called between steps (by an observer of a task that a timer
// makes ready), Break ends the run after the next step or callback; outside
// a run, or while Close runs, it does nothing. Call it on the loop, never
// from another goroutine ([Loop.Stop] is for those). The loop checks for it
// where it checks for the end of RunUntilComplete's task, so a loop nobody
// breaks pays nothing for it on a task's step.
func (l *Loop) Break() {
	if l.running && !l.closing {
		l.halt = true
	}
}

// halted ends a run that halt ended: RunUntilComplete's task is done, or
// Break was called, and the rest of the round waits for the next run.
func (l *Loop) halted(until *Task) error {
	if until != nil && until.state.Final() {
		l.dropStop()
		return nil
	}
	l.broken = true
	if until != nil {
		return fmt.Errorf("coop: the loop was stopped by Break before task %q finished", until.name)
	}
	return nil
}

// dropStop forgets a Stop made during a run that RunUntilComplete's task
// ended first, in the same round: as in asyncio, a stop request does not
// outlive the run it was made in, where it would end the next run before
// its first round. (A run ended by Break keeps it: the run that resumes
// the round ends with it, as the unbroken run would have.)
func (l *Loop) dropStop() {
	if !l.posted.Load() {
		return
	}
	l.mu.Lock()
	l.stopReq = false
	l.mu.Unlock()
}

// stepStart returns the real clock at the start of a step: the reading
// that ended the previous step, if nothing else ran since.
func (l *Loop) stepStart() time.Duration {
	if !l.clockFresh {
		l.clock = l.wallClock()
	}
	return l.clock
}

// prepareStep does what the step of t needs beyond the common path,
// before it: it skips a task already finished, finishes one cancelled
// before it started, tells observers that the task runs, and creates a new
// task's coroutine. It reports false if there is nothing to resume.
func (l *Loop) prepareStep(t *Task) bool {
	t.unset(queued)
	if t.state.Final() {
		return false
	}
	if t.next == nil && t.is(cancelReq) {
		l.finish(t, ErrCancelled)
		l.clockFresh = false
		return false
	}
	if l.cfg.onTaskEvent != nil {
		// The observer sees the task running, as the step will.
		l.current = t
		t.state = StateRunning
		if t.is(timerWoke) {
			if l.virtual {
				t.noteLateness(l.vnow)
			} else {
				t.noteLateness(l.stepStart())
			}
		}
		l.taskEvent(t)
		l.clockFresh = false
	}
	if t.next == nil {
		t.start()
		l.clockFresh = false
	}
	return true
}

// noteLateness records how late t's timer woke it, for the step beginning
// at begin.
func (t *Task) noteLateness(begin time.Duration) {
	late := begin - t.timer.when
	t.lateness = late
	t.maxLateness = max(t.maxLateness, late)
	t.unset(timerWoke)
}

// settleStep ends a step of t that began at begin and held the loop for
// held, once its statistics are recorded, in the cases the loop's common
// path leaves: it reports a step that blocked the loop, finishes a task
// whose function returned, and tells observers what a parked task waits
// for.
func (l *Loop) settleStep(t *Task, begin, held time.Duration) {
	if l.cfg.blocking > 0 && held > l.cfg.blocking {
		l.reportBlocking(t, begin, held)
		l.clockFresh = false
	}
	if t.is(finished) {
		l.finish(t, t.result())
		l.clockFresh = false
		return
	}
	if t.flags&(parked|queued) == parked {
		t.state = t.wait.parkedState()
		if l.cfg.onTaskEvent != nil {
			l.taskEvent(t)
			l.clockFresh = false
		}
	}
}

// callback runs fn, reporting a panic to the error handler.
func (l *Loop) callback(fn func()) {
	if l.watchdog != nil {
		l.watchdog.pause() // no step runs
	}
	defer func() {
		l.inCallback = false
		if r := recover(); r != nil {
			l.cfg.onError(nil, &PanicError{Value: r, Stack: stack()})
		}
	}()
	l.inCallback = true
	fn()
}

// finish records t's result and tells whoever waits.
func (l *Loop) finish(t *Task, err error) {
	t.obj = err
	t.state = finalState(err)
	if t.is(goexit) {
		t.endGoexit()
	}
	t.next = nil
	if t.lprev != nil {
		t.lprev.lnext = t.lnext
	} else {
		l.live.head = t.lnext
	}
	if t.lnext != nil {
		t.lnext.lprev = t.lprev
	} else {
		l.live.tail = t.lprev
	}
	t.lprev, t.lnext = nil, nil
	l.nlive--
	if t == l.until {
		l.halt = true
	}
	if l.cfg.onTaskEvent != nil {
		l.taskEvent(t)
	}
	for w := t.waiters.pop(); w != nil; w = t.waiters.pop() {
		l.wakeTask(w, nil)
	}
	// A task in WaitAny on t may return t, or another task that ends in
	// this round: the report waits until every such task has resumed
	// and marked the one it returns as awaited. It runs after them,
	// behind them in their own priority's queue if that is below 0.
	reportPrio := 0
	var group *TaskGroup
	if r := t.rare; r != nil {
		for _, w := range r.anyWaiters {
			if w.wait == waitAny {
				l.wakeTask(w, nil)
			}
			reportPrio = min(reportPrio, w.priority())
		}
		r.anyWaiters = nil
		group = r.group
		for _, g := range r.groups {
			g.parentDone()
		}
		r.groups = nil
	}
	if group != nil {
		group.memberDone(t)
	} else if err != nil && !t.is(awaited) && t.state == StateFailed {
		l.reportLater(t, reportPrio)
	}
}

// reportLater reports the failure of t, which nobody awaits, to the error
// handler from a callback in the next round, as MicroPython does: a task
// made ready before it (the one that awaits t next, say) may still
// retrieve the failure, and then nothing is reported. The callback runs
// at priority prio, 0 but for a WaitAny waiter of lower priority.
func (l *Loop) reportLater(t *Task, prio int) {
	l.ready.push(prio, runnable{fn: func() {
		if !t.is(awaited) && !t.is(reported) {
			t.set(reported)
			l.cfg.onError(t, t.result())
		}
	}})
}

// unretrieved reports the failure of t, which an await meant to return but
// did not, because the awaiting task was cancelled meanwhile (asyncio logs
// such an exception as never retrieved). It goes to the error handler once,
// from a loop callback, as a failure nobody awaited does.
func (l *Loop) unretrieved(t *Task) {
	if t.state != StateFailed || t.is(reported) || t.group() != nil {
		return
	}
	t.set(reported)
	l.ready.push(0, runnable{fn: func() { l.cfg.onError(t, t.result()) }})
}

// fireTimers moves every due timer to the ready queue, in deadline order.
func (l *Loop) fireTimers() {
	if l.timers.len() == 0 {
		return
	}
	now := l.Now()
	if !l.virtual {
		l.clock, l.clockFresh = now, true
	}
	for l.timers.len() > 0 && l.timers.next().when <= now {
		tm := l.timers.popMin()
		if t := tm.task; t != nil {
			t.set(timerWoke)
			if t.is(timerTimeout) {
				l.wakeTask(t, errTimedOut)
			} else {
				l.wakeTask(t, nil)
			}
		} else {
			tm.state = timerDue
			l.ready.push(0, runnable{tm: tm, seq: tm.gen})
		}
	}
}

// idle waits for the next timer or for work from outside. On the virtual
// clock it jumps to the next timer unless outside work is in flight.
func (l *Loop) idle() error {
	l.clockFresh = false // whatever idle waits for, time passes
	if l.watchdog != nil {
		l.watchdog.pause()
	}
	l.mu.Lock()
	if len(l.inbox) > 0 || l.stopReq || l.flagged.Load() {
		l.mu.Unlock()
		return nil
	}
	holds := l.holds
	l.mu.Unlock()
	if l.virtual {
		switch {
		case holds > 0 && l.grace != nil:
			l.idleHeld()
		case holds > 0:
			<-l.wake
		case l.timers.len() > 0 && !l.onlyGrace():
			l.vnow = max(l.vnow, l.timers.next().when)
		default:
			return l.deadlock()
		}
		return nil
	}
	if l.timers.len() == 0 {
		<-l.wake
		return nil
	}
	next := l.timers.next().when
	d := next - l.Now()
	if d <= 0 {
		return nil
	}
	if fineSleep {
		// The runtime's timers wake up to a millisecond late (its poller
		// sleeps in whole milliseconds): the last stretch before a timer
		// is slept in short slices of the OS's own sleep instead.
		if d <= fineWindow {
			l.sleepFine(next)
			return nil
		}
		d -= fineWindow
	}
	if l.realTimer == nil {
		l.realTimer = time.NewTimer(d)
	} else {
		l.realTimer.Reset(d)
	}
	select {
	case <-l.wake:
		l.realTimer.Stop()
	case <-l.realTimer.C:
	}
	return nil
}

// fineWindow is how long before a timer, on the real clock, the loop
// stops waiting on a runtime timer and sleeps in slices of fineSlice: the
// runtime's timers are late by up to a millisecond, the OS's sleep by tens
// of microseconds. Work handed in from outside meanwhile waits at most a
// slice.
const (
	fineWindow = 2 * time.Millisecond
	fineSlice  = 200 * time.Microsecond
)

// sleepFine sleeps until loop time at, in slices, returning early when
// work is handed in from outside.
func (l *Loop) sleepFine(at time.Duration) {
	for !l.posted.Load() && !l.flagged.Load() {
		d := at - l.Now()
		if d <= 0 {
			return
		}
		sleepOS(min(d, fineSlice))
	}
}

// idleHeld waits, on the virtual clock, for outside work while the loop
// closes. The shutdown grace is then counted in wall time, the time the
// outside work takes: when it runs out, the clock jumps to it and the tasks
// still waiting are abandoned, so an Offload function that ignores its
// context cannot hang shutdown.
func (l *Loop) idleHeld() {
	d := l.grace.tm.when - l.vnow
	if d <= 0 || l.grace.tm.state != timerPending {
		<-l.wake
		return
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-l.wake:
	case <-tm.C:
		l.vnow = max(l.vnow, l.grace.tm.when)
	}
}

// onlyGrace reports whether the shutdown grace is the only timer left:
// then nothing but giving up can end the tasks' waits, which is a deadlock
// to report, not five seconds to wait.
func (l *Loop) onlyGrace() bool {
	return l.grace != nil && l.timers.len() == 1 && l.timers.next().tm == &l.grace.tm
}

// deadlock describes the tasks that wait forever. With no task alive there
// is nothing to wait for, and the loop simply stops.
func (l *Loop) deadlock() error {
	if l.nlive == 0 {
		l.stopped = true
		return nil
	}
	var b strings.Builder
	for t := l.live.head; t != nil; t = t.lnext {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q waits on %s", t.name, describeWait(t))
	}
	if b.Len() == 0 {
		b.WriteString("no task is alive")
	}
	return fmt.Errorf("%w at %v: every task waits and nothing can wake them: %s", ErrDeadlock, l.vnow, b.String())
}

// signal wakes the loop if it waits in idle.
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// post hands an item to the loop from any goroutine.
func (l *Loop) post(it inboxItem) {
	l.mu.Lock()
	if l.shut {
		l.mu.Unlock()
		return
	}
	l.inbox = append(l.inbox, it)
	l.posted.Store(true)
	l.mu.Unlock()
	l.signal()
}

// drainInbox runs the work handed in from outside.
func (l *Loop) drainInbox() {
	if !l.posted.Load() {
		return
	}
	l.mu.Lock()
	l.posted.Store(false)
	items := l.inbox
	l.inbox = l.spare[:0]
	if l.stopReq {
		l.stopReq = false
		l.stopped = true
	}
	l.mu.Unlock()
	for i, it := range items {
		switch {
		case it.fn != nil:
			l.ready.push(0, runnable{fn: it.fn})
		case it.task.is(parked) && it.task.obj == it.obj && it.task.parkSeq == it.seq:
			l.wakeTask(it.task, nil)
		}
		items[i] = inboxItem{}
	}
	l.spare = items
}

// CallSoon schedules fn to run on the loop, in its next round: after every
// task made ready before that round, and before what timers due then wake.
// Any goroutine or simulator part may call it: it is how the outside world
// hands work to the loop. Called from a task, fn runs after the tasks its
// step makes ready, even those made ready after the call, where asyncio's
// call_soon queues fn at once, ahead of them. It takes a lock and may
// allocate, so a hardware interrupt handler sets a [ThreadSafeFlag]
// instead. A panic in fn goes to the error handler with a nil task. Once
// the loop is closed, fn never runs and CallSoon drops it (asyncio's
// call_soon_threadsafe raises), so that a goroutine that outlives its loop
// leaves nothing piling up.
func (l *Loop) CallSoon(fn func()) {
	if fn == nil {
		panic("coop: CallSoon with a nil function; pass the callback to run")
	}
	l.post(inboxItem{fn: fn})
}

// Handle is a callback scheduled with [Loop.CallLater] or [Loop.CallAt].
type Handle struct {
	l  *Loop
	tm timer
}

// Cancel unschedules the callback, even if it is due and waits for its
// turn. It returns false if the callback has already run or been
// cancelled. Call it on the loop.
func (h *Handle) Cancel() bool {
	switch {
	case h.tm.state == timerPending:
		h.l.timers.remove(&h.tm)
		return true
	case h.tm.state == timerDue:
		h.tm.gen++
		h.tm.state = timerIdle
		return true
	}
	return false
}

// Reset reschedules the callback for loop time at, whether it is pending,
// has run, or was cancelled, without allocating: a periodic poll can reuse
// one handle. Call it on the loop.
func (h *Handle) Reset(at time.Duration) {
	h.l.checkOpen("Handle.Reset")
	h.Cancel()
	h.l.schedule(&h.tm, at)
}

// When returns the loop time the callback is scheduled for.
func (h *Handle) When() time.Duration { return h.tm.when }

// CallLater schedules fn to run on the loop d from now. It must be called
// on the loop (from a task or a callback); other goroutines use CallSoon.
func (l *Loop) CallLater(d time.Duration, fn func()) *Handle {
	return l.CallAt(after(l.Now(), d), fn)
}

// CallAt schedules fn to run on the loop at loop time at, or at once if at
// has passed. Callbacks due at the same time run in the order they were
// scheduled, interleaved with tasks woken at that time. It must be called on
// the loop (from a task or a callback); other goroutines use CallSoon.
func (l *Loop) CallAt(at time.Duration, fn func()) *Handle {
	l.checkOpen("CallAt")
	if fn == nil {
		panic("coop: CallAt or CallLater with a nil function; pass the callback to run")
	}
	h := &Handle{l: l}
	h.tm.fn = fn
	l.schedule(&h.tm, at)
	return h
}

// Hold tells the loop that outside work is in flight, work that will hand
// something to the loop when it is done (a network call on a goroutine, a
// simulated device). Until release is called, the virtual clock does not
// jump: the loop waits for that work instead. Any goroutine may call Hold
// and release; release is idempotent.
func (l *Loop) Hold() (release func()) {
	l.mu.Lock()
	l.holds++
	l.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.holds--
			l.mu.Unlock()
			l.signal()
		})
	}
}

// Tasks returns a snapshot of every live task, in spawn order. Call it on
// the loop (from a task or a callback).
func (l *Loop) Tasks() []TaskInfo {
	infos := make([]TaskInfo, 0, l.nlive)
	for t := l.live.head; t != nil; t = t.lnext {
		infos = append(infos, t.Info())
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].ID < infos[j].ID })
	return infos
}

// taskEvent reports t's current state to the WithTaskEvents hook.
func (l *Loop) taskEvent(t *Task) {
	l.cfg.onTaskEvent(TaskEvent{At: l.Now(), Task: t, State: t.state})
}

// Observe calls fn at every change of a task's state from now on, as
// [WithTaskEvents] does from the start, after the functions given to it and
// to earlier calls of Observe. cancel stops the calls; fn is not called
// after cancel returns. Call Observe and cancel on the loop (from a task or
// a callback) or before it runs; from another goroutine, call them in
// [Loop.CallSoon]. fn must not block.
//
// A view that attaches to a running loop learns the tasks alive from
// [Loop.Tasks], then their changes from fn.
func (l *Loop) Observe(fn func(TaskEvent)) (cancel func()) {
	if fn == nil {
		panic("coop: Observe with a nil function; pass the function to call at each task event")
	}
	if len(l.observers) == 0 {
		l.optionEvents = l.cfg.onTaskEvent
	}
	o := &taskObserver{fn: fn}
	// A new slice each time: notifyObservers may be ranging over the old
	// one when fn adds or cancels an observer.
	l.observers = append(l.observers[:len(l.observers):len(l.observers)], o)
	l.setTaskEventHook()
	return func() {
		if o.cancelled {
			return
		}
		o.cancelled = true
		obs := make([]*taskObserver, 0, len(l.observers)-1)
		for _, x := range l.observers {
			if x != o {
				obs = append(obs, x)
			}
		}
		l.observers = obs
		l.setTaskEventHook()
		if len(obs) == 0 {
			l.optionEvents = nil
		}
	}
}

// setTaskEventHook sets the hook the loop calls at each task event: the
// WithTaskEvents hook alone, a lone observer alone (no call in between on
// this hot path), or notifyObservers for them all.
func (l *Loop) setTaskEventHook() {
	switch {
	case len(l.observers) == 0:
		l.cfg.onTaskEvent = l.optionEvents
	case len(l.observers) == 1 && l.optionEvents == nil:
		l.cfg.onTaskEvent = l.observers[0].fn
	default:
		l.cfg.onTaskEvent = l.notifyObservers
	}
}

// taskObserver is a function given to Observe.
type taskObserver struct {
	fn        func(TaskEvent)
	cancelled bool
}

// notifyObservers is the task event hook while Observe has observers.
func (l *Loop) notifyObservers(ev TaskEvent) {
	if l.optionEvents != nil {
		l.optionEvents(ev)
	}
	for _, o := range l.observers {
		if !o.cancelled {
			o.fn(ev)
		}
	}
}

// TaskEvent is a change of a task's state, as passed to the function given
// to [WithTaskEvents] or [Loop.Observe].
type TaskEvent struct {
	At    time.Duration // loop time
	Task  *Task
	State TaskState
}
