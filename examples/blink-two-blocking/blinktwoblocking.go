// Package blinktwoblocking is the program Adafruit's CircuitPython guide
// marks "DOESN'T WORK" (seed 003, "Concurrent Tasks", Blinking LEDs without
// asyncio › Two LEDs): two LEDs meant to blink at the same time, by calling
// a blocking blink twice.
//
//	def main():
//	    blink(board.D1, 0.25, 10)
//	    # DOESN'T WORK
//	    # Second LED blinks only after the first one is finished.
//	    blink(board.D2, 0.1, 20)
//
// blink is the time.sleep version of blink-blocking; its sleeps are
// [coop.Task.Busy], which holds the loop as time.sleep holds the CPU. The
// first call keeps control for its whole 5 s, so D2 starts only at 5 s and
// blinks until 9 s: the trace shows the two LEDs one after the other, never
// together. It prints nothing: the guide's main has no print. blink-manual
// and blink-two are the two ways the guide fixes it.
//
// The default wiring puts a red LED on D1 and a green one on D2 of a Metro
// M4, each through 220 Ω to GND. Run it with `coop run blink-two-blocking`.
package blinktwoblocking

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

// App blinks D1 ten times, then D2 twenty times, blocking the loop all
// along. Being blocked, it cannot be cancelled before it is done.
func App(t *coop.Task, b hw.Board) error {
	if err := blink(t, b, "D1", 250*time.Millisecond, 10); err != nil {
		return err
	}
	// DOESN'T WORK: the second LED blinks only after the first one is
	// finished.
	return blink(t, b, "D2", 100*time.Millisecond, 20)
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
