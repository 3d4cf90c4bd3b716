// Package hello is the first task of the course: main creates a task, says
// so, and awaits it. It shows that a spawned task does not run at once but
// at main's next await, so "Task created" comes before "Task started".
//
// It is "Basic task creation" of seed 000 (§2 Creating and Running Tasks):
//
//	async def hello_task():
//	    print("Task started")
//	    await asyncio.sleep(1)
//	    print("Task finished")
//
//	async def main():
//	    task = asyncio.create_task(hello_task())
//	    print("Task created")
//	    await task
//	    print("Main finished")
//
// The function literal given to Spawn is the coroutine; the *coop.Task that
// Spawn returns is the task, scheduled on the loop. The program uses no pin:
// its wiring, diagram.json, is the bare board. Run it with
// `coop run hello --virtual --timestamps`.
package hello

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// App creates the task, awaits it, and returns when it has finished.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	task := t.Spawn("hello_task", func(t *coop.Task) error {
		con.Println("Task started")
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
		con.Println("Task finished")
		return nil
	})
	con.Println("Task created")
	if err := task.Wait(t); err != nil {
		return err
	}
	con.Println("Main finished")
	return nil
}
