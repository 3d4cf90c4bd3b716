// Package notawaited makes the Go form of a classic asyncio mistake: work
// started and never awaited. Main starts saving the settings, does not
// wait for the save, and ends; the save is cancelled with it, half done.
//
// It is "Forgetting to await a coroutine" of the "Common mistakes" of
// seed 000 (§10):
//
//	async def save_settings():
//	    for block in range(1, 4):
//	        print("Writing block", block, "of 3")
//	        await asyncio.sleep(0.05)
//	    print("Settings saved")
//
//	async def main():
//	    print("Main: saving the settings")
//	    save_settings()                # the mistake: never awaited
//	    await asyncio.sleep(0.075)
//	    print("Main: done")
//
// In Python the coroutine never runs at all ("coroutine 'save_settings'
// was never awaited"). Go has no coroutine objects: the nearest mistake is
// to start the work as a task and never await it. The save does start,
// once main yields, and writes two blocks; then main returns, and the
// loop cancels every task still running: the third block is never
// written and "Settings saved" never printed. Nothing reports it, since a
// task cancelled at the end of the program has not failed. The fix is to
// await the work (`save.Wait(t)`) before going on. Run it with
// `coop run mistake-not-awaited --virtual --timestamps`.
package notawaited

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

// Blocks is how many blocks the save writes, Write how long each takes.
const (
	Blocks = 3
	Write  = 50 * time.Millisecond
)

// App starts the save, does not await it, and returns at 75 ms.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	con.Println("Main: saving the settings")
	t.Spawn("save", func(t *coop.Task) error { // the mistake: never awaited
		for block := 1; block <= Blocks; block++ {
			con.Println("Writing block", block, "of", Blocks)
			if err := t.Sleep(Write); err != nil {
				return err
			}
		}
		con.Println("Settings saved")
		return nil
	})
	if err := t.Sleep(75 * time.Millisecond); err != nil {
		return err
	}
	con.Println("Main: done")
	return nil
}
