package rt

import (
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// EventTask is event-driven scheduling: a task that does nothing until an
// interrupt says that something happened, then runs its function. The
// interrupt handler stays short, as the ISR rules ask: [EventTask.Trigger]
// notes the time and sets a [coop.ThreadSafeFlag]; the work runs in the
// task, where it may await and take its time.
//
// It measures the latency from the interrupt to the task running, which is
// what event-driven code trades for its short handlers: the task runs only
// when the loop gets to it, after the tasks ready before it. Triggers that
// come before the task could run are coalesced into one run (a flag is not
// a counter) and counted.
type EventTask struct {
	task *coop.Task
	loop *coop.Loop
	flag coop.ThreadSafeFlag

	mu       sync.Mutex
	pending  int64         // triggers since the task last ran
	firstAt  time.Duration // time of the first of them
	triggers int64

	runs, coalesced int64
	latency         sampler
}

// EventStats is a snapshot of an EventTask.
type EventStats struct {
	Triggers  int64 // interrupts that triggered the task
	Runs      int64 // times the function ran
	Coalesced int64 // triggers merged into a run of an earlier one
	// Latency is from the first trigger of a run to the start of the run.
	Latency Dist
}

// NewEventTask spawns, as a child of parent, a task that runs fn each time
// it is triggered. The task ends when fn fails or the task is cancelled.
func NewEventTask(parent *coop.Task, name string, fn func(t *coop.Task) error) *EventTask {
	return newEventTask(parent, name, fn, nil)
}

// OnEdge spawns an EventTask triggered by the edges in edge of pin (an
// input's Pin.irq): the handler only triggers the task. The handler is
// removed when the task ends.
func OnEdge(parent *coop.Task, name string, pin hw.Interrupter, edge hw.Edge, fn func(t *coop.Task) error) (*EventTask, error) {
	e := newEventTask(parent, name, fn, func() { pin.SetInterrupt(0, nil) })
	err := pin.SetInterrupt(edge, func(hw.Edge) {
		if e.task.Done() { // cancelled before it ever ran: no cleanup ran
			pin.SetInterrupt(0, nil)
			return
		}
		e.Trigger()
	})
	if err != nil {
		e.task.Cancel()
		return nil, err
	}
	return e, nil
}

func newEventTask(parent *coop.Task, name string, fn func(t *coop.Task) error, cleanup func()) *EventTask {
	e := &EventTask{loop: parent.Loop()}
	e.task = parent.Spawn(name, func(t *coop.Task) error {
		if cleanup != nil {
			defer cleanup()
		}
		for {
			if err := e.flag.Wait(t); err != nil {
				return err
			}
			now := t.Now()
			e.mu.Lock()
			n, first := e.pending, e.firstAt
			e.pending = 0
			e.mu.Unlock()
			if n == 0 {
				continue // a trigger already served by the previous run
			}
			e.runs++
			e.coalesced += n - 1
			e.latency.add(now - first)
			if err := fn(t); err != nil {
				return err
			}
		}
	})
	return e
}

// Trigger tells the task that its event happened, noting the time. Call it
// from interrupt context (pin handlers and timer callbacks, which run on
// the loop in the simulator) or from a task. Other goroutines set a
// [coop.ThreadSafeFlag] of their own instead: on the virtual clock they
// cannot read the loop's time.
func (e *EventTask) Trigger() {
	now := e.loop.Now()
	e.mu.Lock()
	if e.pending == 0 {
		e.firstAt = now
	}
	e.pending++
	e.triggers++
	e.mu.Unlock()
	e.flag.Set()
}

// Task returns the task, to cancel or wait for it.
func (e *EventTask) Task() *coop.Task { return e.task }

// Stats returns a snapshot of the task's timing. Call it on the loop.
func (e *EventTask) Stats() EventStats {
	e.mu.Lock()
	tr := e.triggers
	e.mu.Unlock()
	return EventStats{Triggers: tr, Runs: e.runs, Coalesced: e.coalesced, Latency: e.latency.dist()}
}
