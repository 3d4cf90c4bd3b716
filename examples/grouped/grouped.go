// Package grouped runs two endless tasks as a group, at different paces:
// "A" every second, "B" every 0.7 s. Main waits on the group; cancelling
// main (Ctrl-C, or the end of `coop run --for`) cancels both.
//
// It is "Pattern 3: Grouped concurrent work" of seed 000 (§3 Task
// Scheduling Patterns), with the §4 rules for tasks that run forever:
//
//	async def task_a():
//	    while True:
//	        print("A")
//	        await asyncio.sleep(1)
//
//	async def task_b():
//	    while True:
//	        print("B")
//	        await asyncio.sleep(0.7)
//
//	async def main():
//	    asyncio.create_task(task_a())
//	    asyncio.create_task(task_b())
//	    while True:
//	        await asyncio.sleep(10)
//
// The seed's main keeps the loop alive with an endless sleep; here it
// gathers the two tasks instead (asyncio.gather), which waits just as long
// and also keeps them together: their errors come back to main, and
// cancelling main cancels them. The two lines fall on the same instant
// only at multiples of 7 s; task_a's sleep, scheduled earlier, wakes it
// first there. Run it with `coop run grouped --virtual --timestamps --for 10s`.
package grouped

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The tasks' periods.
const (
	PeriodA = time.Second
	PeriodB = 700 * time.Millisecond
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// App runs both tasks until it is cancelled, then returns ErrCancelled
// once both have stopped.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	every := func(line string, d time.Duration) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			for {
				con.Println(line)
				if err := t.Sleep(d); err != nil {
					return err
				}
			}
		}
	}
	taskA := t.Spawn("task_a", every("A", PeriodA))
	taskB := t.Spawn("task_b", every("B", PeriodB))
	return coop.Gather(t, taskA, taskB)
}
