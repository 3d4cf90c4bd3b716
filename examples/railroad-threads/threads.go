// Package railroadthreads is the book's railroad lights with threads: each
// LED is toggled by its own preemptive thread, which sleeps 150 ms between
// toggles, while the main loop reports how long the program has been
// running.
//
// It is "Building a task manager using threads" of the chapter "Managing
// Real-Time Tasks" of MicroPython Projects (seed 002):
//
//	import micropython
//	import pyb
//	import time
//	import _thread
//
//	micropython.alloc_emergency_exception_buf(100)
//
//	LED_YELLOW = 3
//	LED_BLUE = 4
//
//	def task1():
//	    while True:
//	        pyb.LED(LED_BLUE).toggle()
//	        time.sleep_ms(150)
//
//	def task2():
//	    while True:
//	        pyb.LED(LED_YELLOW).toggle()
//	        time.sleep_ms(150)
//
//	pyb.LED(LED_BLUE).on()
//	pyb.LED(LED_YELLOW).off()
//
//	_thread.start_new_thread(task1, ())
//	_thread.start_new_thread(task2, ())
//
//	TimeStart = time.ticks_ms()
//	while True:
//	    time.sleep_ms(5000)
//	    SecondsLive = time.ticks_diff(time.ticks_ms(), TimeStart) / 1000
//	    print("Executing for ", SecondsLive, " seconds")
//
// The threads are [rt.Threads]: goroutines that the Go runtime schedules
// as it sees fit, in real time, handing each toggle to the loop. So this
// program needs the real clock (`coop run` without --virtual; on a
// virtual loop App returns [rt.ErrRealClock]), and no two runs toggle at
// the same instants: the book's question, how long before the LEDs stop
// alternating, is what `coop run railroad --technique threads --report`
// measures. When the program is stopped the threads are stopped and
// waited for.
package railroadthreads

import (
	"embed"
	"errors"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	railroadtimers "github.com/coopgo/coop/examples/railroad-timers"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
)

// The pyboard's LEDs the railroad uses, and the time each thread sleeps
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

// App starts the two threads and reports the uptime until it is
// cancelled; then it stops the threads and waits for them. On a loop on
// the virtual clock it returns rt.ErrRealClock at once.
func App(t *coop.Task, b hw.Board) (err error) {
	blue, err := b.Output(Blue)
	if err != nil {
		return err
	}
	yellow, err := b.Output(Yellow)
	if err != nil {
		return err
	}
	th, err := rt.NewThreads(t.Loop())
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, th.Stop(t)) }()

	blue.Set(true)
	yellow.Set(false)
	toggle := func(led hw.Output) func(th *rt.Thread) error {
		return func(th *rt.Thread) error {
			for {
				th.Post(led.Toggle)
				if err := th.Sleep(Period); err != nil {
					return err
				}
			}
		}
	}
	th.Go("task1", toggle(blue))
	th.Go("task2", toggle(yellow))
	return railroadtimers.Uptime(t, b.Console())
}
