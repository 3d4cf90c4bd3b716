// Package railroadtimers is the book's railroad lights with periodic
// scheduling: each LED is toggled by the callback of its own hardware
// timer, in interrupt context, while the main loop only reports how long
// the program has been running.
//
// It is "Building a task manager using periodic scheduling" of the chapter
// "Managing Real-Time Tasks" of MicroPython Projects (seed 002), with the
// blue and green LEDs at 5 Hz, as the book has it:
//
//	import micropython  # For emergency exception buffer
//	import pyb
//	import time
//
//	micropython.alloc_emergency_exception_buf(100)
//
//	LED_GREEN = 2
//	LED_BLUE = 4
//
//	def task1(timer):
//	    pyb.LED(LED_BLUE).toggle()
//
//	def task2(timer):
//	    pyb.LED(LED_GREEN).toggle()
//
//	pyb.LED(LED_BLUE).on()
//	pyb.LED(LED_GREEN).off()
//
//	# Create task timer for Blue LED
//	TimerBlueLed = pyb.Timer(1)
//	TimerBlueLed.init(freq=5)
//	TimerBlueLed.callback(task1)
//	print("Task 1 - Blue LED Toggle initialized ...")
//
//	# Create task timer for Green LED
//	TimerGreenLed = pyb.Timer(2)
//	TimerGreenLed.init(freq=5)
//	TimerGreenLed.callback(task2)
//	print("Task 2 - Green LED Toggle initialized ...")
//
//	TimeStart = time.ticks_ms()
//	while True:
//	    time.sleep_ms(5000)
//	    SecondsLive = time.ticks_diff(time.ticks_ms(), TimeStart) / 1000
//	    print("Executing for ", SecondsLive, " seconds")
//
// The scraped chapter lost the bodies of the tasks, the timers' init and
// callback lines and the main loop's delay; they are rebuilt from its
// prose ("a frequency of 5 Hz (period of 200 milliseconds)", "we will put
// a sleep delay in the main loop"). The first ticks come one period after
// the timers start: blue stays on and green off for the first 200 ms, then
// they swap every 200 ms.
//
// The callbacks run under an [rt.Foreground], which keeps MicroPython's
// ISR rules: a failing callback disables its timer and its error, kept in
// the emergency buffer, is printed on the console. On a pyboard the timers
// would keep running after the program is stopped, until deinit; here they
// are stopped when the program ends. The main loop prints as Python does:
// print separates its arguments with a space, hence the double spaces, and
// SecondsLive is a float. Run it with
// `coop run railroad-timers --virtual --timestamps --for 11s`.
//
// [Railroad] is the same program with another second LED and period:
// `coop run railroad --technique timers` runs it with the yellow LED every
// 150 ms, the railroad of the rest of the chapter, to compare the
// techniques toggle for toggle.
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

// The pyboard's LEDs and timers the book's program uses, the timers'
// frequency and period, and how often the main loop reports.
const (
	Blue       = "LED(4)"
	Green      = "LED(2)"
	BlueTimer  = 1
	GreenTimer = 2
	Freq       = 5 // Hz
	Period     = time.Second / Freq
	Report     = 5 * time.Second
)

// Light is an LED of the railroad: its pin, and its colour as the start
// lines name it ("Green").
type Light struct {
	Pin, Colour string
}

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare pyboard.
func Files() fs.FS { return files }

// App is the book's program: the blue and green LEDs toggled at 5 Hz by
// timers 1 and 2, and the uptime reported until it is cancelled; then it
// stops the timers.
func App(t *coop.Task, b hw.Board) error {
	return Railroad(t, b, Light{Green, "Green"}, hw.TimerConfig{Freq: Freq})
}

// Railroad is the book's program with second as the LED timer 2 toggles
// and every as both timers' setting: blue (timer 1) starts on, second
// off. It reports the uptime until t is cancelled, then stops the timers.
func Railroad(t *coop.Task, b hw.Board, second Light, every hw.TimerConfig) error {
	blue, err := b.Output(Blue)
	if err != nil {
		return err
	}
	other, err := b.Output(second.Pin)
	if err != nil {
		return err
	}
	tm1, err := hw.OpenTimer(b, BlueTimer)
	if err != nil {
		return err
	}
	tm2, err := hw.OpenTimer(b, GreenTimer)
	if err != nil {
		return err
	}
	con := b.Console()
	fg := rt.NewForeground(t.Loop(), rt.ForegroundConfig{
		OnFault: func(f rt.Fault) { con.Println(f) },
	})
	defer fg.Stop()

	blue.Set(true)
	other.Set(false)
	if _, err := fg.Every("task1", tm1, every, func(*rt.ISR) error { blue.Toggle(); return nil }); err != nil {
		return err
	}
	con.Println("Task 1 - Blue LED Toggle initialized ...")
	if _, err := fg.Every("task2", tm2, every, func(*rt.ISR) error { other.Toggle(); return nil }); err != nil {
		return err
	}
	con.Println("Task 2 - " + second.Colour + " LED Toggle initialized ...")
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
