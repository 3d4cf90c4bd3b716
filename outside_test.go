//go:build !tinygo || coop_tasks

package coop_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// ThreadSafeFlag.Set from many goroutines at once while a task waits in a
// loop: no race, and the last Set is never lost.
func TestThreadSafeFlagManySetters(t *testing.T) {
	for _, virtual := range []bool{false, true} {
		const setters, sets = 8, 200
		var opts []coop.Option
		if virtual {
			opts = append(opts, coop.WithVirtualClock())
		}
		err := coop.Run(func(t *coop.Task) error {
			var flag coop.ThreadSafeFlag
			var count atomic.Int64
			var wg sync.WaitGroup
			release := t.Loop().Hold()
			for range setters {
				wg.Go(func() {
					for range sets {
						count.Add(1)
						flag.Set()
					}
				})
			}
			go func() { wg.Wait(); release() }()
			for count.Load() < setters*sets {
				if err := flag.Wait(t); err != nil {
					return err
				}
			}
			wg.Wait()
			return nil
		}, opts...)
		if err != nil {
			t.Errorf("virtual %v: Run = %v", virtual, err)
		}
	}
}

func TestThreadSafeFlagWaiterCancelledThenReplaced(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		old := t.Spawn("old", flag.Wait)
		t.Sleep(0)
		old.Cancel()
		t.Loop().CallSoon(flag.Set)
		err := flag.Wait(t)
		lg.log(t, "new waiter: %v", err)
		return nil
	}, coop.WithErrorHandler(func(*coop.Task, error) {}))
	lg.check(t, "0s new waiter: <nil>")
}

func TestThreadSafeFlagFromGoroutine(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		release := t.Loop().Hold() // outside work in flight: time must not jump
		go func() {
			defer release()
			for range 3 {
				flag.Set()
			}
		}()
		t.Spawn("timer", func(t *coop.Task) error { return t.Sleep(time.Hour) }).Cancel()
		if err := flag.Wait(t); err != nil {
			return err
		}
		lg.log(t, "flag seen")
		return nil
	})
	lg.check(t, "0s flag seen")
}

func TestThreadSafeFlagIsNotCounted(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		flag.Set()
		flag.Set()
		if err := flag.Wait(t); err != nil {
			return err
		}
		err := coop.WaitFor(t, 10*ms, flag.Wait)
		if err != coop.ErrTimeout {
			return fmt.Errorf("second Wait = %v, want ErrTimeout: two Sets make one signal", err)
		}
		return nil
	})
}

func TestThreadSafeFlagOneWaiter(t *testing.T) {
	msg := panicMessage(func() {
		mustPanicInTask(func(t *coop.Task) error {
			var flag coop.ThreadSafeFlag
			t.Spawn("first", func(t *coop.Task) error { return flag.Wait(t) })
			t.Sleep(0)
			return flag.Wait(t)
		})
	})
	if !strings.Contains(msg, "task main waits on a ThreadSafeFlag that task first waits on already") {
		t.Errorf("panic = %q", msg)
	}
}

func TestThreadSafeFlagRealClock(t *testing.T) {
	err := coop.Run(func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(flag.Set)
		return flag.Wait(t)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestOffloadHoldsTheVirtualClock(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		t.Spawn("ticker", func(t *coop.Task) error {
			for range 3 {
				if err := t.Sleep(10 * ms); err != nil {
					return err
				}
				lg.log(t, "tick")
			}
			return nil
		})
		// While the goroutine runs, the ticker's timer is the only one
		// pending: a clock that jumped would run all three ticks first.
		v, err := coop.Offload(t, func(ctx context.Context) (string, error) {
			var sum int
			for i := range 1_000_000 {
				sum += i
			}
			return fmt.Sprint("fetched ", sum > 0), nil
		})
		lg.log(t, "offload: %s %v", v, err)
		return t.Sleep(50 * ms)
	})
	lg.check(t, "0s offload: fetched true <nil>", "10ms tick", "20ms tick", "30ms tick")
}

func TestOffloadResultAndCancel(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		job := coop.SpawnValue(t, "job", func(t *coop.Task) (int, error) {
			return coop.Offload(t, func(ctx context.Context) (int, error) {
				<-ctx.Done()
				flag.Set()
				return 0, ctx.Err()
			})
		})
		t.Sleep(0) // the clock stands still while the job's goroutine runs
		job.Cancel()
		_, err := job.Result(t)
		lg.log(t, "cancelled: %v, context error kept: %v", errors.Is(err, coop.ErrCancelled), errors.Is(err, context.Canceled))
		ok := coop.SpawnValue(t, "ok", func(t *coop.Task) (int, error) {
			return coop.Offload(t, func(context.Context) (int, error) { return 42, nil })
		})
		v, err := ok.Result(t)
		lg.log(t, "value %d %v", v, err)
		return nil
	})
	lg.check(t, "0s cancelled: true, context error kept: true", "0s value 42 <nil>")
}

func TestThreadSafeFlagSignalSurvivesCancelledWaiter(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var flag coop.ThreadSafeFlag
		first := t.Spawn("first", func(t *coop.Task) error { return flag.Wait(t) })
		t.Sleep(ms)
		flag.Set()     // chooses first…
		first.Cancel() // …which is cancelled before it takes the signal
		lg.log(t, "first: %v", first.Wait(t))
		second := t.Spawn("second", func(t *coop.Task) error {
			if err := flag.Wait(t); err != nil {
				return err
			}
			lg.log(t, "second got the signal")
			return coop.WaitFor(t, 5*ms, flag.Wait) // and only once
		})
		lg.log(t, "second: %v", second.Wait(t))
		return nil
	})
	lg.check(t, "1ms first: coop: task cancelled", "1ms second got the signal", "6ms second: coop: timeout")
}

// Set must be fit for a hardware interrupt handler: no lock, no allocation.
func TestThreadSafeFlagSetAllocatesNothing(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	var flag coop.ThreadSafeFlag
	l.Spawn("waiter", func(t *coop.Task) error { return flag.Wait(t) })
	l.RunFor(0) // the waiter binds the flag to the loop and waits
	if allocs := testing.AllocsPerRun(100, flag.Set); allocs != 0 {
		t.Errorf("ThreadSafeFlag.Set allocates %v times, want 0", allocs)
	}
}
