package examples

import (
	"github.com/coopgo/coop/examples/blink"
	"github.com/coopgo/coop/examples/cancel"
	fireandwait "github.com/coopgo/coop/examples/fire-and-wait"
	"github.com/coopgo/coop/examples/forever"
	"github.com/coopgo/coop/examples/grouped"
	"github.com/coopgo/coop/examples/hello"
	blockingsleep "github.com/coopgo/coop/examples/mistake-blocking-sleep"
	forgottenerror "github.com/coopgo/coop/examples/mistake-forgotten-error"
	losttask "github.com/coopgo/coop/examples/mistake-lost-task"
	notawaited "github.com/coopgo/coop/examples/mistake-not-awaited"
	taskerror "github.com/coopgo/coop/examples/task-error"
	twotasks "github.com/coopgo/coop/examples/two-tasks"
	"github.com/coopgo/coop/examples/verify"
)

// course returns the programs of the uasyncio course on the Pico 2 W
// (seed 000, "Creating, Running, and Managing Tasks"): the verification
// script, a first program,
// the task patterns of sections 2 to 6, and the common mistakes of
// section 10.
func course() []Program {
	const seed = "000_d824fd38bca75ebc.txt"
	return []Program{
		withFiles(Program{
			Name:    "verify",
			Board:   "pico2w",
			Seed:    seed,
			Section: "Prerequisites: quick verification script",
			Summary: "print(sys.implementation): coop's name, version, board and Go version",
			App:     verify.App,
		}, verify.Files()),
		withFiles(Program{
			Name:    "blink",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§7 wiring (a first program)",
			Summary: "built-in LED and LED on GP15 blink in turn; uptime every second",
			App:     blink.App,
		}, blink.Files()),
		withFiles(Program{
			Name:    "hello",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§2 Creating and Running Tasks",
			Summary: "create a task, await it: the task starts only when main awaits",
			App:     hello.App,
		}, hello.Files()),
		withFiles(Program{
			Name:    "two-tasks",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§2 Creating and Running Tasks",
			Summary: "two tasks count at 1 s and 0.5 s; their lines interleave",
			App:     twotasks.App,
		}, twotasks.Files()),
		withFiles(Program{
			Name:    "fire-and-wait",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§3 Pattern 1: Fire-and-wait",
			Summary: "start a job, do other work, then await the job",
			App:     fireandwait.App,
		}, fireandwait.Files()),
		withFiles(Program{
			Name:    "forever",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§3 Pattern 2: Run tasks forever (§4 lifetime)",
			Summary: "a blinker runs forever while main waits 5 s; cancelled, it turns the LED off",
			App:     forever.App,
		}, forever.Files()),
		withFiles(Program{
			Name:    "grouped",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§3 Pattern 3: Grouped concurrent work",
			Summary: "A every 1 s and B every 0.7 s, gathered by main until cancelled",
			App:     grouped.App,
		}, grouped.Files()),
		withFiles(Program{
			Name:    "cancel",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§5 Task Cancellation",
			Summary: "cancel a worker after 3 s; it cleans up and main confirms",
			App:     cancel.App,
		}, cancel.Files()),
		withFiles(Program{
			Name:    "task-error",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§6 Handling Exceptions in Tasks",
			Summary: "a task fails after 1 s; main's await returns the error and prints it",
			App:     taskerror.App,
		}, taskerror.Files()),
		withFiles(Program{
			Name:    "mistake-blocking-sleep",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§10 Common mistakes: time.sleep() in async code",
			Summary: "a blocking sleep in one task makes the blinker late; the program names the blocker",
			App:     blockingsleep.App,
		}, blockingsleep.Files()),
		withFiles(Program{
			Name:    "mistake-forgotten-error",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§10 Common mistakes: ignoring exceptions in tasks",
			Summary: "a task fails and nobody awaits it: the loop's error handler reports it, main goes on",
			App:     forgottenerror.App,
		}, forgottenerror.Files()),
		withFiles(Program{
			Name:    "mistake-lost-task",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§10 Common mistakes: creating tasks without keeping a reference",
			Summary: "a blinker started and dropped cannot be stopped: it turns the LED on again",
			App:     losttask.App,
		}, losttask.Files()),
		withFiles(Program{
			Name:    "mistake-not-awaited",
			Board:   "pico2w",
			Seed:    seed,
			Section: "§10 Common mistakes: forgetting to await",
			Summary: "a save started and never awaited is cancelled half done when main ends",
			App:     notawaited.App,
		}, notawaited.Files()),
	}
}
