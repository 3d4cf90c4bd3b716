// Command mcubench measures what the scheduler costs on a microcontroller,
// in instructions: scripts/mcu-bench.sh runs it on a Cortex-M3 under QEMU
// with instruction counting and reads the counts between the calls to
// mark, which this program makes around each measured run.
//
// Each measure runs its operation twice, n0 then n1 times, between marks;
// the difference of the two counts over n1-n0 is the cost of one
// operation, without the fixed cost of setting the run up. The program
// also prints, per task, the bytes of heap a task that waits takes (its
// stack and its task struct), measured with runtime.ReadMemStats.
//
// It runs on the standard toolchain too (`go run ./internal/mcubench`),
// where it prints the memory figures of that runtime.
package main

import (
	"fmt"
	"runtime"

	"github.com/coopgo/coop"
)

// The two run lengths of every measure.
const (
	n0 = 5
	n1 = 45
)

// part chooses what runs: "count" only the measures (the build run with
// every instruction logged, which is slow), "ram" only the bytes per
// task, anything else both. Set with -ldflags "-X main.part=count".
var part string

// mark is where the instruction counter cuts; it must not be inlined, so
// that its first instruction appears in QEMU's log under its name.
//
//go:noinline
func mark(what string, n int) {
	marks = append(marks, markRec{what, n})
}

type markRec struct {
	what string
	n    int
}

var marks []markRec

// measure runs op n0 and n1 times, each on a fresh loop, with marks
// around each run.
func measure(what string, op func(n int)) {
	for _, n := range []int{n0, n1} {
		mark(what, n)
		op(n)
	}
	mark("end", 0)
}

// run runs main on a fresh loop. The measures hold the loop on purpose
// (runtime.GC): no blocking warnings.
func run(main func(t *coop.Task) error) {
	if err := coop.Run(main, coop.WithBlockingThreshold(0)); err != nil {
		panic("mcubench: " + err.Error())
	}
}

// steps: one task yields n times: n task steps.
func steps(n int) {
	run(func(t *coop.Task) error {
		for range n {
			if err := t.Sleep(0); err != nil {
				return err
			}
		}
		return nil
	})
}

// wakes: two tasks hand the turn back and forth through two Events, n
// times each way: 2n wakes.
func wakes(n int) {
	run(func(t *coop.Task) error {
		var ping, pong coop.Event
		other := t.Spawn("pong", func(t *coop.Task) error {
			for range n {
				if err := ping.Wait(t); err != nil {
					return err
				}
				ping.Clear()
				pong.Set()
			}
			return nil
		})
		for range n {
			ping.Set()
			if err := pong.Wait(t); err != nil {
				return err
			}
			pong.Clear()
		}
		return other.Wait(t)
	})
}

// spawns: main spawns a task that returns at once and awaits it, n times.
func spawns(n int) {
	run(func(t *coop.Task) error {
		for range n {
			if err := t.Spawn("job", func(*coop.Task) error { return nil }).Wait(t); err != nil {
				return err
			}
		}
		return nil
	})
}

// perTask returns the heap bytes that each of k tasks waiting on an Event
// holds, from the heap in use with and without them (after a collection).
func perTask(k int) uint64 {
	var per uint64
	run(func(t *coop.Task) error {
		var ev coop.Event
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		tasks := make([]*coop.Task, k)
		for i := range tasks {
			tasks[i] = t.Spawn("waiter", ev.Wait)
		}
		if err := t.Sleep(0); err != nil { // every task runs and waits
			return err
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		per = (after.HeapInuse - before.HeapInuse) / uint64(k)
		ev.Set()
		return coop.Gather(t, tasks...)
	})
	return per
}

func main() {
	if part != "ram" {
		measure("step", steps)
		measure("wake", wakes)
		measure("spawn", spawns)
		fmt.Println("mcubench: runs:", n0, n1, "marks:", len(marks))
	}
	if part != "count" {
		const k = 4
		fmt.Println("mcubench: bytes per waiting task:", perTask(k), "measured over", k, "tasks")
	}
}
