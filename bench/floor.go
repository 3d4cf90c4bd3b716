package bench

import (
	"iter"
	"testing"
	"time"

	"github.com/coopgo/coop"
)

// PullFloor measures the floor a step stands on: resuming an iter.Pull
// coroutine and its yield back, with nothing else. One op is one resume
// and one yield, the switches a task step makes.
func PullFloor(b *testing.B) {
	next, stop := iter.Pull(func(yield func(struct{}) bool) {
		for yield(struct{}{}) {
		}
	})
	defer stop()
	withCPU(b, func() {
		for b.Loop() {
			next()
		}
	})
}

// Step measures one task step on the virtual clock: a lone task yields
// with Sleep(0), so one op is one trip through the loop's ready queue and
// one resume and yield of the task's coroutine.
func Step(b *testing.B) {
	runBench(b, stepBody(b))
}

// StepRealClock is [Step] on the real clock with the blocking detector on
// (the default): what a step costs with its statistics timed.
func StepRealClock(b *testing.B) {
	var err error
	withCPU(b, func() { err = coop.Run(stepBody(b), coop.WithBlockingThreshold(time.Second)) })
	if err != nil {
		b.Fatal(err)
	}
}

func stepBody(b *testing.B) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		for b.Loop() {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		return nil
	}
}
