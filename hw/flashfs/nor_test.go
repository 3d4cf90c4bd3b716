package flashfs_test

import (
	"errors"
	"fmt"
)

// errPowerCut is what a nor returns once its power is cut.
var errPowerCut = errors.New("nor: power cut")

// nor is a NOR flash in RAM, as strict as the RP2040's: writes in whole
// aligned write blocks, programming only clears bits, an erase sets a
// block to 0xFF. A power cut can be armed to stop it after so many bytes
// programmed (the byte at the cut half programmed) or in the middle of an
// erase (the second half of the block erased), after which every call fails.
type nor struct {
	mem      []byte
	wbs, ebs int
	erases   []int // per block
	// cut, if >= 0, is how many more bytes programmed (an erase counts
	// as one) before the power goes.
	cut      int
	dead     bool
	cutErase bool // the cut stopped an erase
	// programmed counts the bytes programmed (0xFF bytes program
	// nothing and are not counted) and erases, for choosing cuts.
	programmed int
	eraseAt    []int // programmed when each erase began
}

func newNOR(size, wbs, ebs int) *nor {
	d := &nor{mem: make([]byte, size), wbs: wbs, ebs: ebs, erases: make([]int, size/ebs), cut: -1}
	for i := range d.mem {
		d.mem[i] = 0xFF
	}
	return d
}

// clone is the same flash, powered again, with no cut armed.
func (d *nor) clone() *nor {
	c := *d
	c.mem = append([]byte(nil), d.mem...)
	c.erases = append([]int(nil), d.erases...)
	c.cut, c.dead, c.eraseAt = -1, false, nil
	return &c
}

// restore sets d back to from's bytes and counts, powered, in place.
func (d *nor) restore(from *nor) {
	copy(d.mem, from.mem)
	copy(d.erases, from.erases)
	d.programmed, d.eraseAt = from.programmed, d.eraseAt[:0]
	d.powerOn()
}

// powerOn powers d again after a cut, as it is.
func (d *nor) powerOn() *nor {
	d.cut, d.dead, d.cutErase = -1, false, false
	return d
}

func (d *nor) Size() int64           { return int64(len(d.mem)) }
func (d *nor) WriteBlockSize() int64 { return int64(d.wbs) }
func (d *nor) EraseBlockSize() int64 { return int64(d.ebs) }

func (d *nor) ReadAt(p []byte, off int64) (int, error) {
	if d.dead {
		return 0, errPowerCut
	}
	if off < 0 || int(off)+len(p) > len(d.mem) {
		return 0, fmt.Errorf("nor: read %d bytes at %d, past the end", len(p), off)
	}
	return copy(p, d.mem[off:]), nil
}

func (d *nor) WriteAt(p []byte, off int64) (int, error) {
	if d.dead {
		return 0, errPowerCut
	}
	if int(off)%d.wbs != 0 || len(p)%d.wbs != 0 || int(off)+len(p) > len(d.mem) {
		panic(fmt.Sprintf("nor: write of %d bytes at %d: not whole %d-byte blocks in the device", len(p), off, d.wbs))
	}
	for i, b := range p {
		if b == 0xFF {
			continue
		}
		if d.cut == 0 {
			d.mem[int(off)+i] &= b | 0x0F // half programmed
			d.dead = true
			return i, errPowerCut
		}
		if d.cut > 0 {
			d.cut--
		}
		d.programmed++
		d.mem[int(off)+i] &= b
	}
	return len(p), nil
}

func (d *nor) EraseBlocks(start, n int64) error {
	if d.dead {
		return errPowerCut
	}
	for b := int(start); b < int(start+n); b++ {
		blk := d.mem[b*d.ebs : (b+1)*d.ebs]
		if d.cut == 0 {
			// The second half erased: the header, with its retire
			// mark, is still there.
			for i := d.ebs / 2; i < d.ebs; i++ {
				blk[i] = 0xFF
			}
			d.dead, d.cutErase = true, true
			return errPowerCut
		}
		if d.cut > 0 {
			d.cut--
		}
		d.eraseAt = append(d.eraseAt, d.programmed)
		d.programmed++
		d.erases[b]++
		for i := range blk {
			blk[i] = 0xFF
		}
	}
	return nil
}
