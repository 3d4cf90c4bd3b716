// Package buttoncancel stops a task from another task: the built-in LED
// blinks until a button on GP14 is pressed, and the task watching the
// button cancels the blink task, which turns the LED off on its way out.
//
// It is Exercise 2 of seed 000 (§8 "Button-Controlled Task
// Cancellation"):
//
//	async def blink_led():
//	    try:
//	        while True:
//	            led.on();  await asyncio.sleep(0.25)
//	            led.off(); await asyncio.sleep(0.25)
//	    except asyncio.CancelledError:
//	        led.off()
//	        print("Blink task stopped")
//	        raise
//
//	async def monitor_button(blink_task):
//	    while True:
//	        if button.value() == 0:
//	            print("Button pressed, cancelling blink task...")
//	            blink_task.cancel()
//	            return
//	        await asyncio.sleep(0.05)
//
// In Go the CancelledError is coop.ErrCancelled, returned by the sleep the
// blink task is in; the task cleans up and returns it, as the Python
// re-raises. main awaits both tasks and, like the course's
// `except asyncio.CancelledError: pass`, ends normally when the blink task
// ends cancelled.
//
// [App] is the exercise's code; [Toggle] is its task, "first press starts
// blinking, second press stops blinking", which coop runs as the example
// button-toggle (package buttontoggle).
//
// # Files
//
// diagram.json wires a push button from GP14 to GND, read with the
// internal pull-up. scenario.yaml presses it at 2.12 s: the button task
// sees it at its next poll, at 2.15 s, while the LED is lit, and both
// lines come at that instant, the button task's first, then the blink
// task's as it wakes cancelled:
//
//	[   2.150s] Button pressed, cancelling blink task...
//	[   2.150s] Blink task stopped
package buttoncancel

import (
	"embed"
	"errors"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timings of the course's code.
const (
	Half = 250 * time.Millisecond // how long the LED stays on, then off
	Poll = 50 * time.Millisecond  // how often the button is read
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// BlinkLED returns the blink task of the course: it blinks led until it
// is cancelled, then turns led off, prints "Blink task stopped" and
// returns coop.ErrCancelled.
func BlinkLED(led hw.Output, con hw.Console) func(t *coop.Task) error {
	return func(t *coop.Task) error {
		stopped := func(err error) error {
			led.Set(false)
			if errors.Is(err, coop.ErrCancelled) {
				con.Println("Blink task stopped")
			}
			return err
		}
		for {
			led.Set(true)
			if err := t.Sleep(Half); err != nil {
				return stopped(err)
			}
			led.Set(false)
			if err := t.Sleep(Half); err != nil {
				return stopped(err)
			}
		}
	}
}

// App blinks the LED until the button is pressed, then cancels the
// blinking and returns nil. Cancelled itself before that, it cancels both
// of its tasks and returns coop.ErrCancelled once they have finished.
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

	blink := t.Spawn("blink_led", BlinkLED(led, con))
	monitor := t.Spawn("monitor_button", func(t *coop.Task) error {
		for {
			if !button.Get() { // pressed: the button pulls GP14 to GND
				con.Println("Button pressed, cancelling blink task...")
				blink.Cancel()
				return nil
			}
			if err := t.Sleep(Poll); err != nil {
				return err
			}
		}
	})
	// await button_task; await blink_task
	err = coop.Gather(t, monitor, blink)
	if !t.Cancelled() && monitor.Err() == nil && errors.Is(blink.Err(), coop.ErrCancelled) {
		return nil // except asyncio.CancelledError: pass
	}
	return err
}

// Toggle is the exercise's task: the first press starts the blink task,
// the second cancels it, and then Toggle returns nil. It waits for the
// button to be let go after the first press, as the course's dashboard
// does, so that one press is not seen twice:
//
//	async def monitor_button():
//	    blink_task = None
//	    while True:
//	        if button.value() == 0:
//	            if blink_task is None:
//	                print("Button pressed, starting blink task...")
//	                blink_task = asyncio.create_task(blink_led())
//	            else:
//	                print("Button pressed, cancelling blink task...")
//	                blink_task.cancel()
//	                try:
//	                    await blink_task
//	                except asyncio.CancelledError:
//	                    return
//	            while button.value() == 0:
//	                await asyncio.sleep(0.05)
//	        await asyncio.sleep(0.05)
//
// Cancelled itself, Toggle cancels the blink task and returns
// coop.ErrCancelled once it has turned the LED off.
func Toggle(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	button, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con := b.Console()

	var blink *coop.Task
	defer func() {
		if blink != nil && !blink.Done() { // cancelled while blinking
			blink.Cancel()
			t.Shield(func() error { return blink.Wait(t) }) // wait for its cleanup
		}
	}()
	for {
		if !button.Get() {
			if blink == nil {
				con.Println("Button pressed, starting blink task...")
				blink = t.Spawn("blink_led", BlinkLED(led, con))
			} else {
				con.Println("Button pressed, cancelling blink task...")
				blink.Cancel()
				err := blink.Wait(t)
				if errors.Is(err, coop.ErrCancelled) && !t.Cancelled() {
					return nil // except asyncio.CancelledError: return
				}
				return err
			}
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
}
