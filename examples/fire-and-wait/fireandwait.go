// Package fireandwait starts a background job, does other work meanwhile,
// and only then awaits the job: the job's two seconds and main's one
// overlap, so everything is done after two seconds, not three.
//
// It is "Pattern 1: Fire-and-wait" of seed 000 (§3 Task Scheduling
// Patterns):
//
//	async def background_job():
//	    await asyncio.sleep(2)
//	    print("Background job done")
//
//	async def main():
//	    job = asyncio.create_task(background_job())
//	    print("Doing other work...")
//	    await asyncio.sleep(1)
//	    print("Waiting for job...")
//	    await job
//	    print("All done")
//
// The program uses no pin: its wiring is the bare board. Run it with
// `coop run fire-and-wait --virtual --timestamps`.
package fireandwait

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

// App starts the job, works for a second, awaits the job and returns.
func App(t *coop.Task, b hw.Board) error {
	con := b.Console()
	job := t.Spawn("background_job", func(t *coop.Task) error {
		if err := t.Sleep(2 * time.Second); err != nil {
			return err
		}
		con.Println("Background job done")
		return nil
	})
	con.Println("Doing other work...")
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	con.Println("Waiting for job...")
	if err := job.Wait(t); err != nil {
		return err
	}
	con.Println("All done")
	return nil
}
