package trace

import "github.com/coopgo/coop"

// ObserveTask records a task's change of state; pass it to the scheduler
// with coop.WithTaskEvents(r.ObserveTask) to trace every task of a run.
func (r *Recorder) ObserveTask(ev coop.TaskEvent) {
	r.Task(ev.At, ev.Task.Name(), ev.State.String())
}
