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
}
