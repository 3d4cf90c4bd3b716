// Package railroadtimers is the book's railroad lights with periodic
// scheduling: each LED is toggled by the callback of its own hardware
// timer, in interrupt context, while the main loop only reports how long
// the program has been running.
//
// It is "Building a task manager using periodic scheduling" of the chapter
// "Managing Real-Time Tasks" of MicroPython Projects (seed 002):
//
//	import micropython  # For emergency exception buffer
//	import pyb
//	import time
//
//	micropython.alloc_emergency_exception_buf(100)
//
//	LED_YELLOW = 3
//	LED_BLUE = 4
//
//	def task1(timer):
//	    pyb.LED(LED_BLUE).toggle()
//
//	def task2(timer):
//	    pyb.LED(LED_YELLOW).toggle()
//
//	pyb.LED(LED_BLUE).on()
//	pyb.LED(LED_YELLOW).off()
//
//	TimerBlueLed = pyb.Timer(1)
//	TimerBlueLed.init(period=150)  # the book: freq=5
//	TimerBlueLed.callback(task1)
//	print("Task 1 - Blue LED Toggle initialized ...")
//
//	TimerYellowLed = pyb.Timer(2)
//	TimerYellowLed.init(period=150)
//	TimerYellowLed.callback(task2)
//	print("Task 2 - Yellow LED Toggle initialized ...")
//
//	TimeStart = time.ticks_ms()
//	while True:
//	    time.sleep_ms(5000)
//	    SecondsLive = time.ticks_diff(time.ticks_ms(), TimeStart) / 1000
//	    print("Executing for ", SecondsLive, " seconds")
//
// The book's listing runs its timers at 5 Hz and toggles the green LED,
// the one its pyboard series-D has; this program keeps the railroad of the
// rest of the chapter, blue and yellow every 150 ms, so that the four
// versions can be compared toggle for toggle, and its second line says
// "Yellow". The first ticks come one period after the timers start: blue
// stays on and yellow off for the first 150 ms.
//
// The callbacks run under an [rt.Foreground], which keeps MicroPython's
// ISR rules: a failing callback disables its timer and its error, kept in
// the emergency buffer, is printed on the console. On a pyboard the timers
// would keep running after the program is stopped, until deinit; here they
// are stopped when the program ends. The main loop prints as Python does:
// print separates its arguments with a space, hence the double spaces, and
// SecondsLive is a float. Run it with
// `coop run railroad-timers --virtual --timestamps --for 11s`.
package railroadtimers

import (
	"embed"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
)

// The pyboard's LEDs and timers the railroad uses, the time between
// toggles, and how often the main loop reports.
const (
	Blue        = "LED(4)"
	Yellow      = "LED(3)"
	BlueTimer   = 1
	YellowTimer = 2
	Period      = 150 * time.Millisecond
	Report      = 5 * time.Second
)

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare pyboard.
func Files() fs.FS { return files }

// App starts the two timers and reports the uptime until it is cancelled;
// then it stops the timers.
func App(t *coop.Task, b hw.Board) error {
	blue, err := b.Output(Blue)
	if err != nil {
		return err
	}
	yellow, err := b.Output(Yellow)
	if err != nil {
		return err
	}
	tm1, err := hw.OpenTimer(b, BlueTimer)
	if err != nil {
		return err
	}
	tm2, err := hw.OpenTimer(b, YellowTimer)
	if err != nil {
		return err
	}
	con := b.Console()
	fg := rt.NewForeground(t.Loop(), rt.ForegroundConfig{
		OnFault: func(f rt.Fault) { con.Println(f) },
	})
	defer fg.Stop()

	blue.Set(true)
	yellow.Set(false)
	every := hw.TimerConfig{Period: Period}
	if _, err := fg.Every("task1", tm1, every, func(*rt.ISR) error { blue.Toggle(); return nil }); err != nil {
		return err
	}
	con.Println("Task 1 - Blue LED Toggle initialized ...")
	if _, err := fg.Every("task2", tm2, every, func(*rt.ISR) error { yellow.Toggle(); return nil }); err != nil {
		return err
	}
	con.Println("Task 2 - Yellow LED Toggle initialized ...")
	return Uptime(t, con)
}

// Uptime is the main loop of the book's timer and thread programs: every
// Report it prints how long it has been running, in seconds, as
// "Executing for  5.0  seconds". It returns when t is cancelled.
func Uptime(t *coop.Task, con hw.Console) error {
	start := t.Now().Truncate(time.Millisecond) // time.ticks_ms()
	for {
		if err := t.Sleep(Report); err != nil {
			return err
		}
		live := t.Now().Truncate(time.Millisecond) - start
		con.Println("Executing for ", PyFloat(float64(live.Milliseconds())/1000), " seconds")
	}
}

// PyFloat formats f as Python prints a float: the shortest form that reads
// back the same, with ".0" if it is whole (5.0, 5.001).
func PyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}
