// Package forgottenerror makes the Go form of a classic asyncio mistake:
// a task that ignores what its await tells it. It is the program of
// package cancel with one line changed: the worker drops the error of its
// sleep, so it never learns that it was cancelled, and never cleans up.
//
// It is "Ignoring exceptions in tasks" of the "Common mistakes" of seed 000
// (§10), in its most common shape, a swallowed cancellation, applied to the
// worker of §5:
//
//	async def worker():
//	    while True:
//	        try:
//	            print("Working...")
//	            await asyncio.sleep(1)
//	        except asyncio.CancelledError:
//	            pass                 # the mistake: the cancellation is lost
//
// In Python the worker goes on working once a second and `await task`
// never returns: the program hangs. In coop, cancellation is sticky: once
// the worker is cancelled, every await it makes returns ErrCancelled at
// once, without waiting or yielding. So the worker spins: it runs its
// loop again and again in the same instant, holding the loop (no other
// task runs meanwhile), printing "Working..." each time. After
// coop.DefaultCancelLimit (100) ignored awaits the loop gives up on it:
// it reports a coop.WarnIgnoredCancel warning naming the task (`coop run`
// prints it on standard error) and abandons the task, unwinding its stack
// so that only its defers run. The abandoned task's result wraps
// ErrCancelled, so main's check confirms the cancellation, yet the
// worker's own cleanup never ran.
//
// A program cannot receive the loop's warnings (the warning handler
// belongs to whoever makes the loop), so main prints the diagnosis itself:
// the worker's result, and how often it looped after it was cancelled.
// Run it with `coop run mistake-forgotten-error --virtual --timestamps`.
package forgottenerror

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

// App runs the worker for three seconds, cancels it, waits until coop has
// abandoned it, prints what happened and returns nil.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	loops := 0
	task := t.Spawn("worker", func(t *coop.Task) error {
		for {
			con.Println("Working...")
			loops++
			t.Sleep(time.Second) // the mistake: the error is dropped
		}
	})
	if err := t.Sleep(3 * time.Second); err != nil {
		return err
	}
	task.Cancel()
	before, at := loops, t.Now()
	err := task.Wait(t)
	if errors.Is(err, coop.ErrCancelled) && !t.Cancelled() {
		con.Println("Task cancellation confirmed")
	} else if err != nil {
		return err
	}
	con.Println("Worker result:", err)
	con.Printf("After the cancel the worker looped %d more times in %v and never cleaned up\n",
		loops-before, (t.Now() - at).Round(time.Millisecond))
	return nil
}
