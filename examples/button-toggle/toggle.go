// Package buttontoggle is the task of the course's second exercise run as
// an example of its own: the first press of the button on GP14 starts the
// built-in LED blinking, the second press cancels the blink task, which
// turns the LED off, and the program ends.
//
// It is the "Task" of Exercise 2 in seed 000 (§8), the program
// [buttoncancel.Toggle] with the blink task of package buttoncancel, with
// the same wiring and a scenario of its own, which presses the button at
// 1.02 s and 3.62 s:
//
//	[   1.050s] Button pressed, starting blink task...
//	[   3.650s] Button pressed, cancelling blink task...
//	[   3.650s] Blink task stopped
package buttontoggle

import (
	"embed"
	"io/fs"

	"github.com/coopgo/coop"
	buttoncancel "github.com/coopgo/coop/examples/button-cancel"
	"github.com/coopgo/coop/hw"
)

//go:embed diagram.json scenario.yaml
var files embed.FS

// Files holds the program's default wiring, diagram.json (a button from
// GP14 to GND, as for button-cancel), and its default scenario,
// scenario.yaml.
func Files() fs.FS { return files }

// App is buttoncancel.Toggle.
func App(t *coop.Task, b hw.Board) error { return buttoncancel.Toggle(t, b) }
