package flashfs_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/coopgo/coop/hw/flashfs"
)

// smallGen makes a workload like outboxLike's at a tenth of the size, for
// 2 KB blocks, one operation at a time: a copy of it goes on with the
// same operations, and it keeps nothing but its state, for TinyGo's 64 KB
// of RAM on cortex-m-qemu.
type smallGen struct {
	x                 uint64 // xorshift state
	n                 int
	first, last, size int
	queue             [2]op
	queued            int
}

func (g *smallGen) rand(n int) int {
	g.x ^= g.x << 13
	g.x ^= g.x >> 7
	g.x ^= g.x << 17
	return int(g.x % uint64(n))
}

func (g *smallGen) next() op {
	if g.queued > 0 {
		g.queued--
		return g.queue[g.queued]
	}
	g.n++
	rec := make([]byte, 20+g.rand(40))
	for i := range rec {
		// Letters: random bytes look like pointers to TinyGo's
		// conservative collector, which then keeps garbage.
		rec[i] = byte('a' + g.rand(26))
	}
	o := op{fmt.Sprintf("seg.%d", g.last), 'a', rec}
	if g.size += len(rec); g.size > 300 {
		g.last, g.size = g.last+1, 0
	}
	switch x := g.rand(10); {
	case g.last-g.first > 2:
		g.queue[0], g.queued = op{fmt.Sprintf("seg.%d", g.first), 'r', nil}, 1
		g.first++
	case x < 3:
		g.queue[0], g.queued = op{fmt.Sprintf("ack%d", g.n%2), 'w', []byte(fmt.Sprintf("%016d", g.n))}, 1
	case x == 3:
		g.queue[0], g.queued = op{"settings", 'w', make([]byte, 100+g.rand(150))}, 1
	}
	return o
}

// smallFS runs 1,000 operations of a small workload on four 2 KB blocks
// (256-byte write blocks), blocks reclaimed all the time, and returns the
// flash, the model of what it holds and the workload, to go on with.
func smallFS(t *testing.T) (d *nor, m model, gen smallGen) {
	t.Helper()
	d = newNOR(smallSectors*smallEBS, 256, smallEBS)
	f := mountSmall(t, d)
	m = model{}
	gen = smallGen{x: 88172645463325252, first: 1, last: 1}
	for i := 0; i < 1000; i++ {
		if o := gen.next(); o.apply(f, m) != nil {
			t.Fatalf("op %d %v: %v", i, o, o.apply(f, m))
		}
	}
	return d, m, gen
}

const smallEBS, smallSectors = 2048, 4

func mountSmall(t *testing.T, d *nor) *flashfs.FS {
	t.Helper()
	f, err := flashfs.Mount(d, 0, smallSectors*smallEBS)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The workload on small blocks, small enough to run under TinyGo on
// cortex-m-qemu's 64 KB of RAM (scripts/tinygo-check.sh runs it there: the
// file system built for a 32-bit Cortex-M): every block is erased about
// as often as every other, and a reboot finds every file.
func TestSmallBlocksWorkload(t *testing.T) {
	d, m, _ := smallFS(t)
	equal(t, mountSmall(t, d), m) // a second mount reads what a reboot would
	if lo, hi := slices.Min(d.erases), slices.Max(d.erases); lo < 8 || hi-lo > 2 {
		t.Errorf("erases per block %v: want them even", d.erases)
	}
}

// On small blocks, a power cut at bytes all through more of the
// workload, around every erase especially: each reboot finds the files
// as before or after the operation cut. (Under TinyGo on cortex-m-qemu
// its flash copies do not fit in the heap.)
func TestPowerCutSmallBlocks(t *testing.T) {
	d, m, gen := smallFS(t)
	dd := d.clone()
	pf := mountSmall(t, dd)
	pg, pm := gen, m.clone()
	for i := 0; i < 150; i++ {
		if err := pg.next().apply(pf, pm); err != nil {
			t.Fatal(err)
		}
	}
	before := d.programmed
	total := dd.programmed - before
	eraseAt := dd.eraseAt
	// Every 13th byte, and every byte around each erase.
	every := 13
	if race {
		every = 61
	}
	cutAt := func(at int) bool {
		for _, e := range eraseAt {
			if at >= e-before-6 && at <= e-before+20 {
				return true
			}
		}
		return at%every == 0
	}
	cuts, inErase := 0, 0
	for at := 0; at < total; at++ {
		if !cutAt(at) {
			continue
		}
		dd.restore(d)
		ff := mountSmall(t, dd)
		dd.cut = at
		mm := m.clone()
		var prev model
		var torn op
		g := gen
		for i := 0; i < 150; i++ {
			o := g.next()
			prev = mm.clone()
			err := o.apply(ff, mm)
			if errors.Is(err, errPowerCut) {
				torn = o
				break
			}
			if err != nil {
				t.Fatalf("cut at %d: %v: %v", at, o, err)
			}
		}
		cuts++
		if dd.cutErase {
			inErase++
		}
		dd.powerOn()
		after := prev.clone()
		torn.model(after)
		rb := mountSmall(t, dd)
		got := model{}
		for _, n := range rb.Names() {
			got[n], _ = rb.ReadFile(n)
		}
		if !sameModel(got, prev) && !sameModel(got, after) {
			t.Fatalf("cut at %d of %d, in %v: the reboot finds neither the files before it nor after", at, total, torn)
		}
	}
	if inErase == 0 {
		t.Error("no cut fell in an erase")
	}
	t.Logf("%d cuts over %d bytes programmed and erases, %d in an erase", cuts, total, inErase)
}
