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
	// Asyncio is how many ops the side-by-side run makes of it, on each
	// side, or 0 if asyncio_bench.py has no twin of it.
	Asyncio int
}

// All returns the benchmarks, in a fixed order.
func All() []Benchmark {
	return []Benchmark{
		{"PullFloor", "resume and yield a bare iter.Pull coroutine", PullFloor, 0},
		{"LoopFloor", "a bare coroutine resumed from a one-slot ready queue it refills", LoopFloor, 0},
		{"PingPongFloor", "two bare coroutines that make each other ready, a round trip", PingPongFloor, 0},
		{"Step", "one task step: Sleep(0) of a lone task", Step, 0},
		{"StepRealClock", "Step on the real clock, step timed", StepRealClock, 0},
		{"SpawnWait", "create, run and await a task", SpawnWait, 20_000},
		{"Yield", "two tasks yield once each", Yield, 50_000},
		{"EventPingPong", "two tasks wake each other through events", EventPingPong, 20_000},
		{"Queue", "one value through a queue of 16", Queue, 50_000},
		{"QueuePingPong", "a value there and back through two queues of 1", QueuePingPong, 20_000},
		{"CrossThreadWake", "a goroutine (thread) wakes a task and waits for its answer", CrossThreadWake, 5_000},
		{"Timers", "one timer fires among 100 sleeping tasks (virtual clock)", Timers, 0},
		{"Gather1000", "spawn, yield and gather 1000 tasks", Gather1000, 10},
	}
}

// awaits reports how many awaits the tasks made per op, the count the
// side-by-side run checks against the asyncio twin's.
func awaits(b *testing.B, n int) {
	if b.N > 0 {
		b.ReportMetric(float64(n)/float64(b.N), "awaits/op")
	}
}

//go:embed asyncio_bench.py
var asyncioScript string

// AsyncioScript returns the source of asyncio_bench.py: run with python3
// and NAME=N arguments, it runs each named twin N ops and prints one line
// per twin: "NAME N <wall ns/op> <cpu ns/op> <awaits/op>".
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
		n := 0
		for b.Loop() {
			if err := t.Spawn("child", body).Wait(t); err != nil {
				return err
			}
			n += 2 // the child's step, and the wait that resumes t
		}
		awaits(b, n)
		return nil
	})
}

// Yield measures two tasks taking turns with Sleep(0) (asyncio.sleep(0));
// one op is one round: each task yields once.
func Yield(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		stop := false
		count := 0
		other := t.Spawn("other", func(t *coop.Task) error {
			for !stop {
				if err := t.Sleep(0); err != nil {
					return err
				}
				count++
			}
			return nil
		})
		if err := t.Sleep(0); err != nil { // other starts
			return err
		}
		count = 0
		n := 0
		for b.Loop() {
			if err := t.Sleep(0); err != nil {
				return err
			}
			n++
		}
		stop = true
		awaits(b, n+count)
		return other.Wait(t)
	})
}

// EventPingPong measures two tasks waking each other through events; one
// op is one round trip (two wake-ups).
func EventPingPong(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		var ping, pong coop.Event
		count := 0
		ponger := t.Spawn("ponger", func(t *coop.Task) error {
			for {
				if err := ping.Wait(t); err != nil {
					return err
				}
				count++
				ping.Clear()
				pong.Set()
			}
		})
		for b.Loop() {
			ping.Set()
			if err := pong.Wait(t); err != nil {
				return err
			}
			count++
			pong.Clear()
		}
		awaits(b, count)
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
		count := 0
		consumer := t.Spawn("consumer", func(t *coop.Task) error {
			for {
				v, err := q.Get(t)
				if err != nil || v < 0 {
					return err
				}
				count++
			}
		})
		for b.Loop() {
			if err := q.Put(t, 1); err != nil {
				return err
			}
			count++
		}
		if err := q.Put(t, -1); err != nil {
			return err
		}
		err := consumer.Wait(t)
		awaits(b, count)
		return err
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
		n := 0
		for b.Loop() {
			for i := range tasks {
				tasks[i] = t.Spawn("w", body)
			}
			if err := coop.Gather(t, tasks...); err != nil {
				return err
			}
			n += len(tasks)
		}
		awaits(b, n)
		return nil
	})
}

// QueuePingPong measures a value going to a task through one queue of 1
// and coming back through another; one op is the round trip (two puts,
// two gets).
func QueuePingPong(b *testing.B) {
	runBench(b, func(t *coop.Task) error {
		there, back := coop.NewQueue[int](1), coop.NewQueue[int](1)
		count := 0
		echo := t.Spawn("echo", func(t *coop.Task) error {
			for {
				v, err := there.Get(t)
				if err != nil || v < 0 {
					return err
				}
				count++
				if err := back.Put(t, v); err != nil {
					return err
				}
				count++
			}
		})
		i := 0
		for b.Loop() {
			if err := there.Put(t, i); err != nil {
				return err
			}
			count++
			if _, err := back.Get(t); err != nil {
				return err
			}
			count++
			i++
		}
		if err := there.Put(t, -1); err != nil {
			return err
		}
		err := echo.Wait(t)
		awaits(b, count)
		return err
	})
}

// CrossThreadWake measures a goroutine, standing for another thread or an
// interrupt, waking a task through a ThreadSafeFlag and waiting for the
// task's answer on a channel (asyncio: call_soon_threadsafe and a
// threading semaphore); one op is the round trip. It runs on the real
// clock.
func CrossThreadWake(b *testing.B) {
	var err error
	withCPU(b, func() {
		err = coop.Run(func(t *coop.Task) error {
			var flag coop.ThreadSafeFlag
			ack := make(chan struct{}, 1)
			n := b.N
			release := t.Loop().Hold()
			defer release()
			go func() {
				for range n {
					flag.Set()
					<-ack
				}
			}()
			count := 0
			b.ResetTimer()
			for range n {
				if err := flag.Wait(t); err != nil {
					return err
				}
				count++
				ack <- struct{}{} // never blocks: the goroutine waits for it
			}
			awaits(b, count)
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
}
