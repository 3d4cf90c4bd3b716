// Package railroadasync is the book's railroad lights with asyncio, the
// chapter's last and recommended version: two tasks that toggle their LED,
// then await a 150 ms sleep, on one event loop.
//
// It is "A cooperative multitasking blinky LED example" of the chapter
// "Managing Real-Time Tasks" of MicroPython Projects (seed 002):
//
//	import pyb
//	import uasyncio as asyncio
//
//	LED_YELLOW = 3
//	LED_BLUE = 4
//
//	async def task1():
//	    while True:
//	        pyb.LED(LED_BLUE).toggle()
//	        await asyncio.sleep_ms(150)
//
//	async def task2():
//	    while True:
//	        pyb.LED(LED_YELLOW).toggle()
//	        await asyncio.sleep_ms(150)
//
//	pyb.LED(LED_BLUE).on()
//	pyb.LED(LED_YELLOW).off()
//
//	loop = asyncio.get_event_loop()
//	loop.create_task(task1())
//	loop.create_task(task2())
//	loop.run_forever()
//
// The tasks first run at once, task1 then task2, so at 0 s blue goes off
// and yellow on; both sleeps are due together every 150 ms and wake in the
// order they were scheduled. Like the book's program, it prints nothing.
// Run it with
// `coop run railroad-async --virtual --timestamps --for 1s`.
package railroadasync

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// The pyboard's LEDs the railroad uses, and the time each task sleeps
// between toggles.
const (
	Blue   = "LED(4)"
	Yellow = "LED(3)"
	Period = 150 * time.Millisecond
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare pyboard.
func Files() fs.FS { return files }

// App runs the two tasks until it is cancelled (loop.run_forever()).
func App(t *coop.Task, b hw.Board) error {
	blue, err := b.Output(Blue)
	if err != nil {
		return err
	}
	yellow, err := b.Output(Yellow)
	if err != nil {
		return err
	}
	blue.Set(true)
	yellow.Set(false)
	toggle := func(led hw.Output) func(t *coop.Task) error {
		return func(t *coop.Task) error {
			for {
				led.Toggle()
				if err := t.Sleep(Period); err != nil { // await asyncio.sleep_ms(150)
					return err
				}
			}
		}
	}
	task1 := t.Spawn("task1", toggle(blue))
	task2 := t.Spawn("task2", toggle(yellow))
	return coop.Gather(t, task1, task2)
}
