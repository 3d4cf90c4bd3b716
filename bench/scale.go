package bench

import (
	"iter"
	"strconv"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Cost is the cost of one op: wall time, and the process's CPU time (0
// where it is not read), which a shared machine disturbs less.
type Cost struct {
	Wall, CPU time.Duration
}

// ScaleRow is the cost of one op of each kind with n tasks alive.
//
// Two questions are measured apart. Does an op cost more because many
// other tasks exist? The Busy rows answer it: a few tasks work while the
// other n wait (on an event, or on timers far ahead), which is what a
// scheduler's data structures decide. And what does touching every one of
// n tasks in turn cost? The Every rows answer that: each op finds a task,
// a stack and a goroutine the caches have long dropped, so they follow
// their floor, EveryFloor, n bare coroutines resumed in turn.
type ScaleRow struct {
	Tasks int
	// Spawn: create a task and run it to its first wait, while the ones
	// created before stay alive.
	Spawn Cost
	// SpawnFloor: the floor under Spawn, making a bare iter.Pull
	// coroutine and running it to its first yield, the ones before staying
	// alive (a new goroutine, its stack, and the page faults behind them).
	SpawnFloor Cost
	// BusyWake: one of a few busy tasks is woken by an event, runs one
	// step and waits again, while n others wait on another event.
	BusyWake Cost
	// BusyTimer: one of a few busy tasks' timer fires, the task runs one
	// step and sleeps again (a timer insert), among n timers pending
	// further ahead.
	BusyTimer Cost
	// EveryWake: an event set wakes all n waiting tasks, each runs one
	// step and waits again; one op is one task's wake and step.
	EveryWake Cost
	// EveryTimer: each of n tasks sleeps in turn, its timer firing among
	// the n pending; one op is one fire, step and sleep.
	EveryTimer Cost
	// EveryFloor: the floor under the Every rows, resuming each of n bare
	// iter.Pull coroutines in turn.
	EveryFloor Cost
}

// scaleOps is about how many ops each measurement makes, so that small
// sizes are timed over as much work as large ones.
const scaleOps = 1 << 20

// busyTasks is how many tasks work in the Busy measurements: enough to
// make a round, few enough that they stay in the caches at any n.
const busyTasks = 64

// MeasureScale measures spawn, wake and timer costs with n tasks alive on
// a virtual-clock loop, and their floors. Run it in a fresh process for
// honest Spawn and SpawnFloor figures: they measure new goroutines, and
// the runtime reuses the stacks of ended ones.
func MeasureScale(n int) (ScaleRow, error) {
	row := ScaleRow{Tasks: n}
	rounds := max(1, scaleOps/n)

	// The floors first, on new goroutines that stay alive until the end,
	// so that the tasks cannot reuse their stacks either.
	nexts := make([]func() (struct{}, bool), n)
	stops := make([]func(), n)
	m := startMeasure()
	for i := range nexts {
		nexts[i], stops[i] = iter.Pull(func(yield func(struct{}) bool) {
			for yield(struct{}{}) {
			}
		})
		nexts[i]()
	}
	row.SpawnFloor = m.per(n)
	m = startMeasure()
	for range rounds {
		for _, next := range nexts {
			next()
		}
	}
	row.EveryFloor = m.per(n * rounds)
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()

	err := coop.Run(func(self *coop.Task) error {
		var err error
		if row.Spawn, row.EveryWake, row.EveryTimer, err = measureEvery(self, n, rounds); err != nil {
			return err
		}
		row.BusyWake, row.BusyTimer, err = measureBusy(self, n)
		return err
	}, coop.WithVirtualClock())
	return row, err
}

// measureEvery spawns n tasks, then wakes each of them rounds times by an
// event, then lets each sleep rounds times.
func measureEvery(self *coop.Task, n, rounds int) (spawn, wake, timer Cost, err error) {
	var evs [2]coop.Event
	body := func(i int) func(t *coop.Task) error {
		period := time.Duration(1+i%997) * time.Microsecond
		return func(t *coop.Task) error {
			for r := range rounds {
				if err := evs[r%2].Wait(t); err != nil {
					return err
				}
			}
			for range rounds {
				if err := t.Sleep(period); err != nil {
					return err
				}
			}
			return nil
		}
	}
	tasks := make([]*coop.Task, n)
	m := startMeasure()
	for i := range tasks {
		tasks[i] = self.Spawn("every", body(i))
	}
	if err := self.Sleep(0); err != nil { // each runs to its first wait
		return spawn, wake, timer, err
	}
	spawn = m.per(n)
	m = startMeasure()
	for r := range rounds {
		evs[(r+1)%2].Clear()
		evs[r%2].Set()
		if err := self.Sleep(0); err != nil { // each wakes and waits again
			return spawn, wake, timer, err
		}
	}
	wake = m.per(n * rounds)
	m = startMeasure()
	for _, t := range tasks {
		if err := t.Wait(self); err != nil {
			return spawn, wake, timer, err
		}
	}
	timer = m.per(n * rounds)
	return spawn, wake, timer, nil
}

// measureBusy keeps n tasks waiting, first on an event and then on timers
// an hour or more ahead, while busyTasks tasks are woken by events and
// then sleep short periods.
func measureBusy(self *coop.Task, n int) (wake, timer Cost, err error) {
	var idle coop.Event
	idlers := make([]*coop.Task, n)
	for i := range idlers {
		far := time.Hour + time.Duration(i*7919%n)*time.Millisecond
		idlers[i] = self.Spawn("idle", func(t *coop.Task) error {
			if err := idle.Wait(t); err != nil {
				return err
			}
			return t.Sleep(far)
		})
	}
	rounds := scaleOps / busyTasks
	var evs [2]coop.Event
	busy := make([]*coop.Task, busyTasks)
	for i := range busy {
		period := time.Duration(1+i) * time.Microsecond
		busy[i] = self.Spawn("busy", func(t *coop.Task) error {
			for r := range rounds {
				if err := evs[r%2].Wait(t); err != nil {
					return err
				}
			}
			if err := idle.Wait(t); err != nil {
				return err
			}
			for range rounds {
				if err := t.Sleep(period); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := self.Sleep(0); err != nil { // each runs to its first wait
		return wake, timer, err
	}
	m := startMeasure()
	for r := range rounds {
		evs[(r+1)%2].Clear()
		evs[r%2].Set()
		if err := self.Sleep(0); err != nil {
			return wake, timer, err
		}
	}
	wake = m.per(busyTasks * rounds)
	idle.Set()
	if err := self.Sleep(0); err != nil { // the idlers go to sleep
		return wake, timer, err
	}
	m = startMeasure()
	for _, t := range busy {
		if err := t.Wait(self); err != nil {
			return wake, timer, err
		}
	}
	timer = m.per(busyTasks * rounds)
	for _, t := range idlers {
		t.Cancel()
	}
	return wake, timer, nil
}

// measure times a stretch of work in wall and CPU time.
type measure struct {
	wall time.Time
	cpu  time.Duration
}

func startMeasure() measure {
	cpu, _ := processCPU()
	return measure{wall: time.Now(), cpu: cpu}
}

// per returns the cost of one of ops ops since m started.
func (m measure) per(ops int) Cost {
	wall := time.Since(m.wall)
	var c Cost
	if cpu, ok := processCPU(); ok {
		c.CPU = (cpu - m.cpu) / time.Duration(ops)
	}
	c.Wall = wall / time.Duration(ops)
	return c
}

// Scale runs [MeasureScale] with 1k to 1M tasks as sub-benchmarks and
// reports the CPU time of each kind of op.
func Scale(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000, 1_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var row ScaleRow
			var err error
			for b.Loop() {
				if row, err = MeasureScale(n); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(row.Spawn.CPU), "spawn-cpu-ns")
			b.ReportMetric(float64(row.BusyWake.CPU), "busy-wake-cpu-ns")
			b.ReportMetric(float64(row.BusyTimer.CPU), "busy-timer-cpu-ns")
			b.ReportMetric(float64(row.EveryWake.CPU), "every-wake-cpu-ns")
			b.ReportMetric(float64(row.EveryTimer.CPU), "every-timer-cpu-ns")
			b.ReportMetric(float64(row.EveryFloor.CPU), "floor-cpu-ns")
		})
	}
}
