// Package bench holds coop's scheduler benchmarks as plain functions, so
// that `go test -bench` and `coop bench` run the same code, together with
// their twins for CPython's asyncio (asyncio_bench.py), which do the same
// work the same way so the two can be compared in one run.
package bench

import (
	_ "embed"
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Benchmark is one scheduler benchmark.
type Benchmark struct {
	Name    string // as `go test -bench` names it: "Yield"
	Summary string // what one op is
	Run     func(b *testing.B)
	Asyncio bool // asyncio_bench.py has a twin of it
}

// All returns the benchmarks, in a fixed order.
func All() []Benchmark {
	return []Benchmark{
		{"SpawnWait", "create, run and await a task", SpawnWait, true},
		{"Yield", "two tasks yield once each", Yield, true},
		{"EventPingPong", "two tasks wake each other through events", EventPingPong, true},
		{"Queue", "one value through a queue of 16", Queue, true},
		{"Timers", "one timer fires among 100 sleeping tasks (virtual clock)", Timers, false},
		{"Gather1000", "spawn, yield and gather 1000 tasks", Gather1000, true},
	}
}

//go:embed asyncio_bench.py
var asyncioScript string

// AsyncioScript returns the source of asyncio_bench.py: run with python3
// and a number of seconds per benchmark, it prints one line per benchmark
// in `go test -bench` format ("BenchmarkYield\t<N>\t<ns> ns/op").
func AsyncioScript() string { return asyncioScript }

// runBench runs main on a virtual-clock loop. The benchmarks yield without
// letting time pass on purpose, so the loop's warning about spinning tasks
// is expected; any other warning fails the benchmark.
func runBench(b *testing.B, main func(t *coop.Task) error) {
	b.Helper()
	var err error
	withCPU(b, func() {
		err = coop.Run(main, coop.WithVirtualClock(), coop.WithWarningHandler(func(w coop.Warning) {
			if w.Kind != coop.WarnSpinning {
				b.Error(w)
			}
		}))
	})
	if err != nil {
		b.Fatal(err)
	}
}

// SpawnWait measures creating a task, running it to completion and
// awaiting it.
func SpawnWait(b *testing.B) {
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

// Yield measures two tasks taking turns with Sleep(0) (asyncio.sleep(0));
// one op is one round: each task yields once.
func Yield(b *testing.B) {
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

// EventPingPong measures two tasks waking each other through events; one
// op is one round trip (two wake-ups).
func EventPingPong(b *testing.B) {
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
		if err := ponger.Wait(t); !errors.Is(err, coop.ErrCancelled) {
			return err
		}
		return nil
	})
}

// Queue measures a producer and a consumer passing values through a queue
// of 16; one op is one value passed.
func Queue(b *testing.B) {
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

// Timers measures 100 tasks sleeping for different periods on the virtual
// clock; one op is one timer firing and its task running.
func Timers(b *testing.B) {
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

// Gather1000 measures spawning 1000 tasks that each yield once and
// gathering them; one op is the whole batch.
func Gather1000(b *testing.B) {
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
