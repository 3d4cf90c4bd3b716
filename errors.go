package coop

import (
	"context"
	"errors"
	"fmt"
)

// ErrCancelled is returned by the awaits of a cancelled task and is the
// result of a task that returned it. Check it with errors.Is: a task may wrap
// it.
var ErrCancelled = errors.New("coop: task cancelled")

// ErrTimeout is returned by [WaitFor] and [WaitUntil] when the deadline
// passed before the function finished.
var ErrTimeout = errors.New("coop: timeout")

// ErrDeadlock is returned by a loop on the virtual clock when every task
// waits on something that nothing can bring: no timer is pending, no outside
// work is in flight. The error lists the tasks and what each waits on.
var ErrDeadlock = errors.New("coop: deadlock")

// ErrStopped is returned (wrapped, naming the task) by
// [Loop.RunUntilComplete] when [Loop.Stop] ended the run before the task
// finished; the task is left where it was, to be resumed by another run or
// cancelled by Close.
var ErrStopped = errors.New("coop: the loop was stopped")

// ErrClosed is returned by Put on a closed queue, and by Get once a
// closed queue is empty.
var ErrClosed = errors.New("coop: queue closed")

// ErrGoexit is the result (wrapped, naming the task) of a task whose
// function called runtime.Goexit, as t.FailNow and t.SkipNow do in a test:
// the task ends, its defers having run, and the loop goes on.
var ErrGoexit = errors.New("coop: task called runtime.Goexit (t.FailNow or t.SkipNow in a test?)")

// errTimedOut wakes a task whose await had a deadline.
var errTimedOut = errors.New("coop: internal: await timed out")

// PanicError is the result of a task whose function panicked.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the task's stack where it panicked; empty under TinyGo, which has none to give
}

// Error returns "panic: " followed by the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value if it is an error, so errors.Is and
// errors.As see through a panic(err).
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// abandoned is the panic value that unwinds a task that ignored
// cancellation too many times; the task's own recover turns it into its
// result.
type abandoned struct{}

// onlyCancelled reports whether err is a cancellation and nothing else: it
// wraps [ErrCancelled], and every error joined into it is a cancellation
// too (ErrCancelled, or the context.Canceled an [Offload] function returns).
// A cancellation joined with another failure (cleanup that failed, a Gather
// over a task that failed) is a failure, so that failure is not lost: the
// task ends failed, a group or a timeout passes the failure on, and the
// error handler hears of it if nobody awaits it.
func onlyCancelled(err error) bool {
	return errors.Is(err, ErrCancelled) && cancellation(err)
}

// cancellation reports whether every error err joins is a cancellation.
func cancellation(err error) bool {
	for {
		if err == ErrCancelled || err == context.Canceled {
			return true
		}
		if x, ok := err.(interface{ Is(error) bool }); ok && (x.Is(ErrCancelled) || x.Is(context.Canceled)) {
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() []error }:
			errs := x.Unwrap()
			for _, e := range errs {
				if !cancellation(e) {
					return false
				}
			}
			return len(errs) > 0
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		default:
			return false
		}
	}
}

// failure returns err without the cancellations joined into it at the top
// level: what a task cancelled by a timeout or its group failed with,
// passed on to an awaiter that was not itself cancelled.
func failure(err error) error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return err
	}
	errs := j.Unwrap()
	keep := make([]error, 0, len(errs))
	for _, e := range errs {
		if !cancellation(e) {
			keep = append(keep, e)
		}
	}
	switch {
	case len(keep) == len(errs):
		return err
	case len(keep) == 1:
		return keep[0]
	}
	return errors.Join(keep...)
}
