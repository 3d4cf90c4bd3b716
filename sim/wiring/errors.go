package wiring

import (
	"errors"
	"fmt"
)

// The kinds of problems a diagram can have. Every error of Parse, Load and
// Apply is an [*Error] that wraps one of them (or, from Apply, the
// simulator's error), so callers branch with errors.Is.
var (
	// ErrSyntax: the file is not JSON, or a value has the wrong shape
	// (a connection that is not ["part:pin", "part:pin", …]).
	ErrSyntax = errors.New("wiring: syntax error")
	// ErrUnknownType: a part type the simulator does not know.
	ErrUnknownType = errors.New("wiring: unknown part type")
	// ErrBoard: no board part, more than one, or a diagram applied to a
	// board of another kind.
	ErrBoard = errors.New("wiring: wrong board")
	// ErrUnknownPart: a part id used twice or empty, or a connection to a
	// part id that is not in parts.
	ErrUnknownPart = errors.New("wiring: unknown part")
	// ErrNoPin: a connection to a pin the board or the part does not have.
	ErrNoPin = errors.New("wiring: no such pin")
	// ErrConflict: pins wired in a way that cannot work: two board pins
	// shorted together or to a rail, 3V3 shorted to GND, a pull-up and a
	// pull-down on one pin, a DHT22 sharing its pin.
	ErrConflict = errors.New("wiring: conflicting connections")
	// ErrUnconnected: a part that needs a board pin reaches none (an LED
	// without a wire to GND is one too: it could never light).
	ErrUnconnected = errors.New("wiring: part not connected")
	// ErrAttr: an attribute with a value the part cannot take.
	ErrAttr = errors.New("wiring: bad attribute")
)

// Error is a problem with a diagram, in one line: the file, the line and
// column of the value it is about, and what is wrong and what is allowed.
type Error struct {
	File      string
	Line, Col int // 1-based position of what is wrong; 0 when there is none
	Msg       string
	Err       error // one of the sentinels above, or the simulator's error
}

// Error returns "diagram.json:3:14: invalid character …" or
// "diagram.json: connection 3 (…): …".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func (d *Diagram) errorf(sentinel error, format string, a ...any) *Error {
	return &Error{File: d.file, Msg: fmt.Sprintf(format, a...), Err: sentinel}
}
