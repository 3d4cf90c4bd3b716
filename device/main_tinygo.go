//go:build tinygo

package device

import (
	"fmt"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/hw/machine"
)

// Main runs app on the board the program was built for, through
// hw/machine, on the loop's real clock, and does not return on a board.
//
//	tinygo flash -target=pico-w .
//	tinygo monitor
//
// The build target chooses the board: pico, pico-w, pico2 and pico2-w get
// their pins and, on the W boards, the LED and Wi-Fi of the CYW43439;
// any other target (cortex-m-qemu in CI) gets a board with a console
// only. The console is the board's serial port (USB serial on a Pico);
// failures nobody awaited and the scheduler's warnings are printed there
// too.
//
// opts are for the simulator; a board has no use for them.
//
// When app returns, Main prints how it ended ("app failed: …" for an
// error). A board has nowhere to return to, so on a Pico the line is
// printed again every five seconds, for whoever opens the serial console
// later; on an emulator the program exits, with status 1 if app failed.
func Main(app func(t *coop.Task, b hw.Board) error, opts ...Option) {
	var con hw.Console
	say := func(a ...any) {
		if con != nil {
			con.Println(a...)
		} else {
			fmt.Println(a...)
		}
	}
	err := coop.Run(func(t *coop.Task) error {
		b, err := machine.NewBoard(t.Loop(), machine.Config{})
		if err != nil {
			return err
		}
		con = b.Console()
		return app(t, b)
	},
		coop.WithErrorHandler(func(t *coop.Task, err error) {
			if t == nil {
				say("callback failed:", err)
				return
			}
			say("task", t.Name(), "failed:", err)
		}),
		coop.WithWarningHandler(func(w coop.Warning) { say(w) }),
	)
	finish(say, err)
}

// ending returns the line Main prints when app has returned err.
func ending(err error) string {
	if err != nil {
		return "app failed: " + err.Error()
	}
	return "app done"
}

// config is what the options of Main set: nothing, on a board.
type config struct{}
