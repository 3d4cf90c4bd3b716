package flashfs_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"testing"

	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/hw/flashfs"
)

// Random operations on a small, mostly full file system, with a power cut
// armed at a random byte before one operation in eight: after each cut a
// remount shows every file as the model has it, but the one being changed,
// which is as before or after the operation; a removal never fails for
// want of room.
func TestNearFullRandomCuts(t *testing.T) { nearFull(t, 60, true) }

// The same operations without cuts.
func TestNearFullNoCuts(t *testing.T) { nearFull(t, 20, false) }

func nearFull(t *testing.T, seeds uint64, cuts bool) {
	if race {
		seeds = max(seeds/10, 2)
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		const sectors = 5
		d := newNOR(sectors*ebs, wbs, ebs)
		f, err := flashfs.Mount(d, 0, sectors*ebs)
		if err != nil {
			t.Fatal(err)
		}
		m := model{}
		names := []string{"a", "outbox.1", "outbox.ack0", "settings.json", "x-longer-name-here-0123456789"}
		ncuts := 0
		for i := 0; i < 1500; i++ {
			o := op{name: names[r.IntN(len(names))]}
			switch k := r.IntN(10); {
			case k < 4:
				o.kind = 'a'
			case k < 8:
				o.kind = 'w'
			default:
				o.kind = 'r'
			}
			if o.kind != 'r' {
				n := r.IntN(1600)
				if r.IntN(3) > 0 {
					n = r.IntN(80)
				}
				o.data = bytes.Repeat([]byte{byte('A' + i%26)}, n)
			}
			before := m.clone()
			cut := r.IntN(8) == 0 && cuts
			if cut {
				d.cut = r.IntN(2000)
			}
			err := o.apply(f, m)
			if cut && d.dead {
				ncuts++
				d = d.clone()
				f, err = flashfs.Mount(d, 0, sectors*ebs)
				if err != nil {
					t.Fatalf("seed %d op %d (%v): remount after cut: %v", seed, i, o, err)
				}
				after := before.clone()
				o.model(after)
				got := map[string][]byte{}
				for _, n := range f.Names() {
					b, err := f.ReadFile(n)
					if err != nil {
						t.Fatal(err)
					}
					got[n] = b
				}
				switch {
				case sameModel(got, before):
					m = before
				case sameModel(got, after):
					m = after
				default:
					t.Fatalf("seed %d op %d (%v) cut: files are neither before nor after:\ngot %v", seed, i, o, summary(got))
				}
				continue
			}
			d.cut = -1
			if err != nil {
				if o.kind == 'r' && errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if !errors.Is(err, hw.ErrFlashFull) {
					t.Fatalf("seed %d op %d (%v): %v", seed, i, o, err)
				}
				if o.kind == 'r' {
					g, merr := flashfs.Mount(d.clone(), 0, sectors*ebs)
					if merr == nil {
						t.Logf("after a remount: Remove: %v, %+v", g.Remove(o.name), g.Stats())
					}
					t.Fatalf("seed %d op %d: a remove failed on a full flash: %v (%+v)", seed, i, err, f.Stats())
				}
			}
			if i%97 == 0 {
				c := d.clone()
				g, err := flashfs.Mount(c, 0, sectors*ebs)
				if err != nil {
					t.Fatal(err)
				}
				equal(t, g, m)
			}
		}
		equal(t, f, m)
		if seed == 1 {
			t.Logf("seed 1: %d cuts, %+v", ncuts, f.Stats())
		}
	}
}

func summary(m map[string][]byte) string {
	s := ""
	for k, v := range m {
		s += fmt.Sprintf("%s:%d ", k, len(v))
	}
	return s
}
