// Package blinkstatus is the first exercise of the uasyncio course: two
// tasks share the loop, one blinking an LED and saying so, one printing a
// status line with a tick count, and their lines interleave.
//
// It is Exercise 1 of seed 000 (§7 "Concurrent LED Blinker and Status
// Reporter"):
//
//	async def blink_led():
//	    while True:
//	        led.on();  print("LED ON");  await asyncio.sleep(0.5)
//	        led.off(); print("LED OFF"); await asyncio.sleep(0.5)
//
//	async def status_reporter():
//	    count = 0
//	    while True:
//	        print("System running... tick =", count); count += 1
//	        await asyncio.sleep(1)
//
// The exercise's task, "change the blink interval to 200 ms and the status
// interval to 2 seconds", is a [Config]: [App] runs the code as printed,
// [Exercise].App the changed one, which coop runs as the example
// blink-status-fast (coop run takes no per-program flags, so each variant
// is an example of its own; see package blinkstatusfast).
//
// # Order
//
// The course's expected output puts "LED ON" before "System running...
// tick = 1". MicroPython itself does not: run on its unix port, the
// course's program prints the tick first, on every run (5 of 5), as coop
// does. Both tasks are due at 1 s, and the rule for ties is the same in
// both: a task due at the same instant as another wakes after it if its
// sleep began later (coop's timers are first in, first out at equal
// deadlines; MicroPython's deadline for the later sleep is computed later,
// so it is never earlier). The reporter's 1 s sleep began at 0 s, the
// blinker's second 0.5 s sleep at 0.5 s, so at 1 s the tick comes first:
//
//	0s   LED ON
//	0s   System running... tick = 0
//	0.5s LED OFF
//	1s   System running... tick = 1
//	1s   LED ON
//
// On a Pico the blinker's deadline lies later still, by the time its
// wake-up at 0.5 s took; coop's order is the same on every run.
//
// # Wiring
//
// The program blinks the built-in LED, as the course's code does, and an
// external LED on GP15 with it, the course's alternative: diagram.json
// wires that one through a 220 Ω resistor to GND.
package blinkstatus

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Default timings, the course's code.
const (
	DefaultBlink  = 500 * time.Millisecond
	DefaultStatus = time.Second
)

// Config sets the two intervals of the program. The zero value is the
// course's code.
type Config struct {
	Blink  time.Duration // how long the LED stays on, then off; zero means DefaultBlink
	Status time.Duration // time between status lines; zero means DefaultStatus
}

// Exercise is the exercise's task: blink every 200 ms, report every 2 s.
var Exercise = Config{Blink: 200 * time.Millisecond, Status: 2 * time.Second}

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json. The program has
// no default scenario: nothing outside it acts.
func Files() fs.FS { return files }

// App is the course's code: Config{}.App.
func App(t *coop.Task, b hw.Board) error { return Config{}.App(t, b) }

// App blinks and reports until it is cancelled, then turns the LEDs off.
// It returns the first error of its tasks.
func (c Config) App(t *coop.Task, b hw.Board) error {
	if c.Blink <= 0 {
		c.Blink = DefaultBlink
	}
	if c.Status <= 0 {
		c.Status = DefaultStatus
	}
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	ext, err := b.Output("GP15")
	if err != nil {
		return err
	}
	set := func(on bool) {
		led.Set(on)
		ext.Set(on)
	}
	con := b.Console()

	blink := t.Spawn("blink_led", func(t *coop.Task) error {
		defer set(false)
		for {
			set(true)
			con.Println("LED ON")
			if err := t.Sleep(c.Blink); err != nil {
				return err
			}
			set(false)
			con.Println("LED OFF")
			if err := t.Sleep(c.Blink); err != nil {
				return err
			}
		}
	})
	status := t.Spawn("status_reporter", func(t *coop.Task) error {
		for count := 0; ; count++ {
			con.Println("System running... tick =", count)
			if err := t.Sleep(c.Status); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, blink, status)
}
