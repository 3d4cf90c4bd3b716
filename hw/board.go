package hw

import (
	"fmt"
	"io"
)

// Board is a microcontroller board as a program sees it: pins by name and a
// console. Devices a board may lack (timers, sensors, Wi-Fi) are optional
// interfaces reached through [OpenTimer], [OpenDHT22], [OpenWLAN],
// [OpenKeys], [OpenCounter], [OpenWatchdog] and [OpenFlash].
//
// Pin names are the board's silk-screen names: "GP14" and "LED" on a
// Pico 2 W, "D1" on a Metro M4, "X1", "LED(1)" and "USR" on a pyboard.
type Board interface {
	// Name returns the board's kind, such as "pico2w".
	Name() string

	// Output configures the pin as an output and returns it. A pin that
	// was not an output starts low; asking again for an output returns
	// the same pin at its current level. The error wraps ErrNoPin for an
	// unknown name and ErrPinBusy for a pin in use as an input or by a
	// device.
	Output(pin string) (Output, error)

	// Input configures the pin as an input with pull and returns it.
	// Asking again for the same input changes its pull. The error wraps
	// ErrNoPin or ErrPinBusy as for Output.
	Input(pin string, pull Pull) (InputPin, error)

	// Console returns the board's serial console (print's REPL).
	Console() Console
}

// Console is where a program prints, the serial console of MicroPython's
// REPL. Output is line based: each complete line is one message, stamped
// with board time where the board keeps a trace.
//
// Print through it, not with fmt.Println: on a real board both reach the
// serial port, but on the simulator only the console's lines carry board
// time, show with --timestamps in order with the pins, and are seen by a
// scenario's expect-serial and by simtest; fmt's go straight to standard
// output, unstamped.
type Console interface {
	io.Writer
	// Println prints its operands separated by spaces, then a newline,
	// like Python's print and fmt.Println.
	Println(a ...any)
	// Printf prints as fmt.Printf does. Text after the last newline
	// waits for the rest of its line.
	Printf(format string, a ...any)
}

// NewConsole returns a [Console] that writes to w: the adapter a backend
// with a plain writer (a UART, standard output) needs. Write errors are
// dropped by Println and Printf, as print drops them on a board.
func NewConsole(w io.Writer) Console { return writerConsole{w} }

type writerConsole struct{ w io.Writer }

func (c writerConsole) Write(p []byte) (int, error)    { return c.w.Write(p) }
func (c writerConsole) Println(a ...any)               { fmt.Fprintln(c.w, a...) }
func (c writerConsole) Printf(format string, a ...any) { fmt.Fprintf(c.w, format, a...) }

// IDBoard is a [Board] with an identity of its own: the unique id of its
// chip (machine.unique_id()), as a name fit for an MQTT client id or a
// topic.
type IDBoard interface {
	// DeviceID returns the board's id, the same at each call and after
	// resets.
	DeviceID() string
}

// DeviceID returns b's id, or its kind's name for a board that has none.
func DeviceID(b Board) string {
	if ib, ok := b.(IDBoard); ok {
		return ib.DeviceID()
	}
	return b.Name()
}
