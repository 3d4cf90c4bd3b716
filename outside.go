package coop

import (
	"context"
	"errors"
	"sync"
)

// ThreadSafeFlag hands a signal from outside the loop (an interrupt
// handler, another goroutine) to one task (MicroPython's
// asyncio.ThreadSafeFlag). Set may be called from anywhere; it wakes the
// loop without polling. The zero value is a clear flag, ready to use.
//
// On the virtual clock, the goroutine that will call Set must be announced
// with [Loop.Hold] or run by [Offload], or time may jump past it.
type ThreadSafeFlag struct {
	mu        sync.Mutex
	set       bool
	waiter    *Task
	waiterSeq uint32
}

// Set sets the flag, waking the task that waits on it. Setting a set flag
// does nothing more: signals are not counted.
func (f *ThreadSafeFlag) Set() {
	f.mu.Lock()
	w, seq := f.waiter, f.waiterSeq
	f.waiter = nil
	f.set = w == nil
	f.mu.Unlock()
	if w != nil {
		w.loop.post(inboxItem{task: w, obj: f, seq: seq})
	}
}

// Clear clears the flag.
func (f *ThreadSafeFlag) Clear() {
	f.mu.Lock()
	f.set = false
	f.mu.Unlock()
}

// Wait waits until the flag is set, then clears it. If it is set already,
// Wait clears it and returns at once. Only one task may wait on a flag at a
// time; Wait panics if another task waits already.
func (f *ThreadSafeFlag) Wait(self *Task) error {
	if err := self.enter("ThreadSafeFlag.Wait"); err != nil {
		return err
	}
	f.mu.Lock()
	if f.set {
		f.set = false
		f.mu.Unlock()
		return nil
	}
	if f.waiter != nil && f.waiter != self {
		name := f.waiter.name
		f.mu.Unlock()
		panic("coop: task " + self.name + " waits on a ThreadSafeFlag that task " + name +
			" waits on already; a flag wakes one task: give each task its own flag, or use an Event")
	}
	self.setWait(waitFlag, f)
	f.waiter, f.waiterSeq = self, self.parkSeq
	f.mu.Unlock()
	err := self.park()
	if err != nil {
		f.mu.Lock()
		if f.waiter == self {
			f.waiter = nil
		} else {
			// Set already chose this task, which no longer takes the
			// signal: keep it for the next Wait.
			f.set = true
		}
		f.mu.Unlock()
	}
	return err
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
