package coop

import (
	"fmt"
	"iter"
	"math"
	"runtime/debug"
	"time"
)

// TaskState is where a task is in its life.
type TaskState uint8

// The states of a task. A task is Ready when it can run, Running while its
// step runs, Sleeping when it waits for a time, Waiting when it waits on
// something else; Done, Cancelled and Failed are final.
const (
	StateReady TaskState = iota
	StateRunning
	StateSleeping
	StateWaiting
	StateDone
	StateCancelled
	StateFailed
)

var stateNames = [...]string{"ready", "running", "sleeping", "waiting", "done", "cancelled", "failed"}

// String returns the state's lower-case name, such as "sleeping".
func (s TaskState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("TaskState(%d)", s)
}

// Final reports whether s is Done, Cancelled or Failed.
func (s TaskState) Final() bool { return s >= StateDone }

// waitKind says what a parked task waits on, for introspection and for
// what cancellation does to the wait.
type waitKind uint8

const (
	waitNone waitKind = iota
	waitYield
	waitSleep
	waitEvent
	waitLock
	waitSemaphore
	waitCondition
	waitBarrier
	waitQueueGet
	waitQueuePut
	waitTask    // Wait, Gather, WaitFor: cancellation is passed on to the targets
	waitAny     // WaitAny
	waitGroup   // TaskGroup.Wait: cancellation is passed on to the members
	waitFlag    // ThreadSafeFlag
	waitOutside // Offload
)

// parkedState is the state of a task parked waiting on k.
func (k waitKind) parkedState() TaskState {
	if k == waitSleep {
		return StateSleeping
	}
	return StateWaiting
}

var waitNames = [...]string{"", "yield", "sleep", "event", "lock", "semaphore", "condition", "barrier",
	"queue get", "queue put", "task", "any task", "task group", "flag", "offload"}

// Task is a unit of cooperative work: a function running on a [Loop],
// suspended at each await while other tasks run. Its methods other than
// Cancel, Done, Name and the read-only accessors must be called from inside
// the task itself.
//
// A million idle tasks should fit a laptop, so the fields are laid out
// for size (208 bytes on 64-bit): what few tasks use lives in rare,
// allocated at first use, and the flags are bits.
type Task struct {
	loop *Loop
	next func() (struct{}, bool) // resumes the coroutine
	id   uint64
	name string
	// obj is, before the first step, the task's function; while the task
	// is parked, what it waits on; once its function has returned, its
	// result (an error, or nil). Never two of them at once.
	obj any

	// The wait list the parked task is on, and its links in it.
	wl           *waitList
	wprev, wnext *Task
	// Live-task list of the loop.
	lprev, lnext *Task
	// The timer of its sleeps and timeouts.
	timer timer
	// Tasks in Wait on this one.
	waiters waitList

	state TaskState
	wait  waitKind // what the task waits on while parked
	flags taskFlags
	// parkSeq counts waits, so a wake-up from outside meant for an
	// earlier one is ignored.
	parkSeq uint32
	shield  int32 // > 0 inside Shield: cancellation is held off
	// awaits that returned ErrCancelled, saturating
	ignoredCancels int32

	// Statistics for introspection. The lateness of a wake by the timer
	// is measured from timer.when, its deadline.
	steps       uint64
	busy        time.Duration
	longest     time.Duration
	lateness    time.Duration
	maxLateness time.Duration

	// parentID is the ID of the task whose step spawned it, 0 if none.
	// An ID, not the task: a chain of tasks that each spawn the next
	// and return must not keep every ancestor alive.
	parentID uint64

	rare *taskRare
}

// taskRare holds what few tasks use: a priority, a group, several tasks
// to wait on at once, WaitAny waiters, missed deadlines, groups to wait for.
type taskRare struct {
	priority int
	// queueSeq is bumped when a ready task moves to another priority:
	// the entry it leaves behind in the ready queue is stale.
	queueSeq   uint32
	group      *TaskGroup
	targets    []*Task // the tasks a Gather waits on: cancellation is passed on to them
	anyWaiters []*Task // tasks in WaitAny on this one
	misses     int64
	groups     []*TaskGroup // the groups this task is the parent of, until their Wait returns
}

// more returns t's rare part, allocating it at first use.
func (t *Task) more() *taskRare {
	if t.rare == nil {
		t.rare = new(taskRare)
	}
	return t.rare
}

func (t *Task) priority() int {
	if t.rare == nil {
		return 0
	}
	return t.rare.priority
}

func (t *Task) queueSeq() uint32 {
	if t.rare == nil {
		return 0
	}
	return t.rare.queueSeq
}

func (t *Task) group() *TaskGroup {
	if t.rare == nil {
		return nil
	}
	return t.rare.group
}

// taskFlags are a task's yes-or-no facts, one bit each.
type taskFlags uint16

const (
	finished      taskFlags = 1 << iota // the body returned; the loop finishes the task
	cancelReq                           // Cancel was called: awaits return ErrCancelled
	abandon                             // unwind at the next await
	goexit                              // the function called runtime.Goexit
	awaited                             // someone takes the result: do not report it
	reported                            // the failure went to the error handler
	parked                              // suspended in park
	queued                              // in the ready queue
	handed                              // the wake handed it something (a lock, a permit, an item): an await that fails gives it back
	timerWoke                           // its timer woke it: the next step records its lateness
	timerTimeout                        // its timer ends a wait with a deadline: the await returns errTimedOut
	wokeCancelled                       // the wake makes the await return ErrCancelled
	wokeTimedOut                        // the wake makes the await return errTimedOut
)

func (t *Task) is(f taskFlags) bool { return t.flags&f != 0 }
func (t *Task) set(f taskFlags)     { t.flags |= f }
func (t *Task) unset(f taskFlags)   { t.flags &^= f }

// setWakeErr records what the task's await returns once it resumes: nil,
// ErrCancelled or errTimedOut.
func (t *Task) setWakeErr(err error) {
	t.flags &^= wokeCancelled | wokeTimedOut
	switch err {
	case nil:
	case ErrCancelled:
		t.flags |= wokeCancelled
	case errTimedOut:
		t.flags |= wokeTimedOut
	default:
		panic("coop: internal: a task woken with " + err.Error())
	}
}

// wakeErr returns what setWakeErr recorded.
func (t *Task) wakeErr() error { return wakeErrOf(t.flags) }

func wakeErrOf(f taskFlags) error {
	switch {
	case f&wokeCancelled != 0:
		return ErrCancelled
	case f&wokeTimedOut != 0:
		return errTimedOut
	}
	return nil
}

// result returns the task's result once its function has returned.
func (t *Task) result() error {
	err, _ := t.obj.(error)
	return err
}

// Name returns the name the task was spawned with.
func (t *Task) Name() string { return t.name }

// ID returns the task's number, unique in its loop, in spawn order from 1.
func (t *Task) ID() uint64 { return t.id }

// ParentID returns the ID of the task whose step spawned t (with
// [Task.Spawn], or [Loop.Spawn] from inside that step), or 0 for a task
// spawned from outside any task: before the loop runs, or from a callback
// such as an interrupt handler.
func (t *Task) ParentID() uint64 { return t.parentID }

// Loop returns the loop the task runs on.
func (t *Task) Loop() *Loop { return t.loop }

// Done reports whether the task has finished (returned, failed or been
// cancelled).
func (t *Task) Done() bool { return t.state.Final() }

// Err returns the task's result once it is done: nil, its error, a
// [*PanicError], or an error that wraps [ErrCancelled]. Before it is done
// Err returns nil. Reading Err does not count as awaiting the task.
func (t *Task) Err() error {
	if !t.state.Final() {
		return nil
	}
	return t.result()
}

// State returns the task's state.
func (t *Task) State() TaskState { return t.state }

// Cancelled reports whether the task has been asked to cancel (asyncio's
// Task.cancelling), not how it ended: a task that ended cancelled is in
// [StateCancelled] (asyncio's Task.cancelled). It is a yes or no, not
// asyncio's count of requests: a cancellation is never taken back (there
// is no uncancel), so a second Cancel changes nothing.
func (t *Task) Cancelled() bool { return t.is(cancelReq) }

// Now returns the loop's clock: time since the loop started, virtual or
// real (MicroPython's ticks_ms). It does not wrap for 292 years, so plain
// subtraction and comparison stand for ticks_diff and ticks_add.
func (t *Task) Now() time.Duration { return t.loop.Now() }

// String returns the task's name and state, for logs.
func (t *Task) String() string { return fmt.Sprintf("task %q (%s)", t.name, t.state) }

// Spawn starts fn as a new task on t's loop (asyncio.create_task). The new
// task is ready at once and first runs after t's current step. An empty name
// is replaced by "task-ID".
func (t *Task) Spawn(name string, fn func(t *Task) error) *Task {
	return t.loop.Spawn(name, fn)
}

// Cancel asks the task to stop: its pending await and every later one
// return [ErrCancelled], until it returns. Its result is what its function
// returns: one that returns nil all the same ends done, not cancelled,
// even if it cancelled itself just before (asyncio marks that task
// cancelled). A task cancelled before it first ran never runs. Cancelling
// a task that waits on another task, a [Gather] or a [TaskGroup] cancels
// those too. Cancel returns false if the task was already done. It may be
// called from any task or loop callback, not from other goroutines (use
// [Loop.CallSoon] there).
func (t *Task) Cancel() bool {
	if t.state.Final() {
		return false
	}
	if t.is(cancelReq) {
		return true
	}
	t.set(cancelReq)
	if t.is(parked) && t.shield == 0 {
		t.loop.interrupt(t)
	}
	return true
}

// Check returns [ErrCancelled] if the task has been cancelled (outside a
// [Task.Shield]), and nil otherwise, without yielding: a cancellation point
// for code that does not await, such as a long computation in slices or an
// await that would return at once. Call it from inside the task.
func (t *Task) Check() error { return t.enter("Check") }

// AddMisses records that the task missed n deadlines: ticks its
// [Ticker] skipped, jobs of a timing contract that finished late. Dashboards
// read the count in [TaskInfo].Misses.
func (t *Task) AddMisses(n int64) { t.more().misses += n }

// SetPriority sets the task's priority, 0 by default. Among ready tasks
// the one with the highest priority runs first, and tasks of one priority
// run first in, first out. Loop callbacks run at priority 0. A task that
// never awaits starves every task of lower priority, as on any priority
// scheduler. A ready task, such as one just spawned, moves to the back of
// its new priority's queue at once.
func (t *Task) SetPriority(p int) {
	if p == t.priority() {
		return
	}
	r := t.more()
	r.priority = p
	if t.is(queued) {
		r.queueSeq++
		t.loop.ready.push(p, runnable{task: t, seq: r.queueSeq})
	}
}

// Priority returns the task's priority.
func (t *Task) Priority() int { return t.priority() }

// Shield runs fn with cancellation held off: awaits inside fn work as if
// the task had not been cancelled, so cleanup code can still sleep, send or
// wait. A cancellation that arrives meanwhile is delivered at the first
// await after fn returns. Shield returns fn's error.
//
// This is Trio's shielded cancel scope. asyncio.shield differs: the
// awaiting task's await fails at once while the shielded work goes on; for
// that in coop, run the work as a task of its own and do not wait for it.
func (t *Task) Shield(fn func() error) error {
	t.shield++
	defer func() { t.shield-- }()
	return fn()
}

// Wait waits until t is done and returns its result (await t), from inside
// the task self. If t is already done it returns at once, without yielding
// (unless self is cancelled: see below).
// If self is cancelled while it waits, t is cancelled too and Wait returns
// [ErrCancelled] once t has finished. If self was cancelled before it
// called Wait, Wait returns ErrCancelled at once, like every await of a
// cancelled task, and leaves t alone; cleanup code that must wait for a
// child writes t.Cancel(); self.Shield(func() error { return t.Wait(self) }).
// Wait panics if t is self, or a task of another loop.
func (t *Task) Wait(self *Task) error {
	err, _ := t.await(self, "Wait")
	return err
}

// await is Wait, called as what. own reports whether err is self's own
// cancellation rather than t's result: a cancelled t's result wraps the
// same ErrCancelled, so only the path taken tells them apart.
func (t *Task) await(self *Task, what string) (err error, own bool) {
	if t == nil {
		panic("coop: " + what + " on a nil task; wait on a task Spawn returned")
	}
	if t == self {
		panic(fmt.Sprintf("coop: task %q waits on itself, which never ends; wait on another task", t.name))
	}
	if self != nil && t.loop != self.loop {
		panic(otherLoop(what, self, t))
	}
	if err := self.enter(what); err != nil {
		return err, true
	}
	t.set(awaited)
	if t.state.Final() {
		return t.result(), false
	}
	self.waitDone(t)
	if self.cancelledNow() {
		self.loop.unretrieved(t)
		return self.cancelErr(), true
	}
	return t.result(), false
}

// waitDone parks t until x is done, passing a cancellation of t on to
// it. It does not return early for cancellation: the caller decides what
// the result is.
func (t *Task) waitDone(x *Task) {
	for !x.state.Final() {
		if t.cancelledNow() {
			x.Cancel()
		}
		t.setWait(waitTask, x)
		x.waiters.push(t)
		t.park()
	}
}

// waitAll parks t until every task of ts is done, passing a cancellation
// of t on to them all, as waitDone does for one.
func (t *Task) waitAll(ts []*Task) {
	switch len(ts) {
	case 0:
		return
	case 1:
		t.waitDone(ts[0])
		return
	}
	r := t.more()
	r.targets = ts
	defer func() { r.targets = nil }() // also when an abandoned task unwinds
	for _, x := range ts {
		for !x.state.Final() {
			if t.cancelledNow() {
				for _, y := range ts {
					y.Cancel()
				}
			}
			t.setWait(waitTask, x)
			x.waiters.push(t)
			t.park()
		}
	}
}

func (t *Task) cancelledNow() bool { return t.is(cancelReq) && t.shield == 0 }

// cancelErr counts an await that returned ErrCancelled and abandons the
// task once it has ignored too many.
func (t *Task) cancelErr() error {
	if t.ignoredCancels < math.MaxInt32 {
		t.ignoredCancels++
	}
	if int(t.ignoredCancels) > t.loop.cfg.cancelLimit {
		t.loop.warn(Warning{Kind: WarnIgnoredCancel, Task: t.name, At: t.loop.Now(),
			Count: int(t.ignoredCancels) - 1, Stack: string(stack())})
		panic(abandoned{})
	}
	return ErrCancelled
}

// enter checks an await made by t: it must be t's own step, and a
// cancelled task gets ErrCancelled at once. It is small enough to inline:
// every await pays for it.
func (t *Task) enter(what string) error {
	if t == nil || t.loop.current != t || t.flags&(abandon|cancelReq) != 0 {
		return t.enterSlow(what)
	}
	return nil
}

func (t *Task) enterSlow(what string) error {
	if t == nil {
		panic("coop: " + what + " with a nil task; pass the calling task (self)")
	}
	l := t.loop
	if l.current != t {
		l.misuse(t, what)
	}
	if t.is(abandon) {
		panic(abandoned{})
	}
	if t.cancelledNow() {
		return t.cancelErr()
	}
	return nil
}

// setWait records what t is about to park on.
func (t *Task) setWait(k waitKind, obj any) {
	t.wait = k
	t.obj = obj
	t.unset(handed)
	t.parkSeq++
}

// giver is a primitive whose wake-ups hand something over (a lock, a
// permit, a notification, a queued value, a flag's signal). giveBack
// passes it on, for a waiter of kind k cancelled between its wake-up and
// its resumption.
type giver interface{ giveBack(k waitKind) }

// park suspends t until it is woken and returns what the waker said: nil,
// ErrCancelled or errTimedOut. The caller has registered t with whatever
// will wake it.
//
// The hottest awaits (Sleep, Event.Wait, and parkOn for Lock, Queue…)
// call suspend and resumed instead, as the loop writes out a step: a
// return made after the coroutine switch from a call made before it is
// mispredicted, and each level of calls around the switch costs one.
func (t *Task) park() error {
	t.suspend()
	return t.resumed()
}

// suspend switches from t's coroutine to the loop, until the loop resumes
// t. It is small enough to inline, so that the hottest awaits, which call
// it instead of park, have one level of calls less around the switch.
func (t *Task) suspend() {
	t.flags |= parked
	l := t.loop
	yield := l.yield
	yield(struct{}{})
	l.yield = yield // other steps ran meanwhile
}

// resumed is the end of park, once t runs again.
// The loop has cleared parked as it resumed t (see Loop.run).
// resumed inlines, for a wake-up with nothing to undo or report.
func (t *Task) resumed() error {
	// handed may stay set, as nothing needs giving back: it speaks of
	// the wait between a wake and this resume only, and every wait
	// clears it before it parks.
	if t.flags&(wokeCancelled|wokeTimedOut|abandon) != 0 {
		return t.resumedSlow()
	}
	t.wait = waitNone
	t.obj = nil
	return nil
}

// resumedSlow is resumed for a wake-up with something to undo or report.
func (t *Task) resumedSlow() error {
	f := t.flags
	t.flags = f &^ (wokeCancelled | wokeTimedOut)
	err := wakeErrOf(f)
	if t.is(handed) {
		t.unset(handed)
		if err != nil || t.is(abandon) {
			// Cancelled between the wake and now: what the wake handed
			// over goes on to the next waiter or back where it came from.
			if g, ok := t.obj.(giver); ok {
				g.giveBack(t.wait)
			}
		}
	}
	t.wait = waitNone
	t.obj = nil
	if t.is(abandon) {
		panic(abandoned{})
	}
	if err == ErrCancelled {
		return t.cancelErr()
	}
	return err
}

// body is the task's coroutine. Its yield is the loop's while the task's
// step runs: a task keeps it on its own stack, in park, while it is
// suspended, which spares every Task a field.
func (t *Task) body(yield func(struct{}) bool) {
	t.loop.yield = yield
	fn := t.obj.(func(*Task) error)
	t.obj = nil
	if w := t.loop.watchdog; w != nil {
		labelTaskGoroutine(w.labels)
	}
	t.obj = t.call(fn)
	t.set(finished)
}

// call runs the task's function, turning a panic into its result.
//
// A runtime.Goexit in the function (t.FailNow in a test) cannot be
// stopped, and iter.Pull would pass it on to the loop's goroutine, ending
// Run's caller. Instead the task ends with ErrGoexit: the coroutine hands
// its end to the loop from inside the Goexit, and the loop, as it finishes
// the task, resumes it once more only to unwind it with goexitUnwind,
// which iter.Pull hands back as a panic the loop recovers.
func (t *Task) call(fn func(*Task) error) (err error) {
	returned := false
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(abandoned); ok {
				err = fmt.Errorf("task %q abandoned after ignoring cancellation: %w", t.name, ErrCancelled)
				return
			}
			err = &PanicError{Value: r, Stack: debug.Stack()}
			return
		}
		if !returned {
			t.obj = fmt.Errorf("task %q: %w", t.name, ErrGoexit)
			t.set(finished | goexit)
			t.loop.yield(struct{}{})
			panic(goexitUnwind{})
		}
	}()
	err = fn(t)
	returned = true
	return err
}

// goexitUnwind ends the coroutine of a task that called runtime.Goexit.
type goexitUnwind struct{}

// endGoexit lets the coroutine of a task that called runtime.Goexit finish
// its Goexit, and swallows the goexitUnwind it ends with.
func (t *Task) endGoexit() {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(goexitUnwind); !ok {
				panic(r)
			}
		}
	}()
	t.next()
}

// finalState is the state a task ends in with result err.
func finalState(err error) TaskState {
	switch {
	case err == nil:
		return StateDone
	case onlyCancelled(err):
		return StateCancelled
	default:
		return StateFailed
	}
}

// start creates the task's coroutine. Its stop function is not kept:
// the loop runs every coroutine to its end, the one of a task that called
// runtime.Goexit too (see endGoexit), so it is never needed.
func (t *Task) start() {
	t.next, _ = iter.Pull(t.body)
}
