// Package intervalbutton blinks an LED while two buttons change how fast:
// two tasks that share one value and otherwise know nothing of each other.
// It is "Control One Blinking LED" of Adafruit's CircuitPython guide (seed
// 004, "Communicating Between Tasks").
//
//	class Interval:
//	    """Simple class to hold an interval value. Use .value to to read or write."""
//	    def __init__(self, initial_interval):
//	        self.value = initial_interval
//
//	async def monitor_interval_buttons(pin_slower, pin_faster, interval):
//	    # Assume buttons are active low.
//	    with keypad.Keys(
//	        (pin_slower, pin_faster), value_when_pressed=False, pull=True
//	    ) as keys:
//	        while True:
//	            key_event = keys.events.get()
//	            if key_event and key_event.pressed:
//	                if key_event.key_number == 0:
//	                    # Lengthen the interval.
//	                    interval.value += 0.1
//	                else:
//	                    # Shorten the interval.
//	                    interval.value = max(0.1, interval.value - 0.1)
//	                print("interval is now", interval.value)
//	            # Let another task run.
//	            await asyncio.sleep(0)
//
//	async def blink(pin, interval):
//	    with digitalio.DigitalInOut(pin) as led:
//	        led.switch_to_output()
//	        while True:
//	            led.value = not led.value
//	            await asyncio.sleep(interval.value)
//
//	async def main():
//	    # Start blinking 0.5 sec on, 0.5 sec off.
//	    interval = Interval(0.5)
//	    led_task = asyncio.create_task(blink(board.D1, interval))
//	    interval_task = asyncio.create_task(monitor_interval_buttons(board.D3, board.D4, interval))
//	    # This will run forever, because neither task ever exits.
//	    await asyncio.gather(led_task, interval_task)
//
// The shared [Interval] needs no lock: code between two awaits runs
// without interruption, so each task sees it whole (the guide's "No Race
// Conditions"). The LED picks up a new interval at its next sleep.
//
// # Differences from the guide
//
// The guide's monitor loop polls keys.events.get() and yields with await
// asyncio.sleep(0) on every pass. Here the task awaits the event queue
// ([hw.KeyQueue.Wait]): the same loop folded into one await, waking at the
// very scan that queued the event, as the polling loop would have seen it,
// without spinning in between. A task that only yields is always ready, and
// coop's virtual clock, which moves only when every task waits, would stand
// still.
//
// The interval is a [time.Duration], so steps of 0.1 s add up exactly; it
// prints as CircuitPython prints the float: "interval is now 0.4", "1.0".
//
// keypad scans every 20 ms, so a press shows at the first scan at or after
// the moment the contacts close; the default scenario's clicks fall on
// scans. It clicks "faster" (D4) five times, down to 0.1 s and once more
// against that floor, then "slower" (D3) twice. Run it with
// `coop run interval-button`.
package intervalbutton

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

// Files holds the program's default wiring, diagram.json (an LED on D1,
// buttons "slower" on D3 and "faster" on D4 to GND), and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// Interval holds an interval that one task changes and another uses (the
// guide's Interval class): read or write Value.
type Interval struct {
	Value time.Duration
}

// App blinks the LED on D1 and watches the buttons on D3 and D4 until it
// is cancelled.
func App(t *coop.Task, b hw.Board) error {
	// Start blinking 0.5 sec on, 0.5 sec off.
	interval := &Interval{Value: 500 * time.Millisecond}
	led := t.Spawn("blink D1", func(t *coop.Task) error {
		return blink(t, b, "D1", interval)
	})
	buttons := t.Spawn("buttons D3 D4", func(t *coop.Task) error {
		return monitorIntervalButtons(t, b, "D3", "D4", interval)
	})
	// This runs until cancelled: neither task ever exits.
	return coop.Gather(t, led, buttons)
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
