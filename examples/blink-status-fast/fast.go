// Package blinkstatusfast is the task of the course's first exercise run
// as an example of its own: the LED blinks every 200 ms instead of 500 ms
// and the status line comes every 2 s instead of every second, so five
// blinks pass between two status lines.
//
// It is the "Task" of Exercise 1 in seed 000 (§7): the program of package
// blinkstatus with its [blinkstatus.Exercise] configuration,
//
//	await asyncio.sleep(0.2)   # in blink_led, twice
//	await asyncio.sleep(2)     # in status_reporter
//
// and the same wiring. At 2 s, 4 s… the tick comes before "LED ON", both
// being due then, for the reason package blinkstatus gives.
package blinkstatusfast

import (
	"io/fs"

	"github.com/coopgo/coop"
	blinkstatus "github.com/coopgo/coop/examples/blink-status"
	"github.com/coopgo/coop/hw"
)

// Files holds the default wiring, blinkstatus's diagram.json.
func Files() fs.FS { return blinkstatus.Files() }

// App is blinkstatus.Exercise.App.
func App(t *coop.Task, b hw.Board) error { return blinkstatus.Exercise.App(t, b) }
