//go:build tinygo && !(pico || pico2)

package machine

import (
	"errors"
	"os"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
)

// consoleBoardName is the Name of the board on a target with no pin map:
// cortex-m-qemu, where CI runs the programs that need no peripheral.
const consoleBoardName = "console"

// Board is, on a TinyGo target this package has no pin map for (such as
// cortex-m-qemu), a board with a console and nothing else: every pin name
// gives a *hw.PinError wrapping hw.ErrNoPin, every device a
// *hw.DeviceError. Programs that only print and await run on it
// unchanged.
type Board struct {
	console hw.Console
}

var errVirtual = errors.New("machine: the loop runs on the virtual clock; a real board needs the real clock")

// NewBoard returns the console board driven from loop, which must run on
// the real clock.
func NewBoard(loop *coop.Loop, cfg Config) (*Board, error) {
	if loop.Virtual() {
		return nil, errVirtual
	}
	w := cfg.Console
	if w == nil {
		w = os.Stdout
	}
	return &Board{console: hw.NewConsole(w)}, nil
}

// Name returns "console".
func (b *Board) Name() string { return consoleBoardName }

// Console returns the console: standard output unless Config said
// otherwise.
func (b *Board) Console() hw.Console { return b.console }

// Output returns a *hw.PinError wrapping hw.ErrNoPin: the board has no
// pins.
func (b *Board) Output(name string) (hw.Output, error) { return nil, b.noPin(name) }

// Input returns a *hw.PinError wrapping hw.ErrNoPin: the board has no
// pins.
func (b *Board) Input(name string, _ hw.Pull) (hw.InputPin, error) { return nil, b.noPin(name) }

func (b *Board) noPin(name string) error {
	return &hw.PinError{Board: consoleBoardName, Pin: name, Err: hw.ErrNoPin, Have: "none: a console only"}
}

var _ hw.Board = (*Board)(nil)
