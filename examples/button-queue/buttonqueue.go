// Package buttonqueue is the program of the Digi-Key video "How to Use
// Asyncio in MicroPython (Raspberry Pi Pico)" (seed 001): a button read in
// one task, an LED blinked in another, and a queue passing messages between
// them. Tap the button and the LED blinks at the pace of your taps.
//
// The main task waits for a press, measures the time since the previous one,
// prints it in milliseconds and puts it, capped at 2 s, into a
// [coop.Queue]; the blink task takes a new delay from the queue whenever
// there is one and toggles the LED at that delay:
//
//	async def blink(q):
//	    delay_ms = 0
//	    while True:
//	        if not q.empty():
//	            delay_ms = await q.get()
//	        led.toggle()
//	        await uasyncio.sleep_ms(delay_ms)
//
//	async def wait_button():                    # polls every 40 ms
//	    btn_prev = btn.value()
//	    while (btn.value() == 1) or (btn.value() == btn_prev):
//	        btn_prev = btn.value()
//	        await uasyncio.sleep(0.04)
//
//	async def main():
//	    q = queue.Queue()
//	    uasyncio.create_task(blink(q))
//	    timestamp = utime.ticks_ms()
//	    while True:
//	        await wait_button()
//	        new_time = utime.ticks_ms()
//	        delay_time = new_time - timestamp
//	        timestamp = new_time
//	        print(delay_time)
//	        delay_time = min(delay_time, 2000)
//	        await q.put(delay_time)
//
// # Differences from the video
//
// The video's Pico drives its LED on pin 25; the Pico 2 W's is "LED". The
// seed does not say which pin the button is on; the default wiring puts it
// on GP14 to GND, the course's button pin, read with the internal pull-up
// as in the video.
//
// Before the first press the video's blink loop sleeps 0 ms: it toggles
// the LED on every pass of the scheduler, so the LED glows dimly and the
// CPU never rests. Here the blink task waits on the queue for the first
// delay instead. A task that only ever yields is always ready, and coop's
// virtual clock, which moves only when every task waits, would stand still.
//
// A press is seen by the 40 ms poll of wait_button, so the times printed
// are multiples of 40 ms between polls, not between the taps themselves:
// taps a quarter of a second apart print 240 or 280. The blink task takes
// at most one new delay per toggle, after its current sleep, as in the
// video.
//
// The default scenario, scenario.yaml, taps three times a second apart,
// four times a quarter second apart, then once after a pause longer than
// 2 s: that one prints the whole pause but blinks at 2 s. Run it with
// `coop run button-queue`.
package buttonqueue

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timings of the video's program.
const (
	// Poll is how often wait_button reads the button.
	Poll = 40 * time.Millisecond
	// MaxDelay caps the delay sent to the blink task.
	MaxDelay = 2 * time.Second
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (a push button
// from GP14 to GND), and its default scenario, scenario.yaml (a pattern of
// taps).
func Files() fs.FS { return files }

// App starts the blink task and then, in its own task as the video's main
// does, measures the time between button presses and sends it to the blink
// task, until it is cancelled.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	btn, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con := b.Console()

	q := coop.NewQueue[time.Duration](0) // queue.Queue(): unbounded
	blinker := t.Spawn("blink", func(t *coop.Task) error { return blink(t, led, q) })
	defer blinker.Cancel()

	timestamp := t.Now()
	for {
		if err := waitButton(t, btn); err != nil {
			return err
		}
		newTime := t.Now()
		delay := newTime - timestamp
		timestamp = newTime
		con.Println(delay.Milliseconds())
		if err := q.Put(t, min(delay, MaxDelay)); err != nil {
			return err
		}
	}
}

// blink toggles led, sleeping between toggles for the latest delay it took
// from q. It takes at most one delay per toggle.
func blink(t *coop.Task, led hw.Output, q *coop.Queue[time.Duration]) error {
	defer led.Set(false)
	var delay time.Duration
	for {
		if delay == 0 {
			// Nothing to blink at yet: wait for the first press rather
			// than spin (see the package comment).
			d, err := q.Get(t)
			if err != nil {
				return err
			}
			delay = d
		} else if d, ok := q.TryGet(); ok { // if not q.empty(): await q.get()
			delay = d
		}
		led.Toggle()
		if err := t.Sleep(delay); err != nil {
			return err
		}
	}
}

// waitButton returns when a poll finds btn pressed (low) after a poll that
// found it released: a press, seen within one Poll.
func waitButton(t *coop.Task, btn hw.Input) error {
	prev := btn.Get()
	for btn.Get() || btn.Get() == prev {
		prev = btn.Get()
		if err := t.Sleep(Poll); err != nil {
			return err
		}
	}
	return nil
}
