package coop_test

import (
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// The benchmarks below have twins in bench/asyncio_bench.py, written the
// same way for CPython's asyncio; scripts/bench-vs-asyncio.sh runs both.

// runBench runs main on a virtual-clock loop with blocking detection off.
func runBench(b *testing.B, main func(t *coop.Task) error) {
	b.Helper()
	if err := coop.Run(main, coop.WithVirtualClock()); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSpawnWait: create a task, run it to completion, await it.
func BenchmarkSpawnWait(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		body := func(*coop.Task) error { return nil }
		for b.Loop() {
			if err := t.Spawn("child", body).Wait(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkYield: two tasks take turns with Sleep(0) (asyncio.sleep(0));
// one op is one round: each task yields once.
func BenchmarkYield(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		stop := false
		other := t.Spawn("other", func(t *coop.Task) error {
			for !stop {
				if err := t.Sleep(0); err != nil {
					return err
				}
			}
			return nil
		})
		for b.Loop() {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		stop = true
		return other.Wait(t)
	})
}

// BenchmarkEventPingPong: two tasks wake each other through events; one op
// is one round trip (two wake-ups).
func BenchmarkEventPingPong(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		var ping, pong coop.Event
		ponger := t.Spawn("ponger", func(t *coop.Task) error {
			for {
				if err := ping.Wait(t); err != nil {
					return err
				}
				ping.Clear()
				pong.Set()
			}
		})
		for b.Loop() {
			ping.Set()
			if err := pong.Wait(t); err != nil {
				return err
			}
			pong.Clear()
		}
		ponger.Cancel()
		return ignoreCancelled(ponger.Wait(t))
	})
}

// BenchmarkQueue: a producer and a consumer pass values through a queue of
// 16; one op is one value passed.
func BenchmarkQueue(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		q := coop.NewQueue[int](16)
		consumer := t.Spawn("consumer", func(t *coop.Task) error {
			for {
				v, err := q.Get(t)
				if err != nil || v < 0 {
					return err
				}
			}
		})
		for b.Loop() {
			if err := q.Put(t, 1); err != nil {
				return err
			}
		}
		q.Put(t, -1)
		return consumer.Wait(t)
	})
}

// BenchmarkTimers: 100 tasks sleep for different periods on the virtual
// clock; one op is one timer firing and its task running.
func BenchmarkTimers(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		n := b.N
		fired := 0
		for i := range 100 {
			period := time.Duration(1+i%17) * time.Millisecond
			t.Spawn("sleeper", func(t *coop.Task) error {
				for fired < n {
					fired++
					if err := t.Sleep(period); err != nil {
						return err
					}
				}
				return nil
			})
		}
		b.ResetTimer()
		for fired < n {
			if err := t.Sleep(time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	})
}

// BenchmarkGather1000: spawn 1000 tasks that each yield once, gather them.
// One op is the whole batch.
func BenchmarkGather1000(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		tasks := make([]*coop.Task, 1000)
		body := func(t *coop.Task) error { return t.Sleep(0) }
		for b.Loop() {
			for i := range tasks {
				tasks[i] = t.Spawn("w", body)
			}
			if err := coop.Gather(t, tasks...); err != nil {
				return err
			}
		}
		return nil
	})
}
