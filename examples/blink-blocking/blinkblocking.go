// Package blinkblocking blinks one LED ten times without asyncio, with
// time.sleep, then prints "done": the first program of Adafruit's
// CircuitPython guide (seed 003, "Concurrent Tasks", Blinking LEDs without
// asyncio › One LED).
//
//	def blink(pin, interval, count):
//	    with digitalio.DigitalInOut(pin) as led:
//	        led.switch_to_output(value=False)
//	        for _ in range(count):
//	            led.value = True
//	            time.sleep(interval)
//	            led.value = False
//	            time.sleep(interval)
//
//	def main():
//	    blink(board.D1, 0.25, 10)
//	    print("done")
//
// time.sleep blocks: nothing else runs while it waits. In coop that is
// [coop.Task.Busy], which holds the loop for the time given, as a blocking
// call does on a board (on the real clock coop's blocking detector names
// the task each time). With one LED and nothing else to do it makes no
// difference: the LED and "done" come at the same times as in blink-one.
// blink-two-blocking shows what it costs.
//
// The default wiring puts a red LED on D1 of a Metro M4 through 220 Ω to
// GND. Run it with `coop run blink-blocking`.
package blinkblocking

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

// App blinks the LED on D1, blocking the loop all along, and prints "done".
// Being blocked, it cannot be cancelled before it is done.
func App(t *coop.Task, b hw.Board) error {
	if err := blink(t, b, "D1", 250*time.Millisecond, 10); err != nil {
		return err
	}
	b.Console().Println("done")
	return nil
}

// blink turns the LED on pin on for interval and off for interval, count
// times, holding the loop throughout, and leaves it off.
func blink(t *coop.Task, b hw.Board, pin string, interval time.Duration, count int) error {
	led, err := b.Output(pin)
	if err != nil {
		return err
	}
	led.Set(false)       // switch_to_output(value=False)
	defer led.Set(false) // the with block's deinit
	for range count {
		led.Set(true)
		t.Busy(interval) // time.sleep(interval)
		led.Set(false)
		t.Busy(interval)
	}
	return nil
}
