//go:build !tinygo || (!coop_conformance && !coop_lifecycle && !coop_tasks)

package coop_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/coopgo/coop"
)

// Queue: cancelled putters and getters lose nothing and keep FIFO order for
// the others, including a waiter cancelled after it was woken.
func TestQueueCancellations(t *testing.T) {
	var lg logger
	runV(t, func(t *coop.Task) error {
		q := coop.NewQueue[string](1)
		q.TryPut("v0")
		var ps []*coop.Task
		for _, v := range []string{"p1", "p2", "p3"} {
			ps = append(ps, t.Spawn(v, func(t *coop.Task) error {
				err := q.Put(t, v)
				lg.log(t, "put %s: %v", v, err)
				return nil
			}))
		}
		t.Sleep(0) // all three wait
		ps[1].Cancel()
		v, _ := q.Get(t) // room for p1
		ps[0].Cancel()   // woken, not yet run: room passes on to p3
		coop.Gather(t, ps...)
		w, _ := q.TryGet()
		lg.log(t, "got %v %v, left %d", v, w, q.Len())

		q = coop.NewQueue[string](0)
		var gs []*coop.Task
		for _, g := range []string{"g1", "g2", "g3", "g4"} {
			gs = append(gs, t.Spawn(g, func(t *coop.Task) error {
				v, err := q.Get(t)
				lg.log(t, "%s got %q %v", g, v, err)
				return nil
			}))
		}
		t.Sleep(0)
		gs[1].Cancel()
		q.TryPut("a")  // wakes g1
		gs[0].Cancel() // g1 cancelled after the wake: "a" goes to g3
		t.Sleep(0)
		q.TryPut("b")
		t.Sleep(0)
		return coop.Gather(t, gs[2], gs[3])
	})
	lg.check(t,
		"0s put p2: coop: task cancelled",
		"0s put p1: coop: task cancelled",
		"0s put p3: <nil>",
		"0s got v0 p3, left 0",
		"0s g2 got \"\" coop: task cancelled",
		"0s g1 got \"\" coop: task cancelled",
		"0s g3 got \"a\" <nil>",
		"0s g4 got \"b\" <nil>",
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

// A queue's buffer grows as values arrive: a huge maxsize costs nothing up
// front, and the buffer never grows past maxsize.
func TestQueueGrowsLazily(t *testing.T) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// The largest bound an int holds: 1<<63-1 on the host, 1<<31-1 on a
	// 32-bit board; either would be out of memory if allocated at once.
	q := coop.NewQueue[int64](math.MaxInt)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("NewQueue(math.MaxInt) allocated %d bytes up front", grew)
	}
	for i := range int64(100) {
		if !q.TryPut(i) {
			t.Fatalf("TryPut(%d) = false", i)
		}
	}
	for i := range int64(100) {
		if v, ok := q.TryGet(); !ok || v != i {
			t.Fatalf("TryGet() = %d, %v, want %d, true", v, ok, i)
		}
	}
	if q.Cap() != math.MaxInt {
		t.Errorf("Cap() = %d, want math.MaxInt", q.Cap())
	}
	small := coop.NewQueue[int](3)
	for i := range 3 {
		small.TryPut(i)
	}
	if small.TryPut(3) || small.Len() != 3 {
		t.Errorf("a queue of 3 took a 4th value (Len %d)", small.Len())
	}
}
