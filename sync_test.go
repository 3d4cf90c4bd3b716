package coop_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

func TestLockIsFIFOAndExclusive(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		var ts []*coop.Task
		for _, name := range []string{"a", "b", "c"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				if err := mu.Acquire(t); err != nil {
					return err
				}
				defer mu.Release()
				lg.log(t, "%s in", name)
				t.Sleep(10 * ms) // the section awaits: others must stay out
				lg.log(t, "%s out", name)
				return nil
			}))
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t, "0s a in", "10ms a out", "10ms b in", "20ms b out", "20ms c in", "30ms c out")
}

func TestLockCancelledWaiter(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		mu.Acquire(t)
		waiter := t.Spawn("waiter", func(t *coop.Task) error {
			err := mu.Acquire(t)
			lg.log(t, "waiter: %v", err)
			return err
		})
		next := t.Spawn("next", func(t *coop.Task) error {
			if err := mu.Acquire(t); err != nil {
				return err
			}
			lg.log(t, "next has the lock")
			mu.Release()
			return nil
		})
		t.Sleep(ms)
		waiter.Cancel()
		t.Sleep(ms)
		mu.Release() // goes to next: the cancelled waiter left the line
		if err := next.Wait(t); err != nil {
			return err
		}
		lg.log(t, "locked: %v", mu.Locked())
		return nil
	})
	lg.check(t, "1ms waiter: coop: task cancelled", "2ms next has the lock", "2ms locked: false")
}

func TestLockHandedOverIsKeptDespiteLateCancel(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		var mu coop.Lock
		mu.Acquire(t)
		waiter := t.Spawn("waiter", func(t *coop.Task) error {
			if err := mu.Acquire(t); err != nil {
				return fmt.Errorf("Acquire = %v after the lock was handed over", err)
			}
			mu.Release()
			return nil
		})
		t.Sleep(0)
		mu.Release() // hands the lock to waiter…
		waiter.Cancel()
		if err := waiter.Wait(t); err != nil { // …which must not lose it
			return err
		}
		if mu.Locked() {
			return errors.New("lock still locked")
		}
		return nil
	})
}

func TestSemaphore(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		sem := coop.NewSemaphore(2)
		var ts []*coop.Task
		for _, name := range []string{"a", "b", "c", "d"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				if err := sem.Acquire(t); err != nil {
					return err
				}
				lg.log(t, "%s runs", name)
				t.Sleep(10 * ms)
				sem.Release()
				return nil
			}))
		}
		err := coop.Gather(t, ts...)
		lg.log(t, "free %d, try %v", sem.Available(), sem.TryAcquire())
		return err
	})
	lg.check(t, "0s a runs", "0s b runs", "10ms c runs", "10ms d runs", "20ms free 2, try true")
}

func TestCondition(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		cond := coop.NewCondition(nil)
		items := 0
		var ts []*coop.Task
		for _, name := range []string{"c1", "c2"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				cond.L.Acquire(t)
				defer cond.L.Release()
				if err := cond.WaitUntil(t, func() bool { return items > 0 }); err != nil {
					return err
				}
				items--
				lg.log(t, "%s took one", name)
				return nil
			}))
		}
		for range 2 {
			t.Sleep(5 * ms)
			cond.L.Acquire(t)
			items++
			cond.Notify(1)
			cond.L.Release()
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t, "5ms c1 took one", "10ms c2 took one")
}

func TestBarrier(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		b := coop.NewBarrier(3)
		var ts []*coop.Task
		for i, name := range []string{"a", "b", "c"} {
			ts = append(ts, t.Spawn(name, func(t *coop.Task) error {
				for round := range 2 {
					t.Sleep(time.Duration(i+1) * 10 * ms)
					if err := b.Wait(t); err != nil {
						return err
					}
					lg.log(t, "%s passes %d", name, round)
				}
				return nil
			}))
		}
		return coop.Gather(t, ts...)
	})
	lg.check(t,
		"30ms c passes 0", "30ms a passes 0", "30ms b passes 0",
		"60ms c passes 1", "60ms a passes 1", "60ms b passes 1",
	)
}

func TestQueue(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[int](2)
		producer := t.Spawn("producer", func(t *coop.Task) error {
			for i := range 5 {
				if err := q.Put(t, i); err != nil {
					return err
				}
				lg.log(t, "put %d (len %d)", i, q.Len())
			}
			return nil
		})
		consumer := t.Spawn("consumer", func(t *coop.Task) error {
			for range 5 {
				t.Sleep(10 * ms)
				v, err := q.Get(t)
				if err != nil {
					return err
				}
				lg.log(t, "got %d", v)
			}
			return nil
		})
		return coop.Gather(t, producer, consumer)
	})
	lg.check(t,
		"0s put 0 (len 1)", "0s put 1 (len 2)",
		"10ms got 0", "10ms put 2 (len 2)",
		"20ms got 1", "20ms put 3 (len 2)",
		"30ms got 2", "30ms put 4 (len 2)",
		"40ms got 3", "50ms got 4",
	)
}

func TestQueueTryAndCancel(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[string](1)
		if !q.TryPut("a") || q.TryPut("b") || !q.Full() {
			return errors.New("TryPut on a queue of one: want true then false")
		}
		if v, ok := q.TryGet(); v != "a" || !ok {
			return fmt.Errorf("TryGet = %q, %v", v, ok)
		}
		if _, ok := q.TryGet(); ok {
			return errors.New("TryGet on an empty queue succeeded")
		}
		getter := coop.SpawnValue(t, "getter", func(t *coop.Task) (string, error) { return q.Get(t) })
		t.Sleep(ms)
		getter.Cancel()
		if _, err := getter.Result(t); !errors.Is(err, coop.ErrCancelled) {
			return fmt.Errorf("cancelled Get = %v", err)
		}
		q.TryPut("kept")
		if v, _ := q.TryGet(); v != "kept" {
			return fmt.Errorf("the cancelled getter took %q", v)
		}
		return nil
	})
}

func TestUnboundedQueueGrows(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[int](0)
		for i := range 100 {
			if !q.TryPut(i) {
				return fmt.Errorf("TryPut(%d) failed on an unbounded queue", i)
			}
		}
		for i := range 100 {
			if v, _ := q.Get(t); v != i {
				return fmt.Errorf("Get = %d, want %d", v, i)
			}
		}
		return nil
	})
}

func TestRingQueueOverwritesOldest(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		q := coop.NewRingQueue[int](3)
		var dropped []int
		for i := range 5 {
			if !q.Put(i) {
				dropped = append(dropped, i)
			}
		}
		var got []int
		for q.Len() > 0 {
			v, err := q.Get(t)
			if err != nil {
				return err
			}
			got = append(got, v)
		}
		if !slices.Equal(got, []int{2, 3, 4}) || q.Dropped() != 2 || !slices.Equal(dropped, []int{3, 4}) {
			return fmt.Errorf("got %v, dropped %d (at puts %v); want [2 3 4], 2, [3 4]", got, q.Dropped(), dropped)
		}
		return nil
	})
}

func TestRingQueueAllocatesNothing(t *testing.T) {
	q := coop.NewRingQueue[int](4)
	allocs := testing.AllocsPerRun(1000, func() {
		q.Put(1)
		q.Put(2)
		q.TryGet()
	})
	if allocs != 0 {
		t.Errorf("RingQueue Put/TryGet allocates %v times per run, want 0", allocs)
	}
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

func TestTaskEvents(t *testing.T) {
	var got []string
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error { return t.Sleep(5 * ms) })
		return x.Wait(t)
	}, coop.WithTaskEvents(func(ev coop.TaskEvent) {
		got = append(got, fmt.Sprintf("%v %s %s", ev.At, ev.Task.Name(), ev.State))
	}))
	want := []string{
		"0s main ready",
		"0s main running",
		"0s x ready",
		"0s main waiting",
		"0s x running",
		"0s x sleeping",
		"5ms x ready",
		"5ms x running",
		"5ms x done",
		"5ms main ready",
		"5ms main running",
		"5ms main done",
	}
	if !slices.Equal(got, want) {
		t.Errorf("events:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
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

func TestQueueClose(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[int](1)
		consumer := t.Spawn("consumer", func(t *coop.Task) error {
			for {
				v, err := q.Get(t)
				if err != nil {
					lg.log(t, "consumer: %v", err)
					return nil
				}
				lg.log(t, "got %d", v)
				t.Sleep(10 * ms)
			}
		})
		q.Put(t, 1)
		q.Put(t, 2)
		blocked := t.Spawn("blocked", func(t *coop.Task) error {
			err := q.Put(t, 3) // waits for room, then the queue closes
			lg.log(t, "blocked put: %v", err)
			return nil
		})
		t.Sleep(0)
		q.Close()
		lg.log(t, "closed; TryPut %v", q.TryPut(4))
		return coop.Gather(t, consumer, blocked)
	})
	lg.check(t,
		"0s got 1",
		"0s closed; TryPut false",
		"0s blocked put: coop: queue closed",
		"10ms got 2",
		"20ms consumer: coop: queue closed",
	)
}

func TestRingQueueClose(t *testing.T) {
	runV(t, func(t *coop.Task) error {
		q := coop.NewRingQueue[int](2)
		q.Put(1)
		q.Close()
		if q.Put(2) || q.Dropped() != 1 {
			return fmt.Errorf("Put on a closed ring queue succeeded or was not counted (dropped %d)", q.Dropped())
		}
		if v, err := q.Get(t); v != 1 || err != nil {
			return fmt.Errorf("Get = %d, %v; want the queued 1", v, err)
		}
		if _, err := q.Get(t); err != coop.ErrClosed {
			return fmt.Errorf("Get on a drained closed queue = %v, want ErrClosed", err)
		}
		return nil
	})
}

func TestCheck(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		x := t.Spawn("x", func(t *coop.Task) error {
			lg.log(t, "check: %v", t.Check())
			t.Cancel()
			lg.log(t, "check after cancel: %v", t.Check())
			return t.Shield(func() error {
				lg.log(t, "check in shield: %v", t.Check())
				return nil
			})
		})
		return x.Wait(t)
	})
	lg.check(t, "0s check: <nil>", "0s check after cancel: coop: task cancelled", "0s check in shield: <nil>")
}

func TestHandleReset(t *testing.T) {
	var got []string
	l := coop.NewLoop(coop.WithVirtualClock())
	var h *coop.Handle
	n := 0
	h = l.CallAt(10*ms, func() {
		got = append(got, fmt.Sprint(l.Now()))
		if n++; n < 3 {
			h.Reset(l.Now() + 25*ms) // a periodic poll on one handle
		}
	})
	h.Reset(5 * ms) // moves the pending callback
	l.RunFor(time.Second)
	if want := []string{"5ms", "30ms", "55ms"}; !slices.Equal(got, want) {
		t.Errorf("callback ran at %v, want %v", got, want)
	}
	allocs := testing.AllocsPerRun(100, func() { h.Reset(2 * time.Second); h.Cancel() })
	if allocs != 0 {
		t.Errorf("Reset allocates %v times, want 0", allocs)
	}
	l.Close()
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

func TestConditionNotificationIsNotLost(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		cond := coop.NewCondition(nil)
		waiter := t.Spawn("waiter", func(t *coop.Task) error {
			cond.L.Acquire(t)
			defer cond.L.Release()
			err := cond.Wait(t)
			lg.log(t, "wait: %v, then: %v", err, t.Sleep(0))
			return nil
		})
		t.Sleep(0)
		cond.L.Acquire(t)
		cond.Notify(1)
		waiter.Cancel() // after the notification reached it
		cond.L.Release()
		return waiter.Wait(t)
	})
	lg.check(t, "0s wait: <nil>, then: coop: task cancelled")
}
