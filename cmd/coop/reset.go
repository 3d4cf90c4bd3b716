package main

// The program runs as the board's firmware (sim.Firmware): when the board
// resets (its watchdog starved, the program called machine.reset), the
// program's tasks are cancelled, the board comes back as at power-on, a
// line on standard error says why, and the program starts again, while the
// run goes on.

import (
	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// firmwareOptions makes the firmware that runs the program and returns the
// loop option that lets it follow the program's tasks, so that a reset
// cancels them all. The loop is made before the board, so the firmware
// starts later, in boot.
func (r *runner) firmwareOptions() []coop.Option {
	r.fw = &sim.Firmware{
		App: func(t *coop.Task, b hw.Board) error { return r.prog.App(t, b) },
		// The run cancels and awaits the main task of the boot running
		// now: a reset replaces it at once, while the old one cleans up.
		OnStart: func(main *coop.Task) { r.main = main },
		OnReset: func(rs sim.Reset) { r.scr.errorf("%s", rs) },
	}
	return []coop.Option{coop.WithTaskEvents(r.fw.ObserveTask)}
}

// boot starts the program on the board, as task "main".
func (r *runner) boot() *coop.Task { return r.fw.Start(r.board) }

// runMain runs the loop until the program's main task is done, and returns
// its result. After a reset the main task that ended is the old one: the
// run goes on with the new one.
func (r *runner) runMain() error {
	for {
		m := r.main
		err := r.loop.RunUntilComplete(m)
		if r.main == m || !m.Done() {
			return err
		}
	}
}
