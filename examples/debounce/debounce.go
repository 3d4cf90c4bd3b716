// Package debounce is the task dashboard with a debounced button: the
// button task reads the button every 10 ms, ten times as often as the
// course's, and so sees the contacts bounce, so it only reports a press
// once the button has stayed pressed for 20 ms.
//
// It is the further practice of seed 000 (§14 "Add debouncing logic to
// the button task") on the dashboard of §11 (package dashboard), whose
// button task polls every 50 ms and so happens to step over bounces that
// last a few milliseconds; a faster poll, or an interrupt, sees every one
// of them. The debounced task, in the course's Python:
//
//	async def button_task():
//	    while True:
//	        if button.value() == 0:                # looks pressed
//	            await asyncio.sleep_ms(20)         # let the contacts settle
//	            if button.value() == 0:            # still pressed: a press
//	                print("Button pressed")
//	                while button.value() == 0:
//	                    await asyncio.sleep_ms(10)
//	                await asyncio.sleep_ms(20)     # let the release settle
//	        await asyncio.sleep_ms(10)
//
// To show what it filters out, the program also counts the falling edges
// of GP14 in an interrupt handler (button.irq(trigger=Pin.IRQ_FALLING)),
// and a press whose contacts bounced says how often: "Button pressed
// (bounced once)". With a button that does not bounce the output is the
// dashboard's. [Config] sets the settle time; a negative one turns
// debouncing off, and then one press is reported as several (see the
// tests).
// Package prim's Switch and Pushbutton debounce the same way, by polling
// slower than the contacts bounce.
//
// # Files
//
// diagram.json wires a button from GP14 to GND whose contacts bounce for
// up to 15 ms (coopBounce), read with the internal pull-up. scenario.yaml
// clicks it at 1.32 s and 3.32 s and holds it from 5.02 s to 6.52 s, and
// expects one report per gesture:
//
//	[   1.000s] Uptime: 1 s
//	[   1.340s] Button pressed (bounced once)
//	[   2.000s] Uptime: 2 s
//
// The press at 1.32 s is seen by the poll due at that instant (the
// scenario's step was scheduled first) and reported after the 20 ms
// settle time.
package debounce

import (
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// Timings.
const (
	Blink         = 200 * time.Millisecond // how long the LED stays on, then off
	Poll          = 10 * time.Millisecond  // how often the button task reads the button
	DefaultSettle = 20 * time.Millisecond  // how long a press or release must last
)

// Config configures the debouncing. The zero value is the program as it
// should be written.
type Config struct {
	// Settle is how long the button must read pressed before a press is
	// reported, and how long the task waits after a release before it
	// looks for the next press: longer than the contacts bounce. Zero
	// means DefaultSettle; negative turns debouncing off, to show why it
	// is there.
	Settle time.Duration
}

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json, and its default
// scenario, scenario.yaml.
func Files() fs.FS { return files }

// App is the debounced dashboard: Config{}.App.
func App(t *coop.Task, b hw.Board) error { return Config{}.App(t, b) }

// App runs the dashboard's three tasks, with the button task debounced as
// c says, until it is cancelled; then it turns the LED off. It returns the
// first error of its tasks.
func (c Config) App(t *coop.Task, b hw.Board) error {
	if c.Settle == 0 {
		c.Settle = DefaultSettle
	}
	led, err := b.Output("LED")
	if err != nil {
		return err
	}
	button, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con := b.Console()

	// The interrupt handler only counts, as an ISR should; the button
	// task reads the count between two awaits, where nothing else runs.
	falls := 0
	if err := button.SetInterrupt(hw.EdgeFalling, func(hw.Edge) { falls++ }); err != nil {
		return err
	}
	defer button.SetInterrupt(0, nil)

	blink := t.Spawn("blink", func(t *coop.Task) error {
		defer led.Set(false)
		for {
			led.Set(true)
			if err := t.Sleep(Blink); err != nil {
				return err
			}
			led.Set(false)
			if err := t.Sleep(Blink); err != nil {
				return err
			}
		}
	})
	uptime := t.Spawn("uptime", func(t *coop.Task) error {
		for seconds := 0; ; seconds++ {
			con.Println("Uptime:", seconds, "s")
			if err := t.Sleep(time.Second); err != nil {
				return err
			}
		}
	})
	// settle waits for the contacts to stop bouncing, if debouncing is on.
	settle := func(t *coop.Task) error {
		if c.Settle < 0 {
			return nil
		}
		return t.Sleep(c.Settle)
	}
	buttons := t.Spawn("button", func(t *coop.Task) error {
		for {
			if !button.Get() { // looks pressed
				if err := settle(t); err != nil {
					return err
				}
				if !button.Get() { // still pressed: a press
					con.Println("Button pressed" + bounced(falls-1))
					for !button.Get() {
						if err := t.Sleep(Poll); err != nil {
							return err
						}
					}
					if err := settle(t); err != nil {
						return err
					}
					falls = 0
				}
			}
			if err := t.Sleep(Poll); err != nil {
				return err
			}
		}
	})
	return coop.Gather(t, blink, uptime, buttons)
}

// bounced says how often the contacts bounced: "" for never,
// " (bounced once)", " (bounced twice)", " (bounced 3 times)".
func bounced(n int) string {
	switch {
	case n <= 0:
		return ""
	case n == 1:
		return " (bounced once)"
	case n == 2:
		return " (bounced twice)"
	}
	return fmt.Sprintf(" (bounced %d times)", n)
}
