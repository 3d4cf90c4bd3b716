package coop

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Sleep suspends the task for d of loop time (await asyncio.sleep(d)). A d
// of zero or less just yields: the task goes to the back of the ready queue
// and other ready tasks run first. Sleep returns [ErrCancelled] if the task
// is cancelled.
func (t *Task) Sleep(d time.Duration) error {
	if err := t.enter("Sleep"); err != nil {
		return err
	}
	if d <= 0 {
		// setWait(waitYield, nil), less what a running task has already:
		// no object, and no wake-up from outside to tell from an earlier
		// one's
		t.wait = waitYield
		t.flags &^= handed
		t.loop.makeReady(t)
		t.suspend() // park, one call less (see there)
		return t.resumed()
	}
	return t.sleepUntil(after(t.loop.Now(), d))
}

// SleepUntil suspends the task until the loop clock reads at. If at has
// passed it yields, and the task runs after the tasks already ready. Waking
// at absolute times keeps a periodic task free of drift.
func (t *Task) SleepUntil(at time.Duration) error {
	if err := t.enter("SleepUntil"); err != nil {
		return err
	}
	return t.sleepUntil(at)
}

func (t *Task) sleepUntil(at time.Duration) error {
	t.setWait(waitSleep, nil)
	t.unset(timerTimeout)
	t.loop.schedule(&t.timer, at)
	t.suspend() // park, one call less (see there)
	return t.resumed()
}

// Ticker wakes a task periodically, at start + n·period for n = 1, 2, …,
// so its timing never drifts however long each tick's work takes.
//
// Missed ticks: if the task is so late that more than one deadline has
// passed, [Ticker.Next] returns at once for the latest passed deadline and
// skips the earlier ones, counting them in [Ticker.Missed]. A late task
// thus runs once to catch up, then falls back on its grid.
//
// Make one with NewTicker: a zero Ticker has no period, and Next panics on
// it.
type Ticker struct {
	start  time.Duration
	period time.Duration
	n      int64
	missed int64
}

// NewTicker returns a ticker whose first tick is one period after now. It
// panics if period is not positive, as [time.NewTicker] does.
func NewTicker(self *Task, period time.Duration) *Ticker {
	if self == nil {
		panic("coop: NewTicker with a nil task; pass the calling task (self)")
	}
	if period <= 0 {
		panic(fmt.Sprintf("coop: NewTicker(%v): the period must be > 0", period))
	}
	return &Ticker{start: self.Now(), period: period}
}

// Next waits for the ticker's next deadline and returns nil, or
// [ErrCancelled] if the task is cancelled.
func (tk *Ticker) Next(self *Task) error {
	if tk.period == 0 {
		panic("coop: Ticker.Next on a Ticker not made with NewTicker; make one with NewTicker(self, period)")
	}
	if err := self.enter("Ticker.Next"); err != nil {
		return err
	}
	tk.n++
	now := self.Now()
	if behind := int64((now - tk.start) / tk.period); behind > tk.n {
		tk.missed += behind - tk.n
		self.AddMisses(behind - tk.n)
		tk.n = behind
	}
	return self.sleepUntil(tk.Deadline())
}

// Deadline returns the deadline of the latest tick, Next's wake-up time.
// A deadline past the end of time is the end of time (math.MaxInt64): it
// never comes, and never wraps into the past.
func (tk *Ticker) Deadline() time.Duration {
	if tk.n > 0 && tk.period > (math.MaxInt64-tk.start)/time.Duration(tk.n) {
		return math.MaxInt64
	}
	return tk.start + time.Duration(tk.n)*tk.period
}

// Period returns the ticker's period.
func (tk *Ticker) Period() time.Duration { return tk.period }

// Count returns how many ticks have passed, missed ones included.
func (tk *Ticker) Count() int64 { return tk.n }

// Missed returns how many ticks were skipped because the task was late.
// They count in the task's [TaskInfo].Misses too.
func (tk *Ticker) Missed() int64 { return tk.missed }

// WaitFor runs fn as a child task and waits at most d for it
// (asyncio.wait_for). If fn finishes in time WaitFor returns its result. If
// not, fn's task is cancelled, and once it has finished cleaning up WaitFor
// returns [ErrTimeout] (joined with fn's error, if that is another failure
// than the cancellation), also when fn swallowed the cancellation and
// returned nil, where asyncio.wait_for returns what fn returned. If self is
// cancelled meanwhile, fn's task is cancelled too and WaitFor returns
// [ErrCancelled] after it finished. A d <= 0 has expired already: fn's
// task is cancelled before it runs, fn never starts, and WaitFor returns
// ErrTimeout, as asyncio.wait_for does with a timeout of 0.
//
// fn runs in a task of its own, given to it, as in asyncio.wait_for before
// Python 3.12: coop has no timeout scope within one task (asyncio.timeout,
// Trio's move_on_after), and a deadline, set when WaitFor starts, cannot
// be moved.
func WaitFor(self *Task, d time.Duration, fn func(t *Task) error) error {
	if self == nil {
		panic("coop: WaitFor with a nil task; pass the calling task (self)")
	}
	return WaitUntil(self, after(self.Now(), d), fn)
}

// WaitUntil is [WaitFor] with a deadline in loop time instead of a
// duration.
func WaitUntil(self *Task, deadline time.Duration, fn func(t *Task) error) error {
	if fn == nil {
		panic("coop: WaitFor or WaitUntil with a nil function; pass the work to time")
	}
	if err := self.enter("WaitUntil"); err != nil {
		return err
	}
	l := self.loop
	child := l.Spawn(self.name+"/timeout", fn)
	// The child is part of self's await and is cancelled with it, not by
	// the closing loop's rule for new tasks: a WaitFor in shielded
	// cleanup runs its function during shutdown too (Trio's
	// move_on_after with shield=True).
	child.flags = child.flags&^cancelReq | awaited
	timedOut := deadline <= l.Now()
	if !timedOut {
		self.setWait(waitTask, child)
		child.waiters.push(self)
		self.set(timerTimeout)
		l.schedule(&self.timer, deadline)
		timedOut = self.park() == errTimedOut && !child.state.Final()
	}
	if timedOut {
		child.Cancel()
	}
	// The child's cleanup is part of the wait, whatever ends it.
	self.shield++
	self.waitDone(child)
	self.shield--
	switch {
	case self.cancelledNow():
		l.unretrieved(child)
		return self.cancelErr()
	case !timedOut:
		return child.result()
	case child.result() != nil && !onlyCancelled(child.result()):
		return errors.Join(ErrTimeout, failure(child.result()))
	}
	return ErrTimeout
}
