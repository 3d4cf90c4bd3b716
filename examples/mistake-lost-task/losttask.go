// Package losttask makes the Go form of a classic asyncio mistake: a task
// started without keeping it, that must be managed later. The blinker is
// started and dropped; when main wants to stop it there is nothing to
// cancel, so the LED it turns off is turned on again.
//
// It is "Creating tasks without keeping a reference when they must be
// managed later" of the "Common mistakes" of seed 000 (§10):
//
//	async def blink():
//	    while True:
//	        led.toggle()
//	        await asyncio.sleep(0.5)
//
//	async def main():
//	    asyncio.create_task(blink())   # the mistake: no reference kept
//	    await asyncio.sleep(2.25)
//	    print("Stopping the blink: LED off")
//	    led.off()                      # blink() turns it on again
//	    await asyncio.sleep(1)
//	    print("Main finished")
//
// In Go the mistake is to drop the *coop.Task that Spawn returns. Nothing
// else refers to the blinker, but it goes on: tasks belong to the loop,
// not to whoever holds them. coop shows it: [coop.Loop.Tasks] lists every
// live task, and main finds the blinker there, sleeping until its next
// toggle. When main returns the loop cancels the blinker with every other
// task. The fix is to keep the task and cancel it (`blink.Cancel()`, then
// `blink.Wait(t)`), as the cancel example does. Run it with
// `coop run mistake-lost-task --virtual --timestamps`.
package losttask

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

// Blink is the time between the blinker's toggles.
const Blink = 500 * time.Millisecond

// App starts the blinker and drops it, turns the LED off at 2.25 s, lists
// the tasks still running, and returns at 3.25 s.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()
	t.Spawn("blink", func(t *coop.Task) error { // the mistake: the task is dropped
		for {
			led.Toggle()
			if err := t.Sleep(Blink); err != nil {
				return err
			}
		}
	})
	if err := t.Sleep(2250 * time.Millisecond); err != nil {
		return err
	}
	con.Println("Stopping the blink: LED off")
	led.Set(false)
	for _, task := range t.Loop().Tasks() {
		if task.Name == "blink" {
			con.Printf("Still running: task %q, %v until %v\n", task.Name, task.State, task.WakeAt)
		}
	}
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	con.Println("Main finished")
	return nil
}
