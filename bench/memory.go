package bench

import (
	"iter"
	"runtime"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// Memory is what n idle tasks cost, next to n bare iter.Pull coroutines
// parked in their yield, the floor a task stands on.
type Memory struct {
	Tasks int
	// Heap is the heap bytes per task: the Task, its coroutine's
	// closures and what coop keeps for it, not the runtime's goroutine
	// descriptor (G), which like the stack belongs to the goroutine.
	Heap float64
	// Own is the part of Heap that is coop's: Heap less the closures of
	// a bare iter.Pull coroutine.
	Own float64
	// G is the runtime's goroutine descriptor and Stack the goroutine
	// stack, per task: the goroutine every coroutine is.
	G, Stack float64
	// Create is the time to spawn the tasks and run each to its wait;
	// PullCreate the time to make and start as many bare coroutines.
	Create, PullCreate time.Duration
}

// Total is what one idle task holds in all: heap, goroutine descriptor and
// stack.
func (m Memory) Total() float64 { return m.Heap + m.G + m.Stack }

// MeasureMemory measures n idle tasks (spawned on a virtual-clock loop,
// each waiting on one event) and n bare coroutines. The runtime keeps the
// descriptors of ended goroutines for reuse, so it must run first in its
// process: its first round of coroutines makes new ones, which tells
// their size; the later rounds reuse them.
func MeasureMemory(n int) (Memory, error) {
	m := Memory{Tasks: n}
	nexts := make([]func() (struct{}, bool), n)
	stops := make([]func(), n)
	pull := func(done func()) {
		start := time.Now()
		for i := range nexts {
			nexts[i], stops[i] = iter.Pull(func(yield func(struct{}) bool) { yield(struct{}{}) })
			nexts[i]()
		}
		m.PullCreate = time.Since(start)
		done()
		for i, stop := range stops {
			stop()
			nexts[i], stops[i] = nil, nil
		}
	}
	fresh, stack := measureHeld(n, pull) // new goroutine descriptors
	bare, _ := measureHeld(n, pull)      // reused ones
	m.G, m.Stack = fresh-bare, stack
	heap, _, cost, err := spawnIdle(n)
	m.Heap, m.Create = heap, time.Duration(n)*cost.Wall
	m.Own = m.Heap - bare
	return m, err
}

// measureHeld runs fn, which calls done once what it measures is in place,
// and returns the heap and stack bytes per item held at that moment.
func measureHeld(n int, fn func(done func())) (heap, stack float64) {
	var before, at runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn(func() {
		runtime.GC()
		runtime.ReadMemStats(&at)
	})
	return float64(int64(at.HeapAlloc)-int64(before.HeapAlloc)) / float64(n),
		float64(int64(at.StackInuse)-int64(before.StackInuse)) / float64(n)
}

// MemoryPerTask reports [MeasureMemory] of 100k idle tasks: heap and
// stack bytes per task, coop's own share of the heap, and the goroutine
// descriptor. Run it alone (-bench 'MemoryPerTask$'): the descriptor is
// told only by the first goroutines a process makes.
func MemoryPerTask(b *testing.B) {
	var m Memory
	var err error
	for b.Loop() {
		if m, err = MeasureMemory(100_000); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(m.Heap, "heap-B/task")
	b.ReportMetric(m.Own, "own-B/task")
	b.ReportMetric(m.G, "g-B/task")
	b.ReportMetric(m.Stack, "stack-B/task")
}

// settle lets the loop run some rounds with the tasks idle, so that what
// it holds only while tasks are ready (the ring of ready tasks, grown by
// the burst that started them, shrinks back within a few rounds) is not
// counted as the tasks' own.
func settle(t *coop.Task) error {
	for range 64 {
		if err := t.Sleep(0); err != nil {
			return err
		}
	}
	return nil
}
