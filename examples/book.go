package examples

import (
	"github.com/coopgo/coop/examples/railroad"
	railroadasync "github.com/coopgo/coop/examples/railroad-async"
	railroadroundrobin "github.com/coopgo/coop/examples/railroad-roundrobin"
	railroadthreads "github.com/coopgo/coop/examples/railroad-threads"
	railroadtimers "github.com/coopgo/coop/examples/railroad-timers"
	"github.com/coopgo/coop/examples/watchdog"
)

// book returns the railroad programs of the book chapter "Managing Real-Time Tasks"
// on the pyboard (seed 002).
func book() []Program {
	const seed = "002_8bb247d82e275c69.txt"
	return []Program{
		withFiles(Program{
			Name:    "railroad-roundrobin",
			Board:   "pyboard",
			Seed:    seed,
			Section: "Building a task manager using round-robin scheduling",
			Summary: "blue and yellow LEDs alternate every 150 ms: toggle, toggle, delay, in a super-loop",
			App:     railroadroundrobin.App,
		}, railroadroundrobin.Files()),
		withFiles(Program{
			Name:    "railroad-timers",
			Board:   "pyboard",
			Seed:    seed,
			Section: "Building a task manager using periodic scheduling",
			Summary: "blue and green LEDs toggled at 5 Hz, each by its own timer's callback; the main loop reports the uptime every 5 s",
			App:     railroadtimers.App,
		}, railroadtimers.Files()),
		withFiles(Program{
			Name:    "railroad-threads",
			Board:   "pyboard",
			Seed:    seed,
			Section: "Building a task manager using threads",
			Summary: "each LED toggled by its own preemptive thread, in real time only; uptime every 5 s",
			App:     railroadthreads.App,
		}, railroadthreads.Files()),
		withFiles(Program{
			Name:    "railroad-async",
			Board:   "pyboard",
			Seed:    seed,
			Section: "A cooperative multitasking blinky LED example",
			Summary: "two asyncio tasks toggle an LED each, then await sleep_ms(150)",
			App:     railroadasync.App,
		}, railroadasync.Files()),
		withFiles(Program{
			Name:    "railroad",
			Board:   "pyboard",
			Seed:    seed,
			Section: "MicroPython scheduling techniques (the railroad, every way)",
			Summary: "the railroad with --technique roundrobin|timers|event|threads|async|periodic; --report compares them",
			App:     railroad.App,
		}, railroad.Files()),
		withFiles(Program{
			Name:    "watchdog",
			Board:   "pyboard",
			Seed:    seed,
			Section: "Real-time system types: a missed hard deadline is a fault (the watchdog is coop's addition)",
			Summary: "a task feeds the watchdog; a stuck sensor read hogs the loop, the board resets and the program restarts",
			App:     watchdog.App,
		}, watchdog.Files()),
	}
}
