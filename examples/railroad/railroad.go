// Package railroad is the railroad lights of the book chapter "Managing
// Real-Time Tasks" (MicroPython Projects, seed 002) with the scheduling
// technique chosen when it starts: blue and yellow LEDs of a pyboard
// alternating every 150 ms, written the chapter's ways.
//
//	coop run railroad --technique roundrobin   # railroad-roundrobin
//	coop run railroad --technique timers       # railroad-timers, blue and yellow every 150 ms
//	coop run railroad --technique event        # timer interrupts trigger tasks
//	coop run railroad --technique threads      # railroad-threads (real time only)
//	coop run railroad --technique async        # railroad-async, the default
//	coop run railroad --technique periodic     # tasks on a system tick
//
// Four of them are the book's programs, each in its own package; here
// the round-robin and asyncio ones print a start line first, as the
// chapter's programs do not. The book's timer program toggles the blue and green LEDs at
// 5 Hz; here it runs with the yellow LED every 150 ms, like the others,
// so that the techniques compare toggle for toggle
// ([railroadtimers.Railroad]). The chapter describes the other two without
// a listing: event-driven scheduling, where each timer's interrupt only
// triggers a task ([rt.EventTask]) that toggles the LED, and cooperative
// scheduling on a system tick, two [rt.Periodic] tasks on a drift-free
// grid. Both print a start line; their first toggles come one period
// after the start, as the timers' do.
//
// `coop run railroad --technique all --report --for 10s --virtual` prints
// the chapter's comparison as numbers: phase error, jitter, processor
// share and determinism of every technique ([rt.CompareRailroad]).
package railroad

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	railroadasync "github.com/coopgo/coop/examples/railroad-async"
	railroadroundrobin "github.com/coopgo/coop/examples/railroad-roundrobin"
	railroadthreads "github.com/coopgo/coop/examples/railroad-threads"
	railroadtimers "github.com/coopgo/coop/examples/railroad-timers"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/rt"
)

// The pyboard's LEDs and timers the railroad uses, and the time between
// toggles.
const (
	Blue        = "LED(4)"
	Yellow      = "LED(3)"
	BlueTimer   = 1
	YellowTimer = 2
	Period      = 150 * time.Millisecond
)

// Default is the technique App uses: the chapter's recommendation.
const Default = rt.TechAsync

//go:embed diagram.json
var files embed.FS

// Files holds the program's default wiring, diagram.json: the bare pyboard.
func Files() fs.FS { return files }

// App is the railroad with the [Default] technique, asyncio: the book's
// program after a start line.
func App(t *coop.Task, b hw.Board) error { return asyncio(t, b) }

// AppFor returns the railroad written with technique tech.
func AppFor(tech rt.Technique) (func(t *coop.Task, b hw.Board) error, error) {
	switch tech {
	case rt.TechRoundRobin:
		return roundRobin, nil
	case rt.TechTimers:
		return timers, nil
	case rt.TechEvent:
		return eventDriven, nil
	case rt.TechThreads:
		return railroadthreads.App, nil
	case rt.TechAsync:
		return asyncio, nil
	case rt.TechPeriodic:
		return periodic, nil
	}
	return nil, fmt.Errorf("railroad: no program for technique %v", tech)
}

// roundRobin is the book's round-robin program after a start line.
func roundRobin(t *coop.Task, b hw.Board) error {
	b.Console().Println("railroad lights, round-robin: blue and yellow LEDs alternate every", Period)
	return railroadroundrobin.App(t, b)
}

// asyncio is the book's asyncio program after a start line.
func asyncio(t *coop.Task, b hw.Board) error {
	b.Console().Println("railroad lights, asyncio: blue and yellow LEDs alternate every", Period)
	return railroadasync.App(t, b)
}

// timers is the book's timer program with the yellow LED in place of the
// green one and the railroad's period.
func timers(t *coop.Task, b hw.Board) error {
	return railroadtimers.Railroad(t, b, railroadtimers.Light{Pin: Yellow, Colour: "Yellow"}, hw.TimerConfig{Period: Period})
}

// leds takes the two LEDs and sets them as the book starts them: blue on,
// yellow off.
func leds(b hw.Board) (blue, yellow hw.Output, err error) {
	if blue, err = b.Output(Blue); err != nil {
		return nil, nil, err
	}
	if yellow, err = b.Output(Yellow); err != nil {
		return nil, nil, err
	}
	blue.Set(true)
	yellow.Set(false)
	return blue, yellow, nil
}

// toggler is a task body, or a job, that toggles led.
func toggler(led hw.Output) func(t *coop.Task) error {
	return func(*coop.Task) error { led.Toggle(); return nil }
}

// eventDriven has timers 1 and 2 trigger, every period, a task each that
// toggles its LED: the interrupt handlers stay short, the work runs in
// tasks.
func eventDriven(t *coop.Task, b hw.Board) error {
	blue, yellow, err := leds(b)
	if err != nil {
		return err
	}
	b.Console().Println("railroad lights, event-driven: blue and yellow LEDs alternate every", Period)
	e1 := rt.NewEventTask(t, "task1", toggler(blue))
	e2 := rt.NewEventTask(t, "task2", toggler(yellow))
	every := hw.TimerConfig{Period: Period}
	for _, x := range []struct {
		id int
		e  *rt.EventTask
	}{{BlueTimer, e1}, {YellowTimer, e2}} {
		tm, err := hw.OpenTimer(b, x.id)
		if err != nil {
			return err
		}
		if err := tm.Start(every, x.e.Trigger); err != nil {
			return err
		}
		defer tm.Stop()
	}
	return coop.Gather(t, e1.Task(), e2.Task())
}

// periodic runs two periodic tasks on a drift-free grid, released every
// period.
func periodic(t *coop.Task, b hw.Board) error {
	blue, yellow, err := leds(b)
	if err != nil {
		return err
	}
	b.Console().Println("railroad lights, periodic tasks: blue and yellow LEDs alternate every", Period)
	c := rt.Contract{Period: Period}
	p1 := rt.Periodic(t, "task1", c, toggler(blue))
	p2 := rt.Periodic(t, "task2", c, toggler(yellow))
	return coop.Gather(t, p1.Task(), p2.Task())
}
