// Package countiointerrupt catches "interrupts" with countio: the board
// counts falling edges of a pin in the background, and a task polls the
// count and prints a message for each batch. It is the countio example of
// Adafruit's CircuitPython guide (seed 004, "Handling Interrupts",
// Handling Interrupts with countio), where a push button on D3 simulates a
// device's interrupt line.
//
//	async def catch_interrupt(pin):
//	    """Print a message when pin goes low."""
//	    with countio.Counter(pin) as interrupt:
//	        while True:
//	            if interrupt.count > 0:
//	                interrupt.count = 0
//	                print("interrupted!")
//	            # Let another task run.
//	            await asyncio.sleep(0)
//
//	async def main():
//	    interrupt_task = asyncio.create_task(catch_interrupt(board.D3))
//	    await asyncio.gather(interrupt_task)
//
// The counting is the hard interrupt; the task that acts on the count later
// is the soft one. The guide warns of a race: an edge could come between
// reading .count and zeroing it. In coop the counter counts in interrupt
// context, which never runs inside a task's step, so between two awaits the
// count cannot change behind the task's back ([hw.Counter]).
//
// # Differences from the guide
//
// The guide's task checks the count and yields with await asyncio.sleep(0),
// as often as the board allows. Here it checks every [Poll], 1 ms: a task
// that only yields is always ready, and coop's virtual clock, which moves
// only when every task waits, would stand still. A line thus comes within
// 1 ms of the edge. hw.Counter has no await for "the count changed", so
// polling it is, as in the guide.
//
// countio.Counter has no pull by default, and neither has the guide's call:
// the device drives its line. The default wiring gives D3 a 10 kΩ pull-up to
// 3.3 V beside the button to GND, as the line of such a device has; without
// it D3 floats and counts noise. The button is wired with "bounce": "0", a
// clean edge as a device gives: a real push button bounces, and countio
// counts every bounce, those of the release included (releasing makes the
// contacts close again for an instant), so one click can print several
// lines. Wire it with "bounce": "1" to see that.
//
// The default scenario clicks at 1 s, holds from 3 s to 5 s, and clicks at
// 7 s: three falling edges, three lines. Run it with
// `coop run countio-interrupt`.
package countiointerrupt

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Poll is how often the task checks the count.
const Poll = time.Millisecond

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (a button from D3
// to GND with a pull-up resistor to 3.3 V), and its default scenario,
// scenario.yaml.
func Files() fs.FS { return files }

// App runs the interrupt task on D3 until it is cancelled.
func App(t *coop.Task, b hw.Board) error {
	interrupt := t.Spawn("catch D3", func(t *coop.Task) error {
		return catchInterrupt(t, b, "D3")
	})
	return coop.Gather(t, interrupt)
}

// catchInterrupt prints "interrupted!" whenever pin has gone low since it
// last looked.
func catchInterrupt(t *coop.Task, b hw.Board, pin string) error {
	// Falling edges, no pull: countio.Counter's defaults.
	interrupt, err := hw.OpenCounter(b, pin, hw.CounterConfig{})
	if err != nil {
		return err
	}
	defer interrupt.Close()
	con := b.Console()
	for {
		if interrupt.Count() > 0 {
			interrupt.Reset()
			con.Println("interrupted!")
		}
		if err := t.Sleep(Poll); err != nil {
			return err
		}
	}
}
