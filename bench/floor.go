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

// LoopFloor measures the least a loop that resumes tasks can cost: a
// loop resumes whatever its one-slot ready queue holds, a bare coroutine
// that puts itself back there before it yields. One op is one such step:
// what Step costs without a clock, states, statistics or a real queue.
func LoopFloor(b *testing.B) {
	var ready, self func() (struct{}, bool)
	next, stop := iter.Pull(func(yield func(struct{}) bool) {
		for {
			ready = self // makes itself ready, as Sleep(0) does
			if !yield(struct{}{}) {
				return
			}
		}
	})
	defer stop()
	self, ready = next, next
	withCPU(b, func() {
		for b.Loop() {
			r := ready
			ready = nil
			r()
		}
	})
}

// PingPongFloor is LoopFloor with two bare coroutines that make each
// other ready before they yield, as two tasks waking each other do. One
// op is a round trip, two steps: what EventPingPong and QueuePingPong
// cost without their primitives or the loop's bookkeeping.
func PingPongFloor(b *testing.B) {
	var ready, ping, pong func() (struct{}, bool)
	body := func(other *func() (struct{}, bool)) func(yield func(struct{}) bool) {
		return func(yield func(struct{}) bool) {
			for {
				ready = *other // wakes the other
				if !yield(struct{}{}) {
					return
				}
			}
		}
	}
	ping, stopPing := iter.Pull(body(&pong))
	defer stopPing()
	pong, stopPong := iter.Pull(body(&ping))
	defer stopPong()
	ready = ping
	withCPU(b, func() {
		for b.Loop() {
			for range 2 {
				r := ready
				ready = nil
				r()
			}
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
