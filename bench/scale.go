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
type ScaleRow struct {
	Tasks int
	// Spawn: create a task and run it to its first wait.
	Spawn Cost
	// Wake: an event set wakes a waiting task, which runs one step and
	// waits again.
	Wake Cost
	// Timer: a task's timer fires among n pending ones, the task runs one
	// step and sleeps again (a timer insert).
	Timer Cost
	// Switch: the floor under Wake and Timer, resuming one of n bare
	// iter.Pull coroutines in turn, so each resume finds a cold stack as
	// a step does.
	Switch Cost
	// Create: the floor under Spawn, making a bare iter.Pull coroutine
	// and running it to its first yield (a new goroutine, its stack).
	Create Cost
}

// scaleOps is about how many ops each measurement makes, so that small
// sizes are timed over as much work as large ones.
const scaleOps = 1 << 20

// MeasureScale measures spawn, wake and timer costs with n tasks alive on
// a virtual-clock loop.
func MeasureScale(n int) (ScaleRow, error) {
	row := ScaleRow{Tasks: n}
	rounds := max(1, scaleOps/n)
	var evs [2]coop.Event
	tasks := make([]*coop.Task, n)
	err := coop.Run(func(self *coop.Task) error {
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
		m := startMeasure()
		for i := range tasks {
			tasks[i] = self.Spawn("w", body(i))
		}
		if err := self.Sleep(0); err != nil { // each runs to its first wait
			return err
		}
		row.Spawn = m.per(n)
		m = startMeasure()
		for r := range rounds {
			evs[(r+1)%2].Clear()
			evs[r%2].Set()
			if err := self.Sleep(0); err != nil { // each wakes and waits again
				return err
			}
		}
		row.Wake = m.per(n * rounds)
		m = startMeasure()
		for _, t := range tasks {
			if err := t.Wait(self); err != nil {
				return err
			}
		}
		row.Timer = m.per(n * rounds)
		return nil
	}, coop.WithVirtualClock())
	if err != nil {
		return row, err
	}
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
	row.Create = m.per(n)
	m = startMeasure()
	for range rounds {
		for _, next := range nexts {
			next()
		}
	}
	row.Switch = m.per(n * rounds)
	for _, stop := range stops {
		stop()
	}
	return row, nil
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
			b.ReportMetric(float64(row.Wake.CPU), "wake-cpu-ns")
			b.ReportMetric(float64(row.Timer.CPU), "timer-cpu-ns")
			b.ReportMetric(float64(row.Switch.CPU), "floor-cpu-ns")
		})
	}
}
