// Package blinkmanual blinks two LEDs at different rates without asyncio:
// a super-loop that checks the clock again and again and changes each LED
// when its interval has passed. It is the Blinker program of Adafruit's
// CircuitPython guide (seed 003, "Concurrent Tasks", Blinking LEDs without
// asyncio › Two LEDs), which the guide calls its own special-purpose task
// and event loop.
//
//	class Blinker:
//	    def __init__(self, led, interval, count):
//	        self.led = led
//	        self.interval = interval
//	        # Count both on and off.
//	        self.count2 = count * 2
//	        self.last_transition = 0
//
//	    def blink(self):
//	        """Return False when blinking is finished."""
//	        if self.count2 <= 0:
//	            return False
//	        now = time.monotonic()
//	        if now > self.last_transition + self.interval:
//	            self.led.value = not self.led.value
//	            self.last_transition = now
//	            self.count2 -= 1
//	        return True
//
//	def main():
//	    …
//	        blinker1 = Blinker(led1, 0.25, 10)
//	        blinker2 = Blinker(led2, 0.1, 20)
//	        running1 = True
//	        running2 = True
//	        while running1 or running2:
//	            running1 = blinker1.blink()
//	            running2 = blinker2.blink()
//	        print("done")
//
// # A super-loop in one task
//
// The guide's while loop never gives the CPU away: it spins, reading
// time.monotonic() as fast as the board runs. In coop it is a single task
// that reads the loop clock ([coop.Task.Now]) and, at the end of each pass,
// sleeps for [Pass], 1 ms, standing for the time one pass takes. It never
// awaits longer, so it sees the time within a millisecond, and it leaves
// the loop free in between: a task that never awaited would hold the loop
// for good, and on the virtual clock time would never move.
//
// The Blinker changes an LED on the first pass after its interval is over
// (now > last + interval), and counts the next interval from that pass, so
// every change is a pass late and the lateness adds up: D1 changes every
// 251 ms, not 250, D2 every 101 ms, and "done" comes at 5.022 s (the pass
// that finds both finished, and its own 1 ms), where blink-two, with
// asyncio's sleeps, keeps exact time and prints "done" at 5 s. A faster
// pass shrinks the error but never removes it; the sleeping tasks of
// blink-two have none to remove.
//
// The guide starts last_transition at 0, which on a board is long ago:
// time.monotonic() counts from power-up. The loop clock starts at 0 with
// the program, so here each LED first lights one interval and a pass after
// the start, as if it had last changed then.
//
// The default wiring puts a red LED on D1 and a green one on D2 of a Metro
// M4, each through 220 Ω to GND. Run it with `coop run blink-manual`.
package blinkmanual

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Pass is how long one pass of the super-loop takes here: the task sleeps
// this long at the end of each pass (see the package comment).
const Pass = time.Millisecond

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json. The program has
// no scenario: nothing outside it acts.
func Files() fs.FS { return files }

// Blinker blinks an LED a number of times when asked, often, whether it is
// time to change it.
type Blinker struct {
	led            hw.Output
	interval       time.Duration
	count2         int           // changes still to make: on and off both count
	lastTransition time.Duration // loop time of the last change
}

// NewBlinker returns a Blinker that will blink led count times, on for
// interval and off for interval.
func NewBlinker(led hw.Output, interval time.Duration, count int) *Blinker {
	return &Blinker{led: led, interval: interval, count2: count * 2}
}

// Blink changes the LED if more than the interval has passed since its last
// change, now being the loop's time. It returns false when blinking is
// finished.
func (b *Blinker) Blink(now time.Duration) bool {
	if b.count2 <= 0 {
		return false
	}
	if now > b.lastTransition+b.interval {
		b.led.Toggle()
		b.lastTransition = now
		b.count2--
	}
	return true
}

// App runs the super-loop over two Blinkers until both are finished, then
// prints "done". Cancelled, it turns both LEDs off and returns.
func App(t *coop.Task, b hw.Board) error {
	led1, err := b.Output("D1")
	if err != nil {
		return err
	}
	led2, err := b.Output("D2")
	if err != nil {
		return err
	}
	led1.Set(false) // switch_to_output(value=False)
	led2.Set(false)
	defer led1.Set(false) // the with block's deinit
	defer led2.Set(false)

	blinker1 := NewBlinker(led1, 250*time.Millisecond, 10)
	blinker2 := NewBlinker(led2, 100*time.Millisecond, 20)
	running1, running2 := true, true
	for running1 || running2 {
		running1 = blinker1.Blink(t.Now())
		running2 = blinker2.Blink(t.Now())
		if err := t.Sleep(Pass); err != nil {
			return err
		}
	}
	b.Console().Println("done")
	return nil
}
