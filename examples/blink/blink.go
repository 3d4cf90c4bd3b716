// Package blink is the smallest coop program with something to watch: the
// Pico 2 W's built-in LED and a red LED on GP15 blink in turn, and the
// uptime is printed every second, by two tasks that share the loop.
//
// It is Exercise 1 of the course session in seed 000 ("Concurrent LED
// Blinker and Status Reporter", §7), with the external LED the exercise
// wires to GP15 and the uptime line of its task dashboard (§11):
//
//	async def blink_led():
//	    while True:
//	        led.on();  print("LED ON");  await asyncio.sleep(0.5)
//	        led.off(); print("LED OFF"); await asyncio.sleep(0.5)
//
// The default wiring, diagram.json, puts the LED on GP15 through a 220 Ω
// resistor to GND. Run it with `coop run blink`.
package blink

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Half is how long each LED stays on.
const Half = 500 * time.Millisecond

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json, in Wokwi's
// format. The program has no default scenario: nothing outside it acts.
func Files() fs.FS { return files }

// App blinks the LEDs and reports the uptime until it is cancelled, then
// turns both LEDs off. It returns the first error of its tasks.
func App(t *coop.Task, b hw.Board) error {
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	ext, err := b.Output("GP15")
	if err != nil {
		return err
	}
	con := b.Console()

	blink := t.Spawn("blink", func(t *coop.Task) error {
		defer led.Set(false)
		defer ext.Set(false)
		for {
			led.Set(true)
			ext.Set(false)
			con.Println("LED ON")
			if err := t.Sleep(Half); err != nil {
				return err
			}
			led.Set(false)
			ext.Set(true)
			con.Println("LED OFF")
			if err := t.Sleep(Half); err != nil {
				return err
			}
		}
	})
	uptime := t.Spawn("uptime", func(t *coop.Task) error {
		for s := 0; ; s++ {
			con.Println("Uptime:", s, "s")
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, blink, uptime)
}
