// Package coop is cooperative multitasking for microcontrollers, in Go: the
// asyncio model that MicroPython's uasyncio and CircuitPython's asyncio teach,
// with a deterministic virtual clock so programs can be tested exactly.
//
// # Tasks and the loop
//
// A [Loop] runs tasks one at a time. A task is a function that receives its
// own [*Task]; it runs until it awaits (sleeps, waits on an [Event], a
// [Lock], a [Queue], another task…), then the loop runs the next ready task.
// Code between two awaits is a critical section: no other task runs in it.
//
//	err := coop.Run(func(t *coop.Task) error {
//		blink := t.Spawn("blink", func(t *coop.Task) error {
//			for {
//				led.Toggle()
//				if err := t.Sleep(500 * time.Millisecond); err != nil {
//					return err
//				}
//			}
//		})
//		if err := t.Sleep(3 * time.Second); err != nil {
//			return err
//		}
//		blink.Cancel()
//		if err := blink.Wait(t); !errors.Is(err, coop.ErrCancelled) {
//			return err
//		}
//		return nil
//	})
//
// Every blocking call takes the calling task (self) or is a method on it, the
// way Go code passes a context.Context, and every blocking call returns an
// error that a task should return when it is not nil. [TaskGroup.Wait] takes
// none: a group is awaited by the task that made it, its parent.
//
// # Order
//
// Ready tasks run first in, first out. Timers fire in deadline order, ties in
// the order they were scheduled, and all timers due at one instant are made
// ready before any task they wake runs. With [WithVirtualClock] the same
// program gives the same output at the same board times on every run.
// [WithShuffle] shuffles tasks that become ready at the same instant, from a
// seed, to shake out hidden ordering assumptions.
//
// # Cancellation
//
// [Task.Cancel] is delivered at await points: the task's pending await and
// every later one return [ErrCancelled], like a cancelled context. The task
// cleans up (its defers run) and returns. Cleanup that must still await runs
// inside [Task.Shield]. A task that keeps awaiting after cancellation is named
// in a [Warning] and abandoned, so it cannot hang the loop.
//
// A wake-up is never lost or misdelivered. A task woken by a primitive and
// cancelled before it resumes gets ErrCancelled from that await, as any
// pending await of a cancelled task does, and what the wake-up handed it
// goes on: a [Lock] or a [Semaphore] permit to the next waiter (or back), a
// [Queue] value or free slot to the next getter or putter (the value stays
// at the front), a [Condition] notification to the next waiter, a
// [ThreadSafeFlag] signal back to the flag. A released [Barrier] round
// stays released for the others; a finished task's result stays with it,
// for the next [Task.Wait] or [ValueTask.Result].
//
// [Run] returns as soon as main returns: tasks that became ready in the same
// round as main's last step do not run a normal step; every task still
// alive is cancelled and runs its cleanup, then Run returns main's result.
//
// # Errors
//
// A task's returned error, or a panic it raised (as a [*PanicError] with the
// stack), is its result, returned by [Task.Wait]. A failure nobody awaits is
// passed to the loop's error handler ([WithErrorHandler]) exactly once, in
// the round after the task ended, as MicroPython does: a task that awaits
// it in that round (one made ready before the task failed) retrieves it,
// and it is not reported; so is a failure a [Task.Wait], [WaitAny] or [WaitFor] was
// to return when the awaiting task was cancelled first. A task whose result
// joins [ErrCancelled] with another failure, such as a cleanup that failed
// (errors.Join(err, cleanupErr)), has failed, as an asyncio task that
// raises while it handles its cancellation: [TaskGroup.Wait] and [WaitFor]
// pass that failure on, and the error handler hears of it if nobody awaits it.
//
// # Outside the loop
//
// Interrupt handlers and other goroutines never touch tasks. A hardware
// interrupt handler calls [ThreadSafeFlag.Set], which takes no lock and
// allocates nothing; other goroutines may also call [Loop.CallSoon], which
// does both. Blocking work runs on a goroutine
// with [Offload]; while it runs, the virtual clock does not jump past it.
package coop
