// Package cancel stops a task that would run forever, safely: main cancels
// the worker after three seconds, the worker's sleep returns ErrCancelled,
// the worker cleans up and returns that error, and main's await of it
// confirms the cancellation.
//
// It is "Cancelling a task safely" of seed 000 (§5 Task Cancellation):
//
//	async def worker():
//	    try:
//	        while True:
//	            print("Working...")
//	            await asyncio.sleep(1)
//	    except asyncio.CancelledError:
//	        print("Worker cancelled, cleaning up...")
//	        raise
//
//	async def main():
//	    task = asyncio.create_task(worker())
//	    await asyncio.sleep(3)
//	    task.cancel()
//	    try:
//	        await task
//	    except asyncio.CancelledError:
//	        print("Task cancellation confirmed")
//
// Python's raise is Go's return err: the worker hands ErrCancelled back as
// its result. In coop a cancellation is sticky, like a cancelled context:
// every later await of the worker would return ErrCancelled too, so
// swallowing it cannot keep the task alive: after [coop.DefaultCancelLimit]
// such awaits the loop names the task in a warning and abandons it.
//
// At 3 s main's sleep and the worker's fall due together. Main's was
// scheduled first, so main runs first and cancels the worker before the
// worker's sleep has returned: that sleep returns ErrCancelled, and the
// worker prints "Working..." three times, as in the seed's example output,
// on every run. Run it with `coop run cancel --virtual --timestamps`.
package cancel

import (
	"embed"
	"errors"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// App runs the worker for three seconds, cancels it, confirms the
// cancellation and returns nil.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	task := t.Spawn("worker", func(t *coop.Task) error {
		for {
			con.Println("Working...")
			if err := t.Sleep(time.Second); err != nil {
				if errors.Is(err, coop.ErrCancelled) {
					con.Println("Worker cancelled, cleaning up...")
				}
				return err
			}
		}
	})
	if err := t.Sleep(3 * time.Second); err != nil {
		return err
	}
	task.Cancel()
	err := task.Wait(t)
	// main's own cancellation would read as ErrCancelled too: that one is
	// not a confirmation, and main passes it on.
	if errors.Is(err, coop.ErrCancelled) && !t.Cancelled() {
		con.Println("Task cancellation confirmed")
		return nil
	}
	return err
}
