package coop

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
)

// ThreadSafeFlag hands a signal from outside the loop (an interrupt
// handler, another goroutine) to one task (MicroPython's
// asyncio.ThreadSafeFlag). Set may be called from anywhere, a hardware
// interrupt handler included: it takes no lock and allocates nothing, and
// wakes the loop without polling. The zero value is a clear flag, ready to
// use. A flag belongs to the loop of the first task that waits on it.
//
// On the virtual clock, the goroutine that will call Set must be announced
// with [Loop.Hold] or run by [Offload], or time may jump past it.
type ThreadSafeFlag struct {
	set  atomic.Bool
	loop atomic.Pointer[Loop]

	waiter *Task // owned by the loop
}

// Set sets the flag, waking the task that waits on it. Setting a set flag
// does nothing more: signals are not counted.
func (f *ThreadSafeFlag) Set() {
	f.set.Store(true)
	if l := f.loop.Load(); l != nil {
		l.flagged.Store(true)
		l.signal()
	}
}

// Clear clears the flag.
func (f *ThreadSafeFlag) Clear() { f.set.Store(false) }

// Wait waits until the flag is set, then clears it. If it is set already,
// Wait clears it and returns at once. Only one task may wait on a flag at a
// time; Wait panics if another task waits already. A task cancelled after
// the flag woke it, before it resumed, returns [ErrCancelled] and leaves
// the flag set, so the signal is not lost: the next Wait returns at once.
func (f *ThreadSafeFlag) Wait(self *Task) error {
	if err := self.enter("ThreadSafeFlag.Wait"); err != nil {
		return err
	}
	l := self.loop
	if !f.loop.CompareAndSwap(nil, l) && f.loop.Load() != l {
		panic("coop: a ThreadSafeFlag waited on from two loops; give each loop its own flag")
	}
	if f.set.CompareAndSwap(true, false) {
		return nil
	}
	if f.waiter != nil {
		panic("coop: task " + self.name + " waits on a ThreadSafeFlag that task " + f.waiter.name +
			" waits on already; a flag wakes one task: give each task its own flag, or use an Event")
	}
	f.waiter = self
	l.flagWaits = append(l.flagWaits, f)
	self.setWait(waitFlag, f)
	return self.park() // a cancelled waiter leaves the flag at once (Loop.leaveWait)
}

// giveBack sets the flag again for a waiter cancelled after the flag woke
// it, before it resumed.
func (f *ThreadSafeFlag) giveBack(waitKind) { f.set.Store(true) }

// pollFlags wakes the tasks whose flags were set, in the order they began
// to wait.
func (l *Loop) pollFlags() {
	if !l.flagged.Load() || !l.flagged.Swap(false) {
		return
	}
	l.flagWaits = slices.DeleteFunc(l.flagWaits, func(f *ThreadSafeFlag) bool {
		if !f.set.CompareAndSwap(true, false) {
			return false
		}
		w := f.waiter
		f.waiter = nil
		w.set(handed)
		l.wakeTask(w, nil)
		return true
	})
}

// outside is one piece of work in flight on another goroutine.
type outside struct {
	cancel context.CancelFunc
}

// Offload runs fn on a new goroutine and waits for it, from inside self,
// without holding up the loop (asyncio.to_thread): other tasks run
// meanwhile, and the virtual clock does not jump while fn runs. If self is
// cancelled, fn's context is cancelled and Offload returns, once fn has
// returned, [ErrCancelled] joined with fn's error.
func Offload[T any](self *Task, fn func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	if fn == nil {
		panic("coop: Offload with a nil function; pass the blocking work to run")
	}
	if err := self.enter("Offload"); err != nil {
		return zero, err
	}
	l := self.loop
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	job := &outside{cancel: cancel}
	release := l.Hold()
	self.setWait(waitOutside, job)
	seq := self.parkSeq
	var v T
	var err error
	go func() {
		defer release()
		defer l.post(inboxItem{task: self, obj: job, seq: seq})
		defer func() {
			if r := recover(); r != nil {
				err = &PanicError{Value: r, Stack: stack()}
			}
		}()
		v, err = fn(ctx)
	}()
	self.park()
	if self.cancelledNow() {
		if err == nil {
			return zero, self.cancelErr()
		}
		return zero, errors.Join(self.cancelErr(), err)
	}
	return v, err
}
