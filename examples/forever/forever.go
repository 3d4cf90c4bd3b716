// Package forever runs a background task that never ends, a blinker, while
// main goes on with its own work (here: waiting five seconds). When main
// returns, the loop cancels the blinker, which turns the LED off as it
// cleans up.
//
// It is "Pattern 2: Run tasks forever" of seed 000 (§3 Task Scheduling
// Patterns), with the rules of §4 Managing Task Lifetime for infinite
// tasks: they await, and they are cancellable.
//
//	async def blink():
//	    while True:
//	        print("LED ON")
//	        await asyncio.sleep(0.5)
//	        print("LED OFF")
//	        await asyncio.sleep(0.5)
//
//	async def main():
//	    asyncio.create_task(blink())
//	    await asyncio.sleep(5)
//
// The seed's blink only prints; this one also drives the built-in LED, so
// the board shows what the console says. At 5 s main's sleep and blink's
// fall due together and wake in one round, main first (its sleep was
// scheduled first). Main returns and the loop returns with it, as
// MicroPython's asyncio.run does: blink, already woken, never prints an
// eleventh line; it is cancelled in its sleep, and its cleanup turns off
// the LED, which is off already. Run it with
// `coop run forever --virtual --timestamps`.
package forever

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Half is how long the LED stays on, and off.
const Half = 500 * time.Millisecond

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare board,
// whose built-in LED the program blinks.
func Files() fs.FS { return files }

// App starts the blinker, waits five seconds and returns; the loop then
// cancels the blinker. Cancelled earlier, App returns ErrCancelled.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	con := b.Console()
	t.Spawn("blink", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Set(true)
			con.Println("LED ON")
			if err := t.Sleep(Half); err != nil {
				return err
			}
			led.Set(false)
			con.Println("LED OFF")
			if err := t.Sleep(Half); err != nil {
				return err
			}
		}
	})
	return t.Sleep(5 * time.Second)
}
