// Package taskerror shows how a task's failure reaches the task that
// awaits it: the faulty task returns an error after a second, and main's
// await of it returns that error, which main prints.
//
// It is "Handling Exceptions in Tasks" of seed 000 (§6):
//
//	async def faulty_task():
//	    await asyncio.sleep(1)
//	    raise ValueError("Something went wrong")
//
//	async def main():
//	    task = asyncio.create_task(faulty_task())
//	    try:
//	        await task
//	    except Exception as e:
//	        print("Task error:", e)
//
// Errors are values: raise is return, and `await task` is Task.Wait, which
// returns the task's error (a panic comes back as a *coop.PanicError).
// Python's except Exception does not catch CancelledError, and main does
// not treat its own cancellation as the task's error either.
//
// Had nobody awaited the task, its failure would not be lost: when a task
// that nobody awaits fails, the loop hands the error to its error handler
// (coop.WithErrorHandler; `coop run` prints `task "faulty_task" failed:
// Something went wrong` on standard error), as asyncio reports "Task
// exception was never retrieved", and the other tasks go on. The test
// TestApp_unawaited shows it. Run the program with
// `coop run task-error --virtual --timestamps`.
package taskerror

import (
	"embed"
	"errors"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// ValueError is Python's ValueError: an error that is just its message.
type ValueError string

func (e ValueError) Error() string { return string(e) }

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// FaultyTask fails after a second with ValueError("Something went wrong").
func FaultyTask(t *coop.Task) error {
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	return ValueError("Something went wrong")
}

// App awaits the faulty task, prints its error and returns nil.
func App(t *coop.Task, b hw.Board) error {
	task := t.Spawn("faulty_task", FaultyTask)
	err := task.Wait(t)
	if err != nil && !errors.Is(err, coop.ErrCancelled) {
		b.Console().Println("Task error:", err)
		return nil
	}
	return err
}
