// Package railroadroundrobin is the book's first railroad lights, round-robin
// scheduling: a super-loop that toggles the blue LED, toggles the yellow
// one, then waits 150 ms, forever, so that the two alternate.
//
// It is "Building a task manager using round-robin scheduling" of the
// chapter "Managing Real-Time Tasks" of MicroPython Projects (seed 002), on
// a pyboard v1.1, whose blue and yellow LEDs are LED(4) and LED(3):
//
//	import pyb
//
//	LED_YELLOW = 3
//	LED_BLUE = 4
//
//	def task1():
//	    pyb.LED(LED_BLUE).toggle()
//
//	def task2():
//	    pyb.LED(LED_YELLOW).toggle()
//
//	# The blue LED will start on, the yellow LED will be off
//	pyb.LED(LED_BLUE).on()
//	pyb.LED(LED_YELLOW).off()
//
//	while True:
//	    task1()      # Run the first task
//	    task2()      # Run the second task
//	    pyb.delay(150)
//
// The loop is an [rt.SuperLoop]. Its first pass runs at once, so the
// initial levels last no time at all: at 0 s blue goes off and yellow on,
// and they swap every 150 ms from there. Like the book's program, it prints
// nothing. Run it with
// `coop run railroad-roundrobin --virtual --timestamps --for 1s`.
package railroadroundrobin

import (
	"embed"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
)

// The pyboard's LEDs the railroad uses, and the time between toggles.
const (
	Blue   = "LED(4)"
	Yellow = "LED(3)"
	Period = 150 * time.Millisecond
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare pyboard,
// whose LEDs are on the board.
func Files() fs.FS { return files }

// App runs the super-loop until it is cancelled, leaving the LEDs as they
// are, as a board does when its program is stopped.
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
	loop := &rt.SuperLoop{
		Funcs: []func(t *coop.Task) error{
			func(*coop.Task) error { blue.Toggle(); return nil },   // task1
			func(*coop.Task) error { yellow.Toggle(); return nil }, // task2
		},
		Delay: Period,
	}
	return loop.Run(t)
}
