// Package dashboard is the task dashboard of the uasyncio course: three
// tasks share the Pico 2 W's loop, one blinking the built-in LED every
// 200 ms, one printing the uptime every second, one watching a button on
// GP14 and reporting each press, and no press, however long, disturbs the
// blinking.
//
// It is the Mini Challenge of seed 000 (§11 "Task Dashboard"), its starter
// code task for task:
//
//	async def blink_task():
//	    while True:
//	        led.on();  await asyncio.sleep(0.2)
//	        led.off(); await asyncio.sleep(0.2)
//
//	async def uptime_task():
//	    seconds = 0
//	    while True:
//	        print("Uptime:", seconds, "s"); seconds += 1
//	        await asyncio.sleep(1)
//
//	async def button_task():
//	    while True:
//	        if button.value() == 0:
//	            print("Button pressed")
//	            while button.value() == 0:
//	                await asyncio.sleep(0.05)
//	        await asyncio.sleep(0.05)
//
// The button task polls: it reads the pin every 50 ms, so a press is seen
// at the next poll, and a press held down is waited out in the same
// rhythm, one report per press. Polling every 50 ms also rides over the
// few milliseconds the contacts bounce; package debounce shows what
// happens when a button is read faster.
//
// # Files
//
// diagram.json wires a push button from GP14 to GND, read with the
// internal pull-up (Pin(14, Pin.IN, Pin.PULL_UP)). scenario.yaml presses
// it at 1.32 s and 4.62 s and holds it from 7.02 s to 9.02 s, checking
// that each press is reported within 100 ms and that the LED blinks on
// through the hold; the run ends at 10 s. So `coop run dashboard` shows
// the course's example output, with times:
//
//	[   0.000s] Uptime: 0 s
//	[   1.000s] Uptime: 1 s
//	[   1.350s] Button pressed
//	[   2.000s] Uptime: 2 s
//	[   3.000s] Uptime: 3 s
package dashboard

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timings of the starter code.
const (
	Blink = 200 * time.Millisecond // how long the LED stays on, then off
	Poll  = 50 * time.Millisecond  // how often the button task reads the button
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// App runs the three tasks of the dashboard until it is cancelled, then
// turns the LED off. It returns the first error of its tasks.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	button, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con := b.Console()

	blink := t.Spawn("blink", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Set(true)
			if err := t.Sleep(Blink); err != nil {
				return err
			}
			led.Set(false)
			if err := t.Sleep(Blink); err != nil {
				return err
			}
		}
	})
	uptime := t.Spawn("uptime", func(t *coop.Task) error {
		for seconds := 0; ; seconds++ {
			con.Println("Uptime:", seconds, "s")
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
	})
	buttons := t.Spawn("button", func(t *coop.Task) error {
		for {
			if !button.Get() { // pressed: the button pulls GP14 to GND
				con.Println("Button pressed")
				for !button.Get() {
					if err := t.Sleep(Poll); err != nil {
						return err
					}
				}
			}
			if err := t.Sleep(Poll); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, blink, uptime, buttons)
}
