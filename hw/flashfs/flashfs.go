// Package flashfs is the flash file system of the real boards: an
// [hw.Flash] and [hw.FlashAppender] on raw NOR flash, such as the region
// of a Raspberry Pi Pico's flash past the program (TinyGo's
// machine.Flash, which package hw/machine mounts), so that what a program
// keeps in flash on the simulator (an mqtt.Outbox, settings) it keeps the
// same way on the board. It is standard library only and builds with both
// toolchains; its tests run it on a model of NOR flash that tears a write
// or an erase at any byte.
//
// It is a log: every write, append and removal is an entry appended to the
// current erase block (a sector), with a CRC-32, and the files are what
// replaying the log gives. Nothing is written in place, so a power cut in
// the middle of a write loses that write and nothing else:
//
//   - WriteFile, AppendFile and Remove are atomic: after a power cut the
//     file is as it was before the call or as the call left it, never in
//     between (stronger than hw.Flash asks).
//   - At mount, an entry whose checksum fails (the one a power cut tore)
//     is skipped, with the operation it belonged to; the log goes on
//     after the last byte the cut programmed.
//   - When the sectors run out, the oldest sector's live entries are
//     copied to the head of the log and the sector is erased (first
//     marked as retired, so that a cut in the middle of the erase leaves
//     nothing a mount would read). Sectors are used in turn, which
//     spreads the wear. One sector is always kept erased for this.
//   - A write that would not fit fails with an error wrapping
//     hw.ErrFlashFull and changes nothing. The last 212 bytes of each
//     sector take only removals, so that a full file system can always
//     be emptied, and the copies that finish a reclaim a power cut
//     stopped; the 84 before them only moves and writes of a few bytes
//     (an mqtt.Outbox's acknowledged mark, so that it can drop its
//     oldest readings on a full flash). With 4 KB sectors, 3,784 bytes
//     of each hold files.
//
// Entries are byte-packed: a sector's program pages are programmed more
// than once, each time with 0xFF over the bytes already programmed, which
// NOR flash allows (programming only clears bits). Every write is read
// back; a mismatch retires the sector and the write goes again in a
// fresh one.
//
// RAM: the file contents stay in flash; the file system keeps, per file,
// a 12-byte extent per entry (an mqtt.Outbox of 64 KB of 60-byte readings:
// about 13 KB), and a sector-sized buffer. Names are plain file names of
// at most [MaxName] bytes.
//
// A FS belongs to one loop (or goroutine): its methods do not lock. Its
// calls wait on nothing but the flash: programming a 256-byte page takes
// about 0.7 ms on a Pico's W25Q16JV and erasing a sector 45 ms (400 ms at
// most), with interrupts off on the RP2040, and a call holds the loop
// that long.
package flashfs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"sort"
	"strings"

	"github.com/coopgo/coop/hw"
)

// Device is raw NOR flash, as TinyGo's machine.BlockDevice describes it
// (machine.Flash implements it): bytes read anywhere; programmed only
// where erased (programming clears bits), in blocks of WriteBlockSize at
// offsets aligned to it; erased to 0xFF in blocks of EraseBlockSize.
type Device interface {
	ReadAt(p []byte, off int64) (int, error)
	// WriteAt programs p at off. FS calls it with whole write blocks,
	// aligned, with 0xFF where it programs nothing.
	WriteAt(p []byte, off int64) (int, error)
	Size() int64
	WriteBlockSize() int64
	EraseBlockSize() int64
	// EraseBlocks erases n blocks from block start.
	EraseBlocks(start, n int64) error
}

// Limits.
const (
	// MaxName is the longest file name, in bytes.
	MaxName = 64
	// MinSectors is the fewest erase blocks a file system needs: one
	// to write to, one kept erased to move live entries into, one more
	// to move them out of.
	MinSectors = 3
	// maxChunk bounds the data of one entry, so that a sector wastes
	// little at its end and its reserve holds any entry.
	maxChunk = 128
	// minChunk: an entry that would take less of its data than this
	// goes to a new sector instead.
	minChunk = 64
	maxEntry = entryHead + MaxName + maxChunk
	// tailReserve is the end of each sector that only removals may
	// take, so that whatever fills the flash a file can be removed, and
	// moves that finish a reclaim a power cut stopped, so that it can
	// finish: the cut wasted at most an entry.
	tailReserve = maxEntry
	// smallEntry is the band before it, for moves and a WriteFile of one
	// entry that small (an mqtt.Outbox's acknowledged mark).
	smallEntry = entryHead + MaxName
)

// ErrCorrupt: the device does not hold what was just written to it.
var ErrCorrupt = errors.New("flashfs: flash does not read back what was written")

// Sector header: magic, sequence number, CRC-32 of those, and the retire
// mark (0xFFFFFFFF while the sector is live, 0 once its entries have been
// moved and it is about to be erased).
//
// Entry: kind|flags (1), name length (1), data length (2), file
// generation (4), file offset (4), the file offset its operation began at
// (4), CRC-32 of the 16 bytes before, the name and the data (4); then the
// name, then the data.
const (
	headerSize   = 16
	sectorMagic  = 0x31736663 // "cfs1"
	entryHead    = 20
	kindData     = 0x01
	kindRemove   = 0x02
	kindMask     = 0x0F
	flagFinal    = 0x10 // the last entry of an operation
	flagFirst    = 0x20 // the first entry of an operation
	sectorFree   = 0    // erased, or to be erased before use
	sectorLive   = 1    // in the log, the head
	sectorSealed = 2    // in the log, takes no more entries
)

type sector struct {
	state uint8
	seq   uint32
	used  int // bytes from the sector's start that are the log's
	live  int // bytes of live entries
}

// extent is a piece of a file: n bytes at file offset off, the data of
// the entry at pos in sector sec.
type extent struct {
	off uint32
	sec uint16
	pos uint16
	n   uint16
}

type file struct {
	gen uint32
	ext []extent // sorted by off, contiguous from 0
}

func (f *file) size() int {
	if len(f.ext) == 0 {
		return 0
	}
	e := f.ext[len(f.ext)-1]
	return int(e.off) + int(e.n)
}

// FS is a flash file system on a region of a [Device]. It implements
// [hw.Flash] and [hw.FlashAppender].
type FS struct {
	dev      Device
	base     int64 // the region's offset in dev
	secSize  int
	wbs      int
	secs     []sector
	head     int // the sector written to, -1 if none
	seq      uint32
	gen      uint32
	files    map[string]*file
	removed  map[string]uint32 // during mount only
	page     []byte            // one sector: replay, and the pages of a write
	readBack []byte            // one entry
}

// Mount opens the file system in the size bytes of dev from offset
// (both multiples of dev's erase block size), recovering what an earlier
// boot left, and taking what holds no file system as free space. It
// needs at least MinSectors erase blocks.
func Mount(dev Device, offset, size int64) (*FS, error) {
	ebs := dev.EraseBlockSize()
	wbs := dev.WriteBlockSize()
	switch {
	case ebs <= 0 || ebs > 1<<16 || ebs&(ebs-1) != 0:
		return nil, fmt.Errorf("flashfs: erase block size %d: want a power of two up to 64 KiB", ebs)
	case ebs < headerSize+maxEntry+tailReserve+smallEntry:
		return nil, fmt.Errorf("flashfs: erase block size %d: want at least %d bytes", ebs, headerSize+maxEntry+tailReserve+smallEntry)
	case wbs <= 0 || wbs > ebs || ebs%wbs != 0 || wbs&(wbs-1) != 0:
		return nil, fmt.Errorf("flashfs: write block size %d does not divide the erase block size %d", wbs, ebs)
	case offset < 0 || offset%ebs != 0 || size%ebs != 0:
		return nil, fmt.Errorf("flashfs: region %d+%d is not aligned to %d-byte erase blocks", offset, size, ebs)
	case size/ebs < MinSectors:
		return nil, fmt.Errorf("flashfs: region of %d bytes: want at least %d erase blocks of %d bytes", size, MinSectors, ebs)
	case size/ebs > 1<<16:
		return nil, fmt.Errorf("flashfs: region of %d erase blocks: at most 65536", size/ebs)
	case offset+size > dev.Size():
		return nil, fmt.Errorf("flashfs: region %d+%d is past the device's %d bytes", offset, size, dev.Size())
	}
	f := &FS{
		dev: dev, base: offset, secSize: int(ebs), wbs: int(wbs),
		secs: make([]sector, size/ebs), head: -1,
		files: make(map[string]*file), removed: make(map[string]uint32),
		page: make([]byte, ebs), readBack: make([]byte, maxEntry),
	}
	if err := f.mount(); err != nil {
		return nil, err
	}
	f.removed = nil
	return f, nil
}

func (f *FS) addr(sec, pos int) int64 { return f.base + int64(sec)*int64(f.secSize) + int64(pos) }

func (f *FS) read(sec, pos int, p []byte) error {
	if _, err := f.dev.ReadAt(p, f.addr(sec, pos)); err != nil {
		return fmt.Errorf("flashfs: read: %w", err)
	}
	return nil
}

// mount reads every sector's header and replays the live ones in order.
func (f *FS) mount() error {
	var hdr [headerSize]byte
	var order []int
	for i := range f.secs {
		if err := f.read(i, 0, hdr[:]); err != nil {
			return err
		}
		if binary.LittleEndian.Uint32(hdr[0:]) != sectorMagic ||
			crc32.ChecksumIEEE(hdr[:8]) != binary.LittleEndian.Uint32(hdr[8:]) ||
			binary.LittleEndian.Uint32(hdr[12:]) != 0xFFFFFFFF {
			continue // erased, retired, or torn: free
		}
		f.secs[i] = sector{state: sectorLive, seq: binary.LittleEndian.Uint32(hdr[4:]), used: headerSize}
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return f.secs[order[a]].seq < f.secs[order[b]].seq })
	var tentative []pendingEntry
	for _, i := range order {
		f.seq = max(f.seq, f.secs[i].seq)
		var err error
		if tentative, err = f.replay(i, tentative); err != nil {
			return err
		}
	}
	f.seq++
	f.gen++
	for k, i := range order {
		if k == len(order)-1 && f.secs[i].state == sectorLive {
			f.head = i
		} else {
			f.secs[i].state = sectorSealed
		}
	}
	return nil
}

// pendingEntry is a data entry of an operation whose last entry is not
// yet read (or written).
type pendingEntry struct {
	name string
	gen  uint32
	ext  extent
}

// replay applies the entries of sector i to the files. tentative holds,
// in log order, the data entries read so far whose operation's last
// entry has not been read: an operation's last entry commits those of
// its file, generation and range of offsets. They need not be in the
// same sector, nor all there: the first entries of an operation may have
// been moved out of a reclaimed sector (as complete operations of their
// own). An operation's first entry drops what an earlier one, cut by a
// power cut, left at its offsets; a removal drops all of its file's.
func (f *FS) replay(i int, tentative []pendingEntry) ([]pendingEntry, error) {
	s := &f.secs[i]
	buf := f.page
	if err := f.read(i, 0, buf); err != nil {
		return nil, err
	}
	last := len(buf) - 1 // the last byte programmed
	for last >= headerSize && buf[last] == 0xFF {
		last--
	}
	pos := headerSize
	for {
		if pos > last {
			s.used = pos // the end of the log
			return tentative, nil
		}
		if !entryAt(buf, pos) {
			// Torn by a power cut: its operation is lost. The log
			// goes on at the next entry that checks, or after the
			// last byte programmed.
			q := pos + 1
			for q <= last && !entryAt(buf, q) {
				q++
			}
			pos = q
			continue
		}
		h := buf[pos : pos+entryHead]
		kind, nl, dl := h[0], int(h[1]), int(binary.LittleEndian.Uint16(h[2:]))
		end := pos + entryHead + nl + dl
		name := string(buf[pos+entryHead : pos+entryHead+nl])
		gen := binary.LittleEndian.Uint32(h[4:])
		off := binary.LittleEndian.Uint32(h[8:])
		f.gen = max(f.gen, gen)
		if kind&kindMask == kindRemove {
			tentative = dropTentative(tentative, name, 0)
			if gen > f.removed[name] {
				f.removed[name] = gen
			}
			if fl := f.files[name]; fl != nil && fl.gen <= gen {
				f.dropFile(name, fl)
			}
			pos = end
			continue
		}
		if kind&flagFirst != 0 {
			tentative = dropTentative(tentative, name, off)
		}
		tentative = append(tentative, pendingEntry{name: name, gen: gen, ext: extent{off: off, sec: uint16(i), pos: uint16(pos), n: uint16(dl)}})
		if kind&flagFinal != 0 {
			start, stop := binary.LittleEndian.Uint32(h[12:]), off+uint32(dl)
			var op []pendingEntry
			k := 0
			for _, p := range tentative {
				if p.name == name && p.gen == gen && p.ext.off >= start && p.ext.off <= off && (p.ext.off < stop || p.ext.n == 0) {
					op = append(op, p)
				} else {
					tentative[k] = p
					k++
				}
			}
			tentative = tentative[:k]
			if g, ok := f.removed[name]; !ok || gen > g {
				f.commit(op)
			}
		}
		pos = end
	}
}

// entryAt reports whether an entry that checks starts at pos of buf.
func entryAt(buf []byte, pos int) bool {
	if pos+entryHead > len(buf) {
		return false
	}
	h := buf[pos : pos+entryHead]
	kind, nl, dl := h[0], int(h[1]), int(binary.LittleEndian.Uint16(h[2:]))
	end := pos + entryHead + nl + dl
	return (kind&kindMask == kindData || kind&kindMask == kindRemove) && kind&^(kindMask|flagFirst|flagFinal) == 0 &&
		nl > 0 && nl <= MaxName && end <= len(buf) &&
		crc32.Update(crc32.ChecksumIEEE(h[:16]), crc32.IEEETable, buf[pos+entryHead:end]) == binary.LittleEndian.Uint32(h[16:])
}

// dropTentative drops the tentative entries of name at offsets from off.
func dropTentative(tentative []pendingEntry, name string, off uint32) []pendingEntry {
	k := 0
	for _, p := range tentative {
		if p.name != name || p.ext.off < off {
			tentative[k] = p
			k++
		}
	}
	return tentative[:k]
}

// entrySize is the bytes in flash of an entry of name with n bytes of data.
func entrySize(name string, n int) int { return entryHead + len(name) + n }

// commit applies the data entries of an operation to the files.
func (f *FS) commit(op []pendingEntry) {
	for _, p := range op {
		fl := f.files[p.name]
		switch {
		case fl == nil || fl.gen < p.gen:
			if fl != nil {
				f.dropFile(p.name, fl)
			}
			fl = &file{gen: p.gen}
			f.files[p.name] = fl
		case fl.gen > p.gen:
			continue // stale
		}
		f.secs[p.ext.sec].live += entrySize(p.name, int(p.ext.n))
		i := sort.Search(len(fl.ext), func(i int) bool { return fl.ext[i].off >= p.ext.off })
		if i < len(fl.ext) && fl.ext[i].off == p.ext.off {
			// A copy moved out of a sector being erased, or data
			// appended to an empty file.
			old := fl.ext[i]
			f.secs[old.sec].live -= entrySize(p.name, int(old.n))
			fl.ext[i] = p.ext
			continue
		}
		fl.ext = append(fl.ext, extent{})
		copy(fl.ext[i+1:], fl.ext[i:])
		fl.ext[i] = p.ext
	}
}

// dropFile forgets name's file, whose entries become dead.
func (f *FS) dropFile(name string, fl *file) {
	for _, e := range fl.ext {
		f.secs[e.sec].live -= entrySize(name, int(e.n))
	}
	delete(f.files, name)
}

// checkName refuses names that are not plain file names.
func checkName(op, name string) error {
	if name == "" || name == "." || name == ".." || len(name) > MaxName || strings.ContainsAny(name, "/\x00") {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return nil
}

// ReadFile returns the contents of the file name; for a file that does
// not exist the error wraps fs.ErrNotExist.
func (f *FS) ReadFile(name string) ([]byte, error) {
	if err := checkName("open", name); err != nil {
		return nil, err
	}
	fl := f.files[name]
	if fl == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	data := make([]byte, fl.size())
	for _, e := range fl.ext {
		if err := f.read(int(e.sec), int(e.pos)+entryHead+len(name), data[e.off:int(e.off)+int(e.n)]); err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
	return data, nil
}

// WriteFile writes data as the file name, replacing it if it exists.
// When the flash has no room the error wraps hw.ErrFlashFull and the file
// is as it was.
func (f *FS) WriteFile(name string, data []byte) error {
	if err := checkName("write", name); err != nil {
		return err
	}
	return f.writeData("write", name, f.gen, 0, data)
}

// AppendFile appends data to the file name, creating it if it does not
// exist. When the flash has no room the error wraps hw.ErrFlashFull and
// the file is as it was.
func (f *FS) AppendFile(name string, data []byte) error {
	if err := checkName("append", name); err != nil {
		return err
	}
	if fl := f.files[name]; fl != nil {
		if len(data) == 0 {
			return nil
		}
		return f.writeData("append", name, fl.gen, fl.size(), data)
	}
	return f.writeData("append", name, f.gen, 0, data)
}

// Remove deletes the file name; for a file that does not exist the error
// wraps fs.ErrNotExist.
func (f *FS) Remove(name string) error {
	if err := checkName("remove", name); err != nil {
		return err
	}
	fl := f.files[name]
	if fl == nil {
		return &fs.PathError{Op: "remove", Path: name, Err: fs.ErrNotExist}
	}
	if err := f.writeOp(name, kindRemove, fl.gen, 0, nil, 0); err != nil {
		return &fs.PathError{Op: "remove", Path: name, Err: err}
	}
	f.dropFile(name, fl)
	return nil
}

// writeData writes data at file offset off of generation gen of name, as
// one operation, and applies it.
func (f *FS) writeData(op, name string, gen uint32, off int, data []byte) error {
	if uint64(off)+uint64(len(data)) > 1<<32-1 {
		return &fs.PathError{Op: op, Path: name, Err: fmt.Errorf("%w: a file of %d bytes", hw.ErrFlashFull, off+len(data))}
	}
	reserve := tailReserve + smallEntry
	if op == "write" && entrySize(name, len(data)) <= smallEntry {
		reserve = tailReserve
	}
	if err := f.writeOp(name, kindData, gen, off, data, reserve); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	if gen == f.gen {
		f.gen++
	}
	return nil
}

// Stats says how a file system's space is used.
type Stats struct {
	Sectors    int // erase blocks in the region
	SectorSize int // bytes in each
	Free       int // erase blocks free, one of which is kept for moving live entries
	Live       int // bytes of live entries, headers included
	Files      int
}

// Stats returns how the space is used.
func (f *FS) Stats() Stats {
	s := Stats{Sectors: len(f.secs), SectorSize: f.secSize, Files: len(f.files)}
	for _, sec := range f.secs {
		if sec.state == sectorFree {
			s.Free++
		}
		s.Live += sec.live
	}
	return s
}

// Names returns the names of the files, sorted.
func (f *FS) Names() []string {
	names := make([]string, 0, len(f.files))
	for n := range f.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

var (
	_ hw.Flash         = (*FS)(nil)
	_ hw.FlashAppender = (*FS)(nil)
)
