package flashfs_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"testing"

	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/hw/flashfs"
)

// The RP2040's geometry: 4 KB erase blocks, 256-byte write blocks.
const (
	ebs = 4096
	wbs = 256
)

func mount(t *testing.T, d *nor, sectors int) *flashfs.FS {
	t.Helper()
	f, err := flashfs.Mount(d, int64(ebs), int64(sectors*ebs))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// equal checks that f holds exactly the files of want.
func equal(t *testing.T, f *flashfs.FS, want map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	slices.Sort(names)
	if got := f.Names(); !slices.Equal(got, names) {
		t.Fatalf("files %q, want %q", got, names)
	}
	for _, n := range names {
		got, err := f.ReadFile(n)
		if err != nil || !bytes.Equal(got, want[n]) {
			t.Fatalf("%s: %d bytes %q…, %v; want %d bytes %q…", n, len(got), head(got), err, len(want[n]), head(want[n]))
		}
	}
}

func head(b []byte) []byte { return b[:min(len(b), 24)] }

func TestReadWriteAppendRemove(t *testing.T) {
	d := newNOR(16*ebs, wbs, ebs)
	f := mount(t, d, 8) // the region starts one block in
	if _, err := f.ReadFile("boots.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
	if err := f.Remove("boots.txt"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Remove of a missing file: %v", err)
	}
	for _, name := range []string{"", ".", "..", "a/b", "nul\x00", string(make([]byte, flashfs.MaxName+1))} {
		if err := f.WriteFile(name, nil); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("WriteFile(%q): %v", name, err)
		}
	}
	big := bytes.Repeat([]byte("0123456789abcdef"), 200) // 3,200 bytes: several entries
	steps := []struct {
		do   func() error
		want map[string][]byte
	}{
		{func() error { return f.WriteFile("boots.txt", []byte("1")) }, map[string][]byte{"boots.txt": []byte("1")}},
		{func() error { return f.WriteFile("boots.txt", []byte("2")) }, map[string][]byte{"boots.txt": []byte("2")}},
		{func() error { return f.AppendFile("log", []byte("a")) }, map[string][]byte{"boots.txt": []byte("2"), "log": []byte("a")}},
		{func() error { return f.AppendFile("log", []byte("bc")) }, map[string][]byte{"boots.txt": []byte("2"), "log": []byte("abc")}},
		{func() error { return f.WriteFile("empty", nil) }, map[string][]byte{"boots.txt": []byte("2"), "log": []byte("abc"), "empty": {}}},
		{func() error { return f.WriteFile("big", big) }, map[string][]byte{"boots.txt": []byte("2"), "log": []byte("abc"), "empty": {}, "big": big}},
		{func() error { return f.Remove("log") }, map[string][]byte{"boots.txt": []byte("2"), "empty": {}, "big": big}},
		{func() error { return f.AppendFile("empty", []byte("x")) }, map[string][]byte{"boots.txt": []byte("2"), "empty": []byte("x"), "big": big}},
		{func() error { return f.AppendFile("log", []byte("new")) }, map[string][]byte{"boots.txt": []byte("2"), "empty": []byte("x"), "big": big, "log": []byte("new")}},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		equal(t, f, s.want)
		equal(t, mount(t, d.clone(), 8), s.want) // what a reboot finds
	}
	// The region is the file system's: the blocks around it are untouched.
	for i, c := range append(d.mem[:ebs:ebs], d.mem[9*ebs:]...) {
		if c != 0xFF {
			t.Fatalf("byte %d outside the region written", i)
		}
	}
}

// model is what a file system should hold, changed by the same
// operations.
type model map[string][]byte

func (m model) clone() model {
	c := model{}
	for k, v := range m {
		c[k] = append([]byte{}, v...)
	}
	return c
}

// op is one operation of a workload, on a file system and on its model.
type op struct {
	name string
	kind byte // 'w' write, 'a' append, 'r' remove
	data []byte
}

func (o op) String() string { return fmt.Sprintf("%c %s %d bytes", o.kind, o.name, len(o.data)) }

// apply does o on f and, if it succeeds, on m.
func (o op) apply(f *flashfs.FS, m model) error {
	var err error
	switch o.kind {
	case 'w':
		err = f.WriteFile(o.name, o.data)
	case 'a':
		err = f.AppendFile(o.name, o.data)
	case 'r':
		err = f.Remove(o.name)
	}
	if err == nil {
		o.model(m)
	}
	return err
}

// model does o on m.
func (o op) model(m model) {
	switch o.kind {
	case 'w':
		m[o.name] = append([]byte{}, o.data...)
	case 'a':
		m[o.name] = append(m[o.name], o.data...)
	case 'r':
		delete(m, o.name)
	}
}

// outboxLike is a workload like an mqtt.Outbox's: records appended to
// segment files, an acknowledged mark written to two slots in turn, old
// segments removed, and now and then a larger file rewritten.
func outboxLike(seed uint64, n int) []op {
	r := rand.New(rand.NewPCG(seed, 1))
	var ops []op
	first, last, size := 1, 1, 0
	for len(ops) < n {
		rec := make([]byte, 40+r.IntN(80))
		for i := range rec {
			rec[i] = byte(r.Uint32())
		}
		ops = append(ops, op{fmt.Sprintf("seg.%d", last), 'a', rec})
		if size += len(rec); size > 1024 {
			last, size = last+1, 0
		}
		switch x := r.IntN(20); {
		case x < 5:
			mark := make([]byte, 16)
			mark[0] = byte(len(ops))
			ops = append(ops, op{fmt.Sprintf("ack%d", len(ops)%2), 'w', mark})
		case last-first > 3:
			ops = append(ops, op{fmt.Sprintf("seg.%d", first), 'r', nil})
			first++
		case x == 6:
			ops = append(ops, op{"settings", 'w', bytes.Repeat([]byte{byte(len(ops))}, 600+r.IntN(1200))})
		}
	}
	return ops
}

// A long outbox-like workload on 8 blocks: the oldest blocks' live
// entries are moved again and again, every block is erased about as often
// as every other, and a reboot at any point finds every file.
func TestWorkloadAndWear(t *testing.T) {
	d := newNOR(8*ebs, wbs, ebs)
	f, err := flashfs.Mount(d, 0, 8*ebs)
	if err != nil {
		t.Fatal(err)
	}
	m := model{}
	for i, o := range outboxLike(1, 20000) {
		if err := o.apply(f, m); err != nil {
			t.Fatalf("op %d %v: %v", i, o, err)
		}
		if i%997 == 0 {
			g, err := flashfs.Mount(d.clone(), 0, 8*ebs)
			if err != nil {
				t.Fatal(err)
			}
			equal(t, g, m)
		}
	}
	equal(t, f, m)
	lo, hi := slices.Min(d.erases), slices.Max(d.erases)
	if lo < 50 || hi-lo > 2 {
		t.Errorf("erases per block %v: want them even", d.erases)
	}
	t.Logf("erases per block %v; %+v", d.erases, f.Stats())
}

// A write that does not fit fails with hw.ErrFlashFull and changes
// nothing; once a file is removed, it fits.
func TestFull(t *testing.T) {
	d := newNOR(4*ebs, wbs, ebs)
	f, err := flashfs.Mount(d, 0, 4*ebs)
	if err != nil {
		t.Fatal(err)
	}
	m := model{}
	data := bytes.Repeat([]byte("x"), 1000)
	var full error
	n := 0
	for ; n < 100; n++ {
		o := op{fmt.Sprintf("f%d", n), 'w', data}
		if full = o.apply(f, m); full != nil {
			break
		}
	}
	if !errors.Is(full, hw.ErrFlashFull) {
		t.Fatalf("after %d files: %v, want hw.ErrFlashFull", n, full)
	}
	var pe *fs.PathError
	if !errors.As(full, &pe) || pe.Op != "write" || pe.Path != fmt.Sprintf("f%d", n) {
		t.Errorf("error %v: want a *fs.PathError naming the write and file", full)
	}
	// Three blocks of 3,784 bytes below their reserves (the fourth is
	// kept erased); a file of a kilobyte is eight entries with 22-byte
	// headers, 1,176 bytes: nine fit.
	if n != 9 {
		t.Errorf("%d files fit, want 9", n)
	}
	equal(t, f, m)
	if err := f.AppendFile("f0", data); !errors.Is(err, hw.ErrFlashFull) {
		t.Errorf("append to a full flash: %v", err)
	}
	equal(t, f, m)
	equal(t, mount0(t, d.clone(), 4), m)
	// Moves put whole entries in a block: what a removal gives back
	// fits the same write once block ends are counted.
	for _, name := range []string{"f3", "f4"} {
		if err := (op{name, 'r', nil}).apply(f, m); err != nil {
			t.Fatal(err)
		}
	}
	if err := (op{"again", 'w', data}).apply(f, m); err != nil {
		t.Fatalf("after a removal: %v", err)
	}
	equal(t, f, m)
	equal(t, mount0(t, d.clone(), 4), m)
}

func mount0(t *testing.T, d *nor, sectors int) *flashfs.FS {
	t.Helper()
	f, err := flashfs.Mount(d, 0, int64(sectors*ebs))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A power cut at any byte of any write or erase, moves of live entries
// included, loses at most the operation it stopped: a reboot finds every
// other file as it was, and that one before or after the operation. The
// file system then goes on, and a second reboot finds what it wrote.
func TestPowerCutAtEveryByte(t *testing.T) {
	const sectors = 6
	ops := outboxLike(2, 1200)
	warm, cut := ops[:1000], ops[1000:]
	d := newNOR(sectors*ebs, wbs, ebs)
	f := mount0(t, d, sectors)
	base := model{}
	for i, o := range warm {
		if err := o.apply(f, base); err != nil {
			t.Fatalf("op %d %v: %v", i, o, err)
		}
	}
	// How much the rest programs, uncut.
	probe := d.clone()
	pf := mount0(t, probe, sectors)
	before := probe.programmed
	for _, o := range cut {
		if err := o.apply(pf, base.clone()); err != nil {
			t.Fatal(err)
		}
	}
	total := probe.programmed - before
	// Every byte takes a minute: a prime step, unless asked.
	step := 37
	if testing.Short() || race {
		step = 211
	}
	if os.Getenv("COOP_FLASHFS_EVERY_BYTE") == "1" {
		step = 1
	}
	// Every step-th byte, and every byte around each erase: the retire
	// mark before it, the erase, the new block's header after it.
	cuts := map[int]bool{}
	for at := 0; at < total; at += step {
		cuts[at] = true
	}
	for _, e := range probe.eraseAt {
		for at := e - before - 6; at <= e-before+20; at++ {
			if at >= 0 && at < total {
				cuts[at] = true
			}
		}
	}
	var ats []int
	for at := range cuts {
		ats = append(ats, at)
	}
	slices.Sort(ats)
	erasesCut := 0
	for _, at := range ats {
		dd := d.clone()
		ff := mount0(t, dd, sectors)
		m := base.clone()
		dd.cut = at
		var prev model
		var torn op
		for _, o := range cut {
			prev = m.clone()
			err := o.apply(ff, m)
			if errors.Is(err, errPowerCut) {
				torn = o
				break
			}
			if err != nil {
				t.Fatalf("cut at %d: %v: %v", at, o, err)
			}
		}
		if !dd.dead {
			t.Fatalf("cut at %d of %d: the power never went", at, total)
		}
		if dd.cutErase {
			erasesCut++
		}
		// Reboot.
		after := prev.clone()
		torn.model(after)
		rb := dd.clone()
		g := mount0(t, rb, sectors)
		got := model{}
		for _, n := range g.Names() {
			got[n], _ = g.ReadFile(n)
		}
		if !sameModel(got, prev) && !sameModel(got, after) {
			t.Fatalf("cut at %d of %d, in %v: the reboot finds neither the files before it nor after", at, total, torn)
		}
		// It goes on: a few more operations, and a second reboot.
		for _, o := range outboxLike(uint64(at)+3, 30) {
			if err := o.apply(g, got); err != nil {
				t.Fatalf("cut at %d, after the reboot: %v: %v", at, o, err)
			}
		}
		equal(t, mount0(t, rb.clone(), sectors), got)
	}
	if erasesCut == 0 {
		t.Errorf("no cut fell in an erase: make the workload move live entries")
	}
	t.Logf("%d cuts over %d bytes programmed and %d erases, %d in an erase", len(ats), total, len(probe.eraseAt), erasesCut)
}

// sameModel: the same files.
func sameModel(a, b model) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

// However full the file system, whatever the head's last free bytes, a
// file can be removed, and the room it gave back is used again.
func TestRemoveWhenFull(t *testing.T) {
	for tail := 1; tail <= 40; tail++ {
		d := newNOR(4*ebs, wbs, ebs)
		f := mount0(t, d, 4)
		m := model{}
		for i := 0; ; i++ {
			err := (op{fmt.Sprintf("f%d", i), 'w', bytes.Repeat([]byte("x"), 400)}).apply(f, m)
			if errors.Is(err, hw.ErrFlashFull) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		// Small appends until the head has but a few bytes.
		for (op{"z", 'a', bytes.Repeat([]byte("y"), tail)}).apply(f, m) == nil {
		}
		for _, name := range []string{"f0", "z", "f1"} {
			if err := (op{name, 'r', nil}).apply(f, m); err != nil {
				t.Fatalf("tail %d: full (%+v): remove %s: %v", tail, f.Stats(), name, err)
			}
		}
		if err := (op{"again", 'w', bytes.Repeat([]byte("w"), 400)}).apply(f, m); err != nil {
			t.Fatalf("tail %d: write after removals: %v", tail, err)
		}
		equal(t, f, m)
		equal(t, mount0(t, d.clone(), 4), m)
	}
}
