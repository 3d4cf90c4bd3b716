// Package keypadtransitions prints a line at every transition of a pin, as
// keypad, scanning in the background, reports it: the keypad example of
// Adafruit's CircuitPython guide (seed 004, "Handling Interrupts",
// Handling Interrupts with keypad).
//
//	async def catch_pin_transitions(pin):
//	    """Print a message when pin goes low and when it goes high."""
//	    with keypad.Keys((pin,), value_when_pressed=False) as keys:
//	        while True:
//	            event = keys.events.get()
//	            if event:
//	                if event.pressed:
//	                    print("pin went low")
//	                elif event.released:
//	                    print("pin went high")
//	            await asyncio.sleep(0)
//
//	async def main():
//	    interrupt_task = asyncio.create_task(catch_pin_transitions(board.D3))
//	    await asyncio.gather(interrupt_task)
//
// keypad uses no hardware interrupt: it reads the pin every 20 ms, so a
// transition is reported at the first scan after it. The default wiring's
// button bounces for a few milliseconds, as a real one does; a scan at most
// lands once in the bounce, so one press is one event.
//
// # Differences from the guide
//
// The guide's loop polls keys.events.get() and yields with await
// asyncio.sleep(0) on every pass. Here the task awaits the event queue
// ([hw.KeyQueue.Wait]), the same loop folded into one await: it wakes at the
// scan that queued the event, when the polling loop would have seen it. A
// task that only yields is always ready, and coop's virtual clock, which
// moves only when every task waits, would stand still.
//
// The guide's keypad.Keys has no pull=True: the pin must be pulled up
// outside the board, or it floats and reports noise. The default wiring has
// that 10 kΩ pull-up from D3 to 3.3 V, beside the button to GND.
//
// The default scenario clicks at 1.01 s, holds from 3.01 s to 5.01 s, and
// clicks at 7.01 s, each time 10 ms after a scan: every line comes 10 ms
// after its transition, at the next scan. Run it with
// `coop run keypad-transitions`.
package keypadtransitions

import (
	"embed"
	"io/fs"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (a button from D3
// to GND with a pull-up resistor to 3.3 V), and its default scenario,
// scenario.yaml.
func Files() fs.FS { return files }

// App runs the transition task on D3 until it is cancelled.
func App(t *coop.Task, b hw.Board) error {
	interrupt := t.Spawn("catch D3", func(t *coop.Task) error {
		return catchPinTransitions(t, b, "D3")
	})
	return coop.Gather(t, interrupt)
}

// catchPinTransitions prints "pin went low" when pin goes low and "pin went
// high" when it goes high, as keypad sees it.
func catchPinTransitions(t *coop.Task, b hw.Board, pin string) error {
	keys, err := hw.OpenKeys(b, hw.KeysConfig{Pins: []string{pin}, ValueWhenPressed: false})
	if err != nil {
		return err
	}
	defer keys.Close()
	con := b.Console()
	for {
		e, err := keys.Events().Wait(t)
		if err != nil {
			return err
		}
		if e.Pressed {
			con.Println("pin went low")
		} else if e.Released() {
			con.Println("pin went high")
		}
	}
}
