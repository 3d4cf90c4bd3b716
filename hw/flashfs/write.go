package flashfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"

	"github.com/coopgo/coop/hw"
)

// writeOp appends one operation to the log: the entries of data (or a
// removal), the first flagged first and the last final, so that a mount
// applies all of them or none. It first makes room, moving the oldest
// sectors' live entries if it must, and fails with hw.ErrFlashFull if it
// cannot. On success a data operation is applied to the files. A write
// that does not read back retires its sector and is written once more.
//
// reserve is the bytes at the end of each sector it must leave: only a
// removal, which adds nothing live, may write into the sectors' last
// tailReserve bytes, so that a full file system can always be emptied;
// only moves and a WriteFile of one small entry (an mqtt.Outbox's
// acknowledged mark) into the smallEntry bytes before them.
func (f *FS) writeOp(name string, kind byte, gen uint32, off int, data []byte, reserve int) error {
	err := f.writeOpOnce(name, kind, gen, off, data, reserve)
	if errors.Is(err, ErrCorrupt) {
		err = f.writeOpOnce(name, kind, gen, off, data, reserve)
	}
	return err
}

func (f *FS) writeOpOnce(name string, kind byte, gen uint32, off int, data []byte, reserve int) error {
	if err := f.makeRoom(name, len(data), reserve); err != nil {
		return err
	}
	var op []pendingEntry
	rem := data
	start := off
	for first := true; first || len(rem) > 0; first = false {
		take := -1
		if f.head >= 0 {
			take = fit(f.secSize-f.secs[f.head].used-reserve, name, len(rem))
		}
		if take < 0 {
			if err := f.newSector(); err != nil {
				return err
			}
			take = fit(f.secSize-f.secs[f.head].used-reserve, name, len(rem))
		}
		flags := kind
		if first {
			flags |= flagFirst
		}
		if take == len(rem) {
			flags |= flagFinal
		}
		pos, err := f.writeEntry(flags, name, gen, uint32(off), uint32(start), rem[:take])
		if err != nil {
			return err
		}
		if kind == kindData {
			op = append(op, pendingEntry{name: name, gen: gen, ext: extent{off: uint32(off), sec: uint16(f.head), pos: uint16(pos), n: uint16(take)}})
		}
		off += take
		rem = rem[take:]
	}
	f.commit(op)
	return nil
}

// fit returns how many of the n bytes left the next entry of name takes
// in free bytes of a sector, or -1 if it should go to a new sector.
func fit(free int, name string, n int) int {
	take := min(n, maxChunk, free-entryHead-len(name))
	if take < min(n, minChunk) {
		return -1
	}
	return take
}

// sectorsNeeded returns how many new sectors an operation of n bytes of
// data on name needs, after the head's free bytes, leaving reserve bytes
// at the end of each.
func (f *FS) sectorsNeeded(name string, n, reserve int) int {
	free := 0
	if f.head >= 0 {
		free = f.secSize - f.secs[f.head].used - reserve
	}
	need := 0
	for first := true; first || n > 0; first = false {
		take := fit(free, name, n)
		if take < 0 {
			need++
			free = f.secSize - headerSize - reserve
			take = fit(free, name, n)
		}
		free -= entrySize(name, take)
		n -= take
	}
	return need
}

func (f *FS) freeSectors() int {
	n := 0
	for _, s := range f.secs {
		if s.state == sectorFree {
			n++
		}
	}
	return n
}

// dead returns the bytes that moving the live entries out of every
// sector but the head would give back.
func (f *FS) dead() int {
	n := 0
	for i, s := range f.secs {
		if s.state != sectorFree && i != f.head {
			n += s.used - headerSize - s.live
		}
	}
	return n
}

// makeRoom moves the oldest sectors' live entries and erases them until
// an operation of n bytes on name fits with one sector left erased.
func (f *FS) makeRoom(name string, n, reserve int) error {
	for tries := 0; ; tries++ {
		need := f.sectorsNeeded(name, n, reserve)
		free := f.freeSectors()
		if free-need >= 1 {
			return nil
		}
		if tries >= len(f.secs) || f.dead() == 0 {
			st := f.Stats()
			return fmt.Errorf("%w: %d bytes of %d in use", hw.ErrFlashFull, st.Live, (len(f.secs)-1)*(f.secSize-headerSize))
		}
		if err := f.reclaim(); err != nil {
			return err
		}
	}
}

// reclaim moves the live entries of the oldest sector but the head to the
// head, and erases it.
func (f *FS) reclaim() error {
	victim := -1
	for i, s := range f.secs {
		if s.state != sectorFree && i != f.head && (victim < 0 || s.seq < f.secs[victim].seq) {
			victim = i
		}
	}
	if victim < 0 {
		return nil
	}
	for _, name := range f.Names() {
		fl := f.files[name]
		for j := range fl.ext {
			e := fl.ext[j]
			if int(e.sec) != victim {
				continue
			}
			size := entrySize(name, int(e.n))
			// Under the sectors' reserve, as every live entry: the
			// victim's live entries fit in one erased sector. With no
			// erased sector left (a power cut stopped a reclaim, and
			// the copies it made are in the head), into the reserve:
			// the cut wasted at most one entry of it.
			room := 0
			if f.head >= 0 {
				room = f.secSize - f.secs[f.head].used
			}
			if room-tailReserve < size && (f.freeSectors() > 0 || room < size) {
				if err := f.newSector(); err != nil {
					return err
				}
			}
			data := f.readBack[:e.n]
			if err := f.read(victim, int(e.pos)+entryHead+len(name), data); err != nil {
				return err
			}
			// A copy, one operation of its own: a mount that finds
			// both keeps the newer, at the same file offset.
			data = append([]byte(nil), data...)
			pos, err := f.writeEntry(kindData|flagFirst|flagFinal, name, fl.gen, e.off, e.off, data)
			if err != nil {
				return err
			}
			f.secs[victim].live -= size
			f.secs[f.head].live += size
			fl.ext[j].sec, fl.ext[j].pos = uint16(f.head), uint16(pos)
		}
	}
	// Retire the sector before erasing it: a power cut in the middle of
	// the erase leaves a sector a mount does not read.
	if err := f.program(victim, 12, []byte{0, 0, 0, 0}, false); err != nil {
		return err
	}
	return f.erase(victim)
}

func (f *FS) erase(sec int) error {
	ebs := int64(f.secSize)
	if err := f.dev.EraseBlocks((f.base+int64(sec)*ebs)/ebs, 1); err != nil {
		return fmt.Errorf("flashfs: erase: %w", err)
	}
	f.secs[sec] = sector{state: sectorFree}
	return nil
}

// newSector starts a new head: the next free sector after the head,
// erased if it is not, with a header one higher in sequence.
func (f *FS) newSector() error {
	next := -1
	for k := 1; k <= len(f.secs); k++ {
		i := (max(f.head, 0) + k) % len(f.secs)
		if f.secs[i].state == sectorFree {
			next = i
			break
		}
	}
	if next < 0 {
		return fmt.Errorf("%w: no erased sector", hw.ErrFlashFull)
	}
	if err := f.read(next, 0, f.page); err != nil {
		return err
	}
	for _, c := range f.page {
		if c != 0xFF {
			if err := f.erase(next); err != nil {
				return err
			}
			break
		}
	}
	var hdr [12]byte
	binary.LittleEndian.PutUint32(hdr[0:], sectorMagic)
	binary.LittleEndian.PutUint32(hdr[4:], f.seq)
	binary.LittleEndian.PutUint32(hdr[8:], crc32.ChecksumIEEE(hdr[:8]))
	if err := f.program(next, 0, hdr[:], true); err != nil {
		f.secs[next] = sector{state: sectorFree}
		return err
	}
	f.secs[next] = sector{state: sectorLive, seq: f.seq, used: headerSize}
	f.seq++
	if f.head >= 0 {
		f.secs[f.head].state = sectorSealed
	}
	f.head = next
	return nil
}

// writeEntry writes an entry at the head's end and returns its position.
func (f *FS) writeEntry(flags byte, name string, gen, off, start uint32, data []byte) (int, error) {
	size := entrySize(name, len(data))
	e := f.readBack[:size]
	e[0], e[1] = flags, byte(len(name))
	binary.LittleEndian.PutUint16(e[2:], uint16(len(data)))
	binary.LittleEndian.PutUint32(e[4:], gen)
	binary.LittleEndian.PutUint32(e[8:], off)
	binary.LittleEndian.PutUint32(e[12:], start)
	copy(e[entryHead:], name)
	copy(e[entryHead+len(name):], data)
	binary.LittleEndian.PutUint32(e[16:], crc32.Update(crc32.ChecksumIEEE(e[:16]), crc32.IEEETable, e[entryHead:]))
	s := &f.secs[f.head]
	pos := s.used
	s.used += size // written or torn, those bytes are the log's
	if err := f.program(f.head, pos, e, true); err != nil {
		if errors.Is(err, ErrCorrupt) {
			s.state, s.used = sectorSealed, f.secSize
			f.head = -1
		}
		return 0, err
	}
	return pos, nil
}

// program writes p at pos of sector sec, in whole write blocks with 0xFF
// around p (which programs nothing), and with check reads it back.
func (f *FS) program(sec, pos int, p []byte, check bool) error {
	start := pos &^ (f.wbs - 1)
	end := (pos + len(p) + f.wbs - 1) &^ (f.wbs - 1)
	buf := f.page[:end-start]
	for i := range buf {
		buf[i] = 0xFF
	}
	copy(buf[pos-start:], p)
	if _, err := f.dev.WriteAt(buf, f.addr(sec, start)); err != nil {
		return fmt.Errorf("flashfs: write: %w", err)
	}
	if !check {
		return nil
	}
	got := f.page[:len(p)]
	if err := f.read(sec, pos, got); err != nil {
		return err
	}
	if !bytes.Equal(got, p) {
		return fmt.Errorf("%w: sector %d at %d", ErrCorrupt, sec, pos)
	}
	return nil
}
