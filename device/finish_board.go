//go:build tinygo && (pico || pico2)

package device

import "time"

// finish keeps saying how the program ended: a board has nowhere to
// return to, and whoever opens the serial console after the end should
// still read why.
func finish(say func(a ...any), err error) {
	for {
		say(ending(err))
		time.Sleep(5 * time.Second)
	}
}
