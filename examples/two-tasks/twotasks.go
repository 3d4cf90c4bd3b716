// Package twotasks runs two tasks at once: one counts to 2 every second,
// the other to 4 every half second, and their lines interleave because
// each sleep hands the loop to the other.
//
// It is "Multiple tasks running together" of seed 000 (§2 Creating and
// Running Tasks), the concurrency of §3:
//
//	async def task_one():
//	    for i in range(3):
//	        print("Task 1:", i)
//	        await asyncio.sleep(1)
//
//	async def task_two():
//	    for i in range(5):
//	        print("Task 2:", i)
//	        await asyncio.sleep(0.5)
//
//	async def main():
//	    t1 = asyncio.create_task(task_one())
//	    t2 = asyncio.create_task(task_two())
//	    await t1
//	    await t2
//
// At 1 s and 2 s both tasks wake at the same instant. coop runs timers due
// together in the order their sleeps were scheduled, and task_one's sleep
// (scheduled a whole second earlier) comes first, so "Task 1" prints before
// "Task 2" there, every run, as in the seed's example output. The program
// uses no pin: its wiring is the bare board. Run it with
// `coop run two-tasks --virtual --timestamps`.
package twotasks

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

// App runs both tasks and returns when both have finished, at 3 s: task_one
// sleeps once more after its last line.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	count := func(name string, n int, every time.Duration) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			for i := range n {
				con.Println(name+":", i)
				if err := t.Sleep(every); err != nil {
					return err
				}
			}
			return nil
		}
	}
	t1 := t.Spawn("task_one", count("Task 1", 3, time.Second))
	t2 := t.Spawn("task_two", count("Task 2", 5, 500*time.Millisecond))
	if err := t1.Wait(t); err != nil {
		return err
	}
	return t2.Wait(t)
}
