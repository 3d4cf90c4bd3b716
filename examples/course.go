package examples

import "github.com/coopgo/coop/examples/blink"

// course returns the programs of the uasyncio course on the Pico 2 W
// (seed 000, "Creating, Running, and Managing Tasks").
func course() []Program {
	const seed = "000_d824fd38bca75ebc.txt"
	return []Program{
		withFiles(Program{
			Name:    "blink",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§7 wiring (a first program)",
			Summary: "built-in LED and LED on GP15 blink in turn; uptime every second",
			App:     blink.App,
		}, blink.Files()),
	}
}
