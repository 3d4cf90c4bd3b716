// Package intervalbuttonstwo blinks two LEDs, each with its own pair of
// buttons to change its rate: four tasks, two shared values. It is "Control
// Two Blinking LEDs" of Adafruit's CircuitPython guide (seed 004,
// "Communicating Between Tasks"), whose main makes more tasks and keeps
// the rest of the one-LED program (interval-button) as it is:
//
//	async def main():
//	    interval1 = Interval(0.5)
//	    interval2 = Interval(1.0)
//
//	    led1_task = asyncio.create_task(blink(board.D1, interval1))
//	    led2_task = asyncio.create_task(blink(board.D2, interval2))
//	    interval1_task = asyncio.create_task(monitor_interval_buttons(board.D3, board.D4, interval1))
//	    interval2_task = asyncio.create_task(monitor_interval_buttons(board.D5, board.D6, interval2))
//
//	    await asyncio.gather(led1_task, led2_task, interval1_task, interval2_task)
//
// LED 1 on D1 starts at 0.5 s with "slower" on D3 and "faster" on D4;
// LED 2 on D2 starts at 1.0 s with "slower" on D5 and "faster" on D6. Each
// monitor task has its own keypad.Keys and its own [Interval]; both print
// the guide's line, "interval is now …", which does not say which LED.
//
// As in interval-button, the monitor tasks await their keypad's event queue
// rather than poll it with await asyncio.sleep(0) (a task that only yields
// would keep coop's virtual clock from moving), the intervals are exact
// [time.Duration] values printed as CircuitPython prints floats, and no lock
// is needed: code between two awaits runs uninterrupted ("No Race
// Conditions").
//
// The default scenario speeds LED 1 up three times, slows LED 2 once and
// speeds it up three times. Run it with `coop run interval-buttons-two`.
package intervalbuttonstwo

import (
	"embed"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Step is how much a button press changes the interval, and its minimum.
const Step = 100 * time.Millisecond

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (LEDs on D1 and
// D2; buttons "slower1" on D3, "faster1" on D4, "slower2" on D5 and
// "faster2" on D6, to GND), and its default scenario, scenario.yaml.
func Files() fs.FS { return files }

// Interval holds an interval that one task changes and another uses (the
// guide's Interval class): read or write Value.
type Interval struct {
	Value time.Duration
}

// App blinks the LEDs on D1 and D2 and watches their buttons on D3–D6
// until it is cancelled.
func App(t *coop.Task, b hw.Board) error {
	interval1 := &Interval{Value: 500 * time.Millisecond}
	interval2 := &Interval{Value: time.Second}

	led1 := t.Spawn("blink D1", func(t *coop.Task) error {
		return blink(t, b, "D1", interval1)
	})
	led2 := t.Spawn("blink D2", func(t *coop.Task) error {
		return blink(t, b, "D2", interval2)
	})
	buttons1 := t.Spawn("buttons D3 D4", func(t *coop.Task) error {
		return monitorIntervalButtons(t, b, "D3", "D4", interval1)
	})
	buttons2 := t.Spawn("buttons D5 D6", func(t *coop.Task) error {
		return monitorIntervalButtons(t, b, "D5", "D6", interval2)
	})
	return coop.Gather(t, led1, led2, buttons1, buttons2)
}

// monitorIntervalButtons lengthens interval by Step at each press of the
// button on pinSlower and shortens it, to no less than Step, at each press
// of the one on pinFaster, printing the new value.
func monitorIntervalButtons(t *coop.Task, b hw.Board, pinSlower, pinFaster string, interval *Interval) error {
	// Assume buttons are active low.
	keys, err := hw.OpenKeys(b, hw.KeysConfig{
		Pins:             []string{pinSlower, pinFaster},
		ValueWhenPressed: false,
		Pull:             true,
	})
	if err != nil {
		return err
	}
	defer keys.Close()
	con := b.Console()
	for {
		e, err := keys.Events().Wait(t)
		if err != nil {
			return err
		}
		if !e.Pressed {
			continue
		}
		if e.Key == 0 {
			interval.Value += Step // lengthen the interval
		} else {
			interval.Value = max(Step, interval.Value-Step) // shorten it
		}
		con.Println("interval is now", seconds(interval.Value))
	}
}

// blink toggles the LED on pin for ever, sleeping interval.Value between
// changes. It leaves the LED off when cancelled.
func blink(t *coop.Task, b hw.Board, pin string, interval *Interval) error {
	led, err := b.Output(pin)
	if err != nil {
		return err
	}
	led.Set(false)       // switch_to_output()
	defer led.Set(false) // the with block's deinit
	for {
		led.Toggle()
		if err := t.Sleep(interval.Value); err != nil {
			return err
		}
	}
}

// seconds formats d in seconds as Python prints a float: "0.5", "1.0".
func seconds(d time.Duration) string {
	s := strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
