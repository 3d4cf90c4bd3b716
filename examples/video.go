package examples

import buttonqueue "github.com/coopgo/coop/examples/button-queue"

// video returns the button-and-queue program of the video "How to Use Asyncio in MicroPython
// (Raspberry Pi Pico)" (seed 001).
func video() []Program {
	const seed = "001_8d353a2df959ea55.txt"
	return []Program{
		withFiles(Program{
			Name:    "button-queue",
			Board:   "pico2w",
			Seed:    seed,
			Section: "the video's program: button task, blink task, a queue between them",
			Summary: "the time between button presses, printed and queued, sets the LED's blink rate",
			App:     buttonqueue.App,
		}, buttonqueue.Files()),
	}
}
