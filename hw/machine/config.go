//go:build tinygo

package machine

import "io"

// Config configures a Board. The zero Config is the default.
type Config struct {
	// Console is where the board's console writes. Nil means the board's
	// serial port: machine.Serial on a Pico (USB serial), with "\n"
	// written as "\r\n"; standard output elsewhere. A writer given here
	// gets the text unchanged.
	Console io.Writer
	// FlashSize is how many bytes at the end of the chip's flash hold
	// the board's flash file system (Board.Flash), a multiple of 4 KB;
	// zero means DefaultFlashSize. Changing it moves the region, and
	// what an earlier program kept there is not found.
	FlashSize int
}

// DefaultFlashSize is the flash file system's size unless Config says
// otherwise: 256 KB, an eighth of a Pico's flash.
const DefaultFlashSize = 256 << 10
