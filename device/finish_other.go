//go:build tinygo && !(pico || pico2)

package device

import "os"

// finish says how the program ended and exits: on an emulator
// (cortex-m-qemu) the exit status is the run's result.
func finish(say func(a ...any), err error) {
	if err != nil {
		say(ending(err))
		os.Exit(1)
	}
}
