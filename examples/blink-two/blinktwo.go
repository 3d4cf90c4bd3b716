// Package blinktwo blinks two LEDs at different rates from two asyncio
// tasks, then prints "done": Adafruit's CircuitPython guide (seed 003,
// "Concurrent Tasks", Blinking LEDs with asyncio › Two LEDs).
//
//	async def blink(pin, interval, count):
//	    with digitalio.DigitalInOut(pin) as led:
//	        led.switch_to_output(value=False)
//	        for _ in range(count):
//	            led.value = True
//	            await asyncio.sleep(interval)  # Don't forget the "await"!
//	            led.value = False
//	            await asyncio.sleep(interval)  # Don't forget the "await"!
//
//	async def main():
//	    led1_task = asyncio.create_task(blink(board.D1, 0.25, 10))
//	    led2_task = asyncio.create_task(blink(board.D2, 0.1, 20))
//	    await asyncio.gather(led1_task, led2_task)  # Don't forget "await"!
//	    print("done")
//
// The blink function is the one of blink-one; main starts two tasks
// and gathers both. The LEDs start together at 0 s and keep their own time:
// D1 changes every 0.25 s, D2 every 0.1 s, exactly, however the two
// interleave. D2 finishes its 20 blinks at 4 s, D1 its 10 at 5 s, and
// "done" comes then. Compare blink-manual, the same two LEDs without
// asyncio. Where both LEDs change at the same instant (0 s, 0.5 s, 1 s…),
// D1 changes first: at 0 s its task was created first, and after that its
// sleeps, being longer, start before D2's that end at the same instant, and
// coop fires timers due together in the order they were scheduled.
//
// The default wiring puts a red LED on D1 and a green one on D2 of a Metro
// M4, each through 220 Ω to GND. Run it with `coop run blink-two`.
package blinktwo

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json. The program has
// no scenario: nothing outside it acts.
func Files() fs.FS { return files }

// App runs the two blink tasks, waits for both with Gather and prints
// "done".
func App(t *coop.Task, b hw.Board) error {
	led1 := t.Spawn("blink D1", func(t *coop.Task) error {
		return blink(t, b, "D1", 250*time.Millisecond, 10)
	})
	led2 := t.Spawn("blink D2", func(t *coop.Task) error {
		return blink(t, b, "D2", 100*time.Millisecond, 20)
	})
	if err := coop.Gather(t, led1, led2); err != nil {
		return err
	}
	b.Console().Println("done")
	return nil
}

// blink turns the LED on pin on for interval and off for interval, count
// times. Like the guide's with block, it leaves the LED off when it returns,
// cancelled or not.
func blink(t *coop.Task, b hw.Board, pin string, interval time.Duration, count int) error {
	led, err := b.Output(pin)
	if err != nil {
		return err
	}
	led.Set(false)       // switch_to_output(value=False)
	defer led.Set(false) // the with block's deinit lets the pin go: the LED goes dark
	for range count {
		led.Set(true)
		if err := t.Sleep(interval); err != nil {
			return err
		}
		led.Set(false)
		if err := t.Sleep(interval); err != nil {
			return err
		}
	}
	return nil
}
