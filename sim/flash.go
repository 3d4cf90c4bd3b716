package sim

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/coopgo/coop/hw"
)

// Flash implements [hw.FlashBoard] and [hw.FlashAppender]: the board's
// flash file system, a set of small files that outlive resets and power
// cuts (a [Firmware] restarting the program keeps them) for as long as
// the board lives. It starts empty; a test or a runner may put files in
// it before the program starts.
//
// It is as honest as a program that must not lose data needs:
//
//   - It holds [Board.FlashSize] bytes of file contents: a write that
//     would need more fails with hw.ErrFlashFull and changes nothing.
//   - A power cut ([Board.CutPowerDuringWrite]) can stop a write at any
//     byte: the file keeps the bytes written so far, over its old
//     contents for WriteFile, at its end for AppendFile.
//   - Once the board is going down (the watchdog's deadline has passed,
//     even in the middle of a step that holds the loop; the power was
//     cut; the program asked for a reset), writes fail with
//     hw.ErrPowerLost and change nothing, as on a board whose processor
//     has stopped.
func (b *Board) Flash() (hw.Flash, error) {
	if b.flash == nil {
		b.flash = &flash{b: b, files: make(map[string][]byte)}
	}
	return b.flash, nil
}

// FlashSize returns the capacity of the board's flash file system in
// bytes: 4 MB on a Pico 2 W, 1 MB on a pyboard, 2 MB on a Metro M4.
func (b *Board) FlashSize() int { return b.kind.flash }

// FlashUsed returns how many bytes the files in the board's flash hold.
func (b *Board) FlashUsed() int {
	if b.flash == nil {
		return 0
	}
	return b.flash.used
}

// FlashFiles returns the names of the files in the board's flash, sorted.
func (b *Board) FlashFiles() []string {
	if b.flash == nil {
		return nil
	}
	var names []string
	for n := range b.flash.files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// CutPowerDuringWrite cuts the board's power in the middle of its next
// flash write, after n bytes of it (all of it if it is shorter): the
// write returns hw.ErrPowerLost, and the board starts again as at
// power-on (with a [Firmware]; without one the cut is only traced).
func (b *Board) CutPowerDuringWrite(n int) {
	if n < 0 {
		panic("sim: CutPowerDuringWrite with a negative byte count; pass 0 to tear before the first byte")
	}
	b.tearAt = n
	b.tearArmed = true
}

// CutPowerAt cuts the board's power at board time at: the program stops
// where it is and starts again as at power-on.
func (b *Board) CutPowerAt(at time.Duration) {
	b.loop.CallAt(at, func() { b.cutPower("") })
}

// cutPower resets the board as a power cut does; what says what was torn.
func (b *Board) cutPower(what string) {
	b.requestReset(Reset{At: b.now(), Cause: hw.PowerOnReset, Torn: what})
}

// writable reports whether the board can still write its flash: not if it
// is going down, nor past an unfed watchdog's deadline, which resets the
// board now.
func (b *Board) writable() bool {
	if w := b.wdt; w != nil && w.c.Due() {
		return false // the reset is on its way: the processor has stopped
	}
	return !b.goingDown
}

// flash is a board's flash file system. Reads and writes copy, so that a
// program that changes a slice afterwards does not change the file.
type flash struct {
	b     *Board
	files map[string][]byte
	used  int
}

// checkName refuses names that are not plain file names.
func checkName(op, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return nil
}

func (f *flash) ReadFile(name string) ([]byte, error) {
	if err := checkName("open", name); err != nil {
		return nil, err
	}
	data, ok := f.files[name]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return slices.Clone(data), nil
}

func (f *flash) WriteFile(name string, data []byte) error {
	return f.write("write", name, data, false)
}

func (f *flash) AppendFile(name string, data []byte) error {
	return f.write("append", name, data, true)
}

// write writes or appends data to name, honestly: see Board.Flash.
func (f *flash) write(op, name string, data []byte, appending bool) error {
	if err := checkName(op, name); err != nil {
		return err
	}
	b := f.b
	if !b.writable() {
		return &fs.PathError{Op: op, Path: name, Err: hw.ErrPowerLost}
	}
	old, exists := f.files[name]
	size := len(data)
	if appending {
		size += len(old)
	}
	if f.used-len(old)+size > b.kind.flash {
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%w: %d bytes free", hw.ErrFlashFull, b.kind.flash-f.used)}
	}
	n := len(data)
	torn := b.tearArmed
	if torn {
		b.tearArmed = false
		n = min(n, b.tearAt)
	}
	var file []byte
	switch {
	case appending:
		file = append(slices.Clip(old), data[:n]...)
	case torn:
		// The first n bytes over the old contents.
		file = append([]byte{}, data[:n]...)
		if len(old) > n {
			file = append(file, old[n:min(len(old), len(data))]...)
		}
	default:
		file = append([]byte{}, data...)
	}
	if !exists && torn && n == 0 && !appending {
		file = []byte{}
	}
	f.used += len(file) - len(old)
	f.files[name] = file
	if torn {
		b.cutPower(fmt.Sprintf("%s %q after %d of %d bytes", op, name, n, len(data)))
		return &fs.PathError{Op: op, Path: name, Err: hw.ErrPowerLost}
	}
	return nil
}

func (f *flash) Remove(name string) error {
	if err := checkName("remove", name); err != nil {
		return err
	}
	old, ok := f.files[name]
	if !ok {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	if !f.b.writable() {
		return &fs.PathError{Op: "remove", Path: name, Err: hw.ErrPowerLost}
	}
	f.used -= len(old)
	delete(f.files, name)
	return nil
}

var (
	_ hw.FlashBoard    = (*Board)(nil)
	_ hw.FlashAppender = (*flash)(nil)
)
