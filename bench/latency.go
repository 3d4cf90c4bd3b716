package bench

import (
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/coopgo/coop"
)

// The shapes of the latency workloads; asyncio_bench.py's twins use the
// same (TIMER_SPACING, TIMER_LEAD_PER_TASK, TIMER_LEAD, TICK, BUSY).
const (
	// TimerSpacing is the time between two tasks' deadlines in
	// [TimerLateness]: 10,000 tasks spread over half a second.
	TimerSpacing = 50 * time.Microsecond
	// timerLeadPerTask and timerLead are the time left before the first
	// deadline for the tasks to start: an asyncio task takes a few
	// microseconds to create and start.
	timerLeadPerTask = 10 * time.Microsecond
	timerLead        = 10 * time.Millisecond
	// Tick is [TickLateness]'s period.
	Tick = time.Millisecond
	// Busy is how long [TickLateness]'s busy neighbour computes before
	// it yields.
	Busy = 200 * time.Microsecond
)

// Lateness is how late each wake-up of a run came: the loop clock when
// the task ran again, less the deadline it slept to, in the order of the
// deadlines.
type Lateness []time.Duration

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// l, or 0 if l is empty.
func (l Lateness) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// TimerLateness runs n tasks on the real clock, each of which sleeps once,
// with SleepUntil, to a deadline of its own: the deadlines are
// TimerSpacing apart, after a lead that leaves the tasks time to start. It
// returns each task's lateness. It collects garbage first, so that no
// earlier work's garbage is collected meanwhile.
func TimerLateness(n int) (Lateness, error) {
	late := make(Lateness, n)
	err := runReal(func(t *coop.Task) error {
		var base time.Duration
		tasks := make([]*coop.Task, n)
		for i := range tasks {
			tasks[i] = t.Spawn("sleeper", func(t *coop.Task) error {
				deadline := base + time.Duration(i+1)*TimerSpacing
				if err := t.SleepUntil(deadline); err != nil {
					return err
				}
				late[i] = t.Now() - deadline
				return nil
			})
		}
		base = t.Now() + timerLead + time.Duration(n)*timerLeadPerTask
		return coop.Gather(t, tasks...)
	})
	return late, err
}

// TickLateness runs one task on the real clock that wakes at start + k·Tick
// for k = 1 … n, with SleepUntil (no tick is skipped, as asyncio's twin
// skips none), and returns each tick's error. With busy, a neighbour task
// computes for Busy (spinning on the clock) then yields, in a loop, all
// the while. It collects garbage first, as [TimerLateness] does.
func TickLateness(n int, busy bool) (Lateness, error) {
	late := make(Lateness, 0, n)
	err := runReal(func(t *coop.Task) error {
		stop := false
		var neighbour *coop.Task
		if busy {
			neighbour = t.Spawn("busy", func(t *coop.Task) error {
				for !stop {
					for s := t.Now(); t.Now()-s < Busy; {
					}
					if err := t.Sleep(0); err != nil {
						return err
					}
				}
				return nil
			})
		}
		start := t.Now()
		for k := 1; k <= n; k++ {
			deadline := start + time.Duration(k)*Tick
			if err := t.SleepUntil(deadline); err != nil {
				return err
			}
			late = append(late, t.Now()-deadline)
		}
		stop = true
		if neighbour != nil {
			return neighbour.Wait(t)
		}
		return nil
	})
	return late, err
}

// runReal runs main on a real-clock loop, after a garbage collection.
// Warnings are dropped: a step held too long shows in the lateness
// measured.
func runReal(main func(t *coop.Task) error) error {
	runtime.GC()
	return coop.Run(main, coop.WithWarningHandler(func(coop.Warning) {}))
}

// Spawned is the cost of creating tasks and running each to its first
// wait.
type Spawned struct {
	Tasks int
	Cost  Cost // per task
	// Bytes is what a task holds, heap and goroutine stack; the runtime
	// reuses the goroutine descriptors of ended goroutines, so they are
	// not counted (see [MeasureMemory]).
	Bytes float64
}

// SpawnIdle creates n tasks on a virtual-clock loop, each waiting on one
// event, and runs each to its wait; then it sets the event and lets them
// all finish. It returns the time the creating and starting took and the
// memory the tasks held at their wait.
func SpawnIdle(n int) (Spawned, error) {
	heap, stack, cost, err := spawnIdle(n)
	return Spawned{Tasks: n, Cost: cost, Bytes: heap + stack}, err
}

// spawnIdle is [SpawnIdle], returning the heap and stack bytes per task
// apart.
func spawnIdle(n int) (heap, stack float64, cost Cost, err error) {
	heap, stack = measureHeld(n, func(done func()) {
		err = coop.Run(func(t *coop.Task) error {
			var ev coop.Event
			body := func(t *coop.Task) error { return ev.Wait(t) }
			m := startMeasure()
			for range n {
				t.Spawn("idle", body)
			}
			if err := t.Sleep(0); err != nil { // every task runs to its wait
				return err
			}
			cost = m.per(n)
			if err := settle(t); err != nil {
				return err
			}
			done()
			ev.Set()
			return t.Sleep(0) // every task ends
		}, coop.WithVirtualClock())
	})
	return heap, stack, cost, err
}
