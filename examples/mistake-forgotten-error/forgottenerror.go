// Package forgottenerror makes the Go form of a classic asyncio mistake:
// a task fails and nobody looks at its error. The reader task stops at
// its first bad reading; main, which started it and dropped it, goes on as
// if all were well.
//
// It is "Ignoring exceptions in tasks" of the "Common mistakes" of seed 000
// (§10), in the shape the course's sensor programs would make it:
//
//	async def read_sensor():
//	    for reply in ["24", "25", "--", "26"]:
//	        value = int(reply)            # ValueError on the garbled reply
//	        print("Temperature:", value, "C")
//	        await asyncio.sleep(1)
//
//	async def main():
//	    asyncio.create_task(read_sensor())  # the mistake: nobody awaits it
//	    for tick in range(1, 4):
//	        await asyncio.sleep(2)
//	        print("Main still running, tick", tick)
//
// In Go the task returns its error, and the mistake is to keep neither the
// task nor its error: nothing in main learns that the reader stopped at
// 2 s, and the temperature is never printed again. What coop does for it
// is what asyncio does ("Task exception was never retrieved"): when a
// failed task ends and nobody has awaited it, the loop's error handler
// reports it, once ([coop.WithErrorHandler]). `coop run` prints it on
// standard error as
//
//	coop: mistake-forgotten-error: task "reader" failed: reading 3 "--": strconv.Atoi: parsing "--": invalid syntax
//
// The other tasks go on, and the program's result is main's, nil. The fix
// is to keep the task and await it (`reader.Wait(t)`), or to run it in a
// [coop.TaskGroup], whose failure cancels the group and reaches main. Run
// it with `coop run mistake-forgotten-error --virtual --timestamps`.
package forgottenerror

import (
	"embed"
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board.
func Files() fs.FS { return files }

// Replies are what the sensor answers, one a second: the third is garbled.
var Replies = [...]string{"24", "25", "--", "26"}

// App starts the reader, drops it, and reports every 2 s, three times.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	t.Spawn("reader", func(t *coop.Task) error { return read(t, con) }) // the mistake
	for tick := 1; tick <= 3; tick++ {
		if err := t.Sleep(2 * time.Second); err != nil {
			return err
		}
		con.Println("Main still running, tick", tick)
	}
	return nil
}

// read prints the temperature of each reply, one a second, and fails at
// the first that is not a number.
func read(t *coop.Task, con hw.Console) error {
	for i, reply := range Replies {
		value, err := strconv.Atoi(reply)
		if err != nil {
			return fmt.Errorf("reading %d %q: %w", i+1, reply, err)
		}
		con.Println("Temperature:", value, "C")
		if err := t.Sleep(time.Second); err != nil {
			return err
		}
	}
	return nil
}
