//go:build tinygo && (pico || pico2)

package machine

import (
	"fmt"
	"machine"

	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/hw/flashfs"
)

// Flash returns the board's flash file system (hw.FlashBoard): a
// flashfs.FS in the last Config.FlashSize bytes of the chip's flash (256
// KB by default: on a Pico's 2 MB chip 0x101C0000–0x10200000, on a Pico
// 2's 4 MB chip 0x103C0000–0x10400000), mounted at the first call. The
// region stays where it is whatever the program's size, and loading a
// new program (a UF2 or tinygo flash) leaves it alone, so what a program
// keeps there outlives resets, power cuts and updates; a program that
// grows into the region gets an error here rather than a file system
// over its own code.
func (b *Board) Flash() (hw.Flash, error) {
	if b.flash != nil {
		return b.flash, nil
	}
	size := int64(b.flashSize)
	if size <= 0 {
		size = DefaultFlashSize
	}
	avail := machine.Flash.Size() // from the end of the program to the end of the chip
	if avail < size {
		return nil, fmt.Errorf("machine: flash: the file system's %d KB do not fit in the %d KB after the program: make Config.FlashSize smaller", size>>10, avail>>10)
	}
	f, err := flashfs.Mount(machine.Flash, avail-size, size)
	if err != nil {
		return nil, fmt.Errorf("machine: flash: %w", err)
	}
	b.flash = f
	return f, nil
}

var _ hw.FlashBoard = (*Board)(nil)
