// Package blinkone blinks one LED ten times from an asyncio task, then
// prints "done": the first asyncio program of Adafruit's CircuitPython guide
// (seed 003, "Concurrent Tasks", Blinking LEDs with asyncio › One LED).
//
//	async def blink(pin, interval, count):  # Don't forget the async!
//	    with digitalio.DigitalInOut(pin) as led:
//	        led.switch_to_output(value=False)
//	        for _ in range(count):
//	            led.value = True
//	            await asyncio.sleep(interval)  # Don't forget the await!
//	            led.value = False
//	            await asyncio.sleep(interval)  # Don't forget the await!
//
//	async def main():  # Don't forget the async!
//	    led_task = asyncio.create_task(blink(board.D1, 0.25, 10))
//	    await asyncio.gather(led_task)  # Don't forget the await!
//	    print("done")
//
// Every await of the Python is a call that takes the task and returns an
// error: forgetting one is a compile error in Go, not a silent no-op. The
// LED on D1 is on for 0.25 s and off for 0.25 s, ten times; "done" comes at
// 5 s, after the last off period. The default wiring puts a red LED on D1
// of a Metro M4 through 220 Ω to GND. Run it with `coop run blink-one`.
package blinkone

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

// App runs one blink task, waits for it with Gather and prints "done".
func App(t *coop.Task, b hw.Board) error {
	led := t.Spawn("blink D1", func(t *coop.Task) error {
		return blink(t, b, "D1", 250*time.Millisecond, 10)
	})
	if err := coop.Gather(t, led); err != nil {
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
