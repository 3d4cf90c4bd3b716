package examples

import (
	blinkblocking "github.com/coopgo/coop/examples/blink-blocking"
	blinkmanual "github.com/coopgo/coop/examples/blink-manual"
	blinkone "github.com/coopgo/coop/examples/blink-one"
	blinktwo "github.com/coopgo/coop/examples/blink-two"
	blinktwoblocking "github.com/coopgo/coop/examples/blink-two-blocking"
	countiointerrupt "github.com/coopgo/coop/examples/countio-interrupt"
	intervalbutton "github.com/coopgo/coop/examples/interval-button"
	intervalbuttonstwo "github.com/coopgo/coop/examples/interval-buttons-two"
	keypadtransitions "github.com/coopgo/coop/examples/keypad-transitions"
)

// adafruit returns the programs of Adafruit's CircuitPython "Concurrent Tasks" guides
// on the Metro M4 (seeds 003 and 004).
func adafruit() []Program {
	const (
		page  = "003_cbd3fe38788dca2b.txt" // the guide's page "Concurrent Tasks"
		guide = "004_373b34f80c94f397.txt" // the whole guide
	)
	return []Program{
		withFiles(Program{
			Name:    "blink-blocking",
			Board:   "metro_m4",
			Seed:    page,
			Section: "Concurrent Tasks › Blinking LEDs without asyncio › One LED",
			Summary: "one LED on D1 blinks ten times with blocking sleeps, then \"done\"",
			App:     blinkblocking.App,
		}, blinkblocking.Files()),
		withFiles(Program{
			Name:    "blink-two-blocking",
			Board:   "metro_m4",
			Seed:    page,
			Section: "Concurrent Tasks › Blinking LEDs without asyncio › Two LEDs (DOESN'T WORK)",
			Summary: "two blocking blinks in a row: D2 starts only when D1 is done",
			App:     blinktwoblocking.App,
		}, blinktwoblocking.Files()),
		withFiles(Program{
			Name:    "blink-manual",
			Board:   "metro_m4",
			Seed:    page,
			Section: "Concurrent Tasks › Blinking LEDs without asyncio › Two LEDs (the Blinker class)",
			Summary: "two LEDs blinked by a super-loop that polls the clock (Blinker), then \"done\"",
			App:     blinkmanual.App,
		}, blinkmanual.Files()),
		withFiles(Program{
			Name:    "blink-one",
			Board:   "metro_m4",
			Seed:    page,
			Section: "Concurrent Tasks › Blinking LEDs with asyncio › One LED",
			Summary: "one LED on D1 blinks ten times in an asyncio task, then \"done\"",
			App:     blinkone.App,
		}, blinkone.Files()),
		withFiles(Program{
			Name:    "blink-two",
			Board:   "metro_m4",
			Seed:    page,
			Section: "Concurrent Tasks › Blinking LEDs with asyncio › Two LEDs",
			Summary: "two LEDs blink at their own rates in two tasks, gathered, then \"done\"",
			App:     blinktwo.App,
		}, blinktwo.Files()),
		withFiles(Program{
			Name:    "interval-button",
			Board:   "metro_m4",
			Seed:    guide,
			Section: "Communicating Between Tasks › Control One Blinking LED",
			Summary: "buttons on D3/D4 (keypad) change the interval of the LED on D1, shared with its blink task",
			App:     intervalbutton.App,
		}, intervalbutton.Files()),
		withFiles(Program{
			Name:    "interval-buttons-two",
			Board:   "metro_m4",
			Seed:    guide,
			Section: "Communicating Between Tasks › Control Two Blinking LEDs",
			Summary: "two LEDs (D1, D2), each with its own buttons (D3/D4, D5/D6) and shared interval",
			App:     intervalbuttonstwo.App,
		}, intervalbuttonstwo.Files()),
		withFiles(Program{
			Name:    "countio-interrupt",
			Board:   "metro_m4",
			Seed:    guide,
			Section: "Handling Interrupts › Handling Interrupts with countio",
			Summary: "countio counts falling edges on D3 in the background; a task polls the count: \"interrupted!\"",
			App:     countiointerrupt.App,
		}, countiointerrupt.Files()),
		withFiles(Program{
			Name:    "keypad-transitions",
			Board:   "metro_m4",
			Seed:    guide,
			Section: "Handling Interrupts › Handling Interrupts with keypad",
			Summary: "keypad scans D3 in the background; a task prints \"pin went low\" / \"pin went high\"",
			App:     keypadtransitions.App,
		}, keypadtransitions.Files()),
	}
}
