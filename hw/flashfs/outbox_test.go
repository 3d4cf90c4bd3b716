package flashfs_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/mqtt"
)

// An mqtt.Outbox on the board's flash file system: readings appended and
// acknowledged, with the power cut at bytes all through it (appends,
// acknowledged marks, segments removed, blocks reclaimed). After each
// cut, the outbox the next boot opens has every reading that was appended
// and not acknowledged, with its data, in order.
func TestOutboxPowerCut(t *testing.T) {
	const sectors = 8
	cfg := mqtt.OutboxConfig{Capacity: 8 << 10, SegmentSize: 1 << 10}
	type reading struct {
		seq  uint64
		data string
	}
	// run appends n readings, acknowledging all but the last few every
	// fifth one, and returns those appended and the acknowledged mark;
	// it stops at the first error.
	run := func(o *mqtt.Outbox, n int) (kept []reading, acked uint64, err error) {
		for i := 0; i < n; i++ {
			data := fmt.Sprintf(`{"temp":%d}`, 20+i%7)
			seq, err := o.Append("coop/pico/temp", time.Duration(i)*2*time.Second, []byte(data))
			if err != nil {
				return kept, acked, err
			}
			kept = append(kept, reading{seq, data})
			if i%5 == 4 {
				if err := o.Ack(seq - 2); err != nil {
					return kept, acked, err
				}
				acked = seq - 2
			}
		}
		return kept, acked, nil
	}
	d := newNOR(sectors*ebs, wbs, ebs)
	f := mount0(t, d, sectors)
	o, err := mqtt.OpenOutbox(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	warm, _, err := run(o, 300) // blocks moved and erased already
	if err != nil {
		t.Fatal(err)
	}
	probe := d.clone()
	po, err := mqtt.OpenOutbox(mount0(t, probe, sectors), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(po, 200); err != nil {
		t.Fatal(err)
	}
	total := probe.programmed - d.programmed
	step := 23
	if testing.Short() || race {
		step = 101
	}
	cuts := 0
	for at := 0; at < total; at += step {
		dd := d.clone()
		o, err := mqtt.OpenOutbox(mount0(t, dd, sectors), cfg)
		if err != nil {
			t.Fatal(err)
		}
		dd.cut = at
		kept, acked, err := run(o, 200)
		if !errors.Is(err, errPowerCut) {
			t.Fatalf("cut at %d of %d: %v", at, total, err)
		}
		cuts++
		// The next boot.
		o2, err := mqtt.OpenOutbox(mount0(t, dd.clone(), sectors), cfg)
		if err != nil {
			t.Fatalf("cut at %d: %v", at, err)
		}
		st := o2.Stats()
		if st.Acked < acked {
			t.Fatalf("cut at %d: acknowledged mark %d, want at least %d", at, st.Acked, acked)
		}
		var want []reading
		for _, r := range append(warm[:len(warm):len(warm)], kept...) {
			if r.seq > st.Acked {
				want = append(want, r)
			}
		}
		if st.Pending < len(want) || st.Dropped != 0 || st.Torn > 1 {
			t.Fatalf("cut at %d: %+v; want %d pending at least, none dropped, at most one torn", at, st, len(want))
		}
		// The pending records, oldest first: the ones kept, then perhaps
		// the one whose append the cut stopped after its bytes were in.
		got := pending(t, o2, st.Pending)
		for i, r := range want {
			if got[i].Seq != r.seq || string(got[i].Data) != r.data {
				t.Fatalf("cut at %d: pending #%d is %d %q, want %d %q", at, i, got[i].Seq, got[i].Data, r.seq, r.data)
			}
		}
	}
	t.Logf("%d cuts over %d bytes programmed and %d erases", cuts, total, len(probe.eraseAt))
}

// pending returns the n records o has pending, oldest first, acknowledging
// each to see the next.
func pending(t *testing.T, o *mqtt.Outbox, n int) []mqtt.Record {
	t.Helper()
	var recs []mqtt.Record
	err := coop.Run(func(t *coop.Task) error {
		for len(recs) < n {
			r, err := o.Next(t) // at once: one is pending
			if err != nil {
				return err
			}
			recs = append(recs, r)
			if err := o.Ack(r.Seq); err != nil {
				return err
			}
		}
		return nil
	}, coop.WithVirtualClock())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// An outbox whose capacity is more than the flash: when the flash is
// full, the outbox drops its oldest segment (its DropOldest policy) and
// goes on, every time.
func TestOutboxLargerThanFlash(t *testing.T) {
	d := newNOR(8*ebs, wbs, ebs)
	f := mount0(t, d, 8)
	o, err := mqtt.OpenOutbox(f, mqtt.OutboxConfig{Capacity: 1 << 20, SegmentSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5000; i++ {
		if _, err := o.Append("coop/dev/temp", 0, []byte(fmt.Sprintf(`{"temp":%d}`, i%50))); err != nil {
			t.Fatalf("append %d: %v (outbox %+v, flash %+v)", i, err, o.Stats(), f.Stats())
		}
	}
	st := o.Stats()
	if st.Dropped == 0 || st.NextSeq != 5001 || uint64(st.Pending)+uint64(st.Dropped) != 5000 {
		t.Errorf("outbox %+v: want 5,000 readings kept or dropped, some dropped", st)
	}
	o2, err := mqtt.OpenOutbox(mount0(t, d.clone(), 8), mqtt.OutboxConfig{Capacity: 1 << 20, SegmentSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if st2 := o2.Stats(); st2.Pending != st.Pending || st2.NextSeq != st.NextSeq {
		t.Errorf("after a reboot %+v, want %d pending up to #%d", st2, st.Pending, st.NextSeq-1)
	}
}
