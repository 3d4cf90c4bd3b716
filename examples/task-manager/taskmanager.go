// Package taskmanager starts and stops a task from a button: each press
// of the button on GP14 starts a worker task if none runs, or cancels the
// one that runs and waits for it to clean up. The worker blinks an LED on
// GP15 and reports every second.
//
// It is the further practice of seed 000 (§14 "Build a task manager that
// starts/stops tasks based on button input"), built from the course's own
// pieces: the cancellable worker of §5 and the button of §8, here read
// through package prim's debounced Pushbutton instead of polling by hand.
// In the course's Python:
//
//	async def worker(n):
//	    try:
//	        while True:
//	            print("Worker", n, "working...")
//	            await asyncio.sleep(1)        # the LED blinks meanwhile
//	    except asyncio.CancelledError:
//	        print("Worker", n, "cancelled, cleaning up...")
//	        raise
//
//	async def manager():
//	    task, n = None, 0
//	    async for _ in button.presses():     # debounced presses
//	        if task is None:
//	            n += 1
//	            print("Button pressed: starting worker", n)
//	            task = asyncio.create_task(worker(n))
//	        else:
//	            print("Button pressed: stopping worker", n)
//	            task.cancel()
//	            try:
//	                await task
//	            except asyncio.CancelledError:
//	                print("Worker", n, "stopped")
//	            task = None
//
// A cancelled task cannot be started again, in asyncio or in coop: each
// start makes a new worker, numbered, named "worker-N" in traces.
//
// # Files
//
// diagram.json wires a yellow LED on GP15 (through 220 Ω to GND) and a
// push button from GP14 to GND, read with the internal pull-up.
// scenario.yaml clicks the button at 0.52 s, 2.92 s and 5.02 s; each click
// is seen at the next 50 ms poll of the Pushbutton:
//
//	[   0.550s] Button pressed: starting worker 1
//	[   0.550s] Worker 1 working...
//	[   1.550s] Worker 1 working...
//	[   2.550s] Worker 1 working...
//	[   2.950s] Button pressed: stopping worker 1
//	[   2.950s] Worker 1 cancelled, cleaning up...
//	[   2.950s] Worker 1 stopped
//	[   5.050s] Button pressed: starting worker 2
//	…
package taskmanager

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/prim"
)

// Timings of the worker.
const (
	Report = time.Second            // time between two reports
	Blink  = 250 * time.Millisecond // how long the LED stays on, then off
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// worker returns the body of worker n: it blinks led and reports every
// second until it is cancelled, then turns led off, says so and returns
// coop.ErrCancelled.
func worker(n int, led hw.Output, con hw.Console) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		defer led.Set(false)
		for {
			con.Println("Worker", n, "working...")
			for range Report / (2 * Blink) { // two blinks per report
				led.Set(true)
				if err := t.Sleep(Blink); err != nil {
					con.Println("Worker", n, "cancelled, cleaning up...")
					return err
				}
				led.Set(false)
				if err := t.Sleep(Blink); err != nil {
					con.Println("Worker", n, "cancelled, cleaning up...")
					return err
				}
			}
		}
	}
}

// App toggles the worker at each press of the button, until it is
// cancelled; then it stops the worker, if one runs, and returns
// coop.ErrCancelled once it has cleaned up.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("GP15")
	if err != nil {
		return err
	}
	pin, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con := b.Console()
	button := prim.NewPushbutton(t.Loop(), pin, prim.PushbuttonConfig{LongPress: -1, DoubleClick: -1})
	defer button.Stop()

	var task *coop.Task
	n := 0
	// stop cancels the worker and waits until it has cleaned up. It
	// reports whether the worker ended cancelled, as it should.
	stop := func() (bool, error) {
		task.Cancel()
		var err error
		t.Shield(func() error { err = task.Wait(t); return nil })
		task = nil
		if errors.Is(err, coop.ErrCancelled) {
			return true, nil
		}
		return false, err
	}
	defer func() {
		if task != nil { // cancelled with a worker running
			stop()
		}
	}()
	for {
		ev, err := button.Next(t)
		if err != nil {
			return err
		}
		if ev.Kind != prim.ButtonPress {
			continue
		}
		if task == nil {
			n++
			con.Println("Button pressed: starting worker", n)
			task = t.Spawn(fmt.Sprint("worker-", n), worker(n, led, con))
			continue
		}
		con.Println("Button pressed: stopping worker", n)
		if cancelled, err := stop(); !cancelled {
			return err
		}
		con.Println("Worker", n, "stopped")
	}
}
