package mqtt_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/mqtt"
	"github.com/coopgo/coop/sim"
)

func flashBoard(t *testing.T, kind string) (*sim.Board, hw.Flash) {
	t.Helper()
	l := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { l.Close() })
	b, err := sim.NewBoard(l, kind, sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := b.Flash()
	if err != nil {
		t.Fatal(err)
	}
	return b, f
}

func seqs(o *mqtt.Outbox, t *testing.T) []uint64 {
	t.Helper()
	var s []uint64
	for {
		st := o.Stats()
		if st.Pending == 0 {
			return s
		}
		// Read the pending records without a loop: Next returns at once
		// when one is pending.
		var r mqtt.Record
		l := coop.NewLoop(coop.WithVirtualClock())
		l.RunUntilComplete(l.Spawn("peek", func(t *coop.Task) error {
			var err error
			r, err = o.Next(t)
			return err
		}))
		l.Close()
		s = append(s, r.Seq)
		if err := o.Ack(r.Seq); err != nil {
			t.Fatal(err)
		}
	}
}

func pendingSeqs(t *testing.T, f hw.Flash, cfg mqtt.OutboxConfig) []uint64 {
	t.Helper()
	o, err := mqtt.OpenOutbox(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return seqs(o, t)
}

func TestOutboxRecovers(t *testing.T) {
	_, f := flashBoard(t, "pico2w")
	cfg := mqtt.OutboxConfig{SegmentSize: 256, Capacity: 1024}
	o, err := mqtt.OpenOutbox(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		seq, err := o.Append("coop/d/temp", time.Duration(i)*time.Second, []byte(fmt.Sprintf(`{"i":%d}`, i)))
		if err != nil || seq != uint64(i) {
			t.Fatalf("Append #%d = %d, %v", i, seq, err)
		}
	}
	if err := o.Ack(4); err != nil {
		t.Fatal(err)
	}
	// A new boot finds 5..10, and numbers on from 11.
	o2, err := mqtt.OpenOutbox(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if st := o2.Stats(); st.Pending != 6 || st.Acked != 4 || st.NextSeq != 11 {
		t.Errorf("stats after reopening %+v", st)
	}
	if got := seqs(o2, t); !slices.Equal(got, []uint64{5, 6, 7, 8, 9, 10}) {
		t.Errorf("pending %v", got)
	}
	if st := o2.Stats(); st.Segments != 1 {
		t.Errorf("segments once all is acknowledged: %d, want 1", st.Segments)
	}
}

// A power cut at any byte of an append loses at most that record, and the
// outbox goes on after it; at any byte of the acknowledged mark, it loses
// nothing (records come again at worst).
func TestOutboxPowerCutAtEveryByte(t *testing.T) {
	cfg := mqtt.OutboxConfig{SegmentSize: 128, Capacity: 1024}
	const recordSize = 3 + 17 + len("coop/d/t") + len(`{"n":1}`) + 4
	for cut := 0; cut <= recordSize; cut++ {
		b, f := flashBoard(t, "pico2w")
		o, _ := mqtt.OpenOutbox(f, cfg)
		for i := 1; i <= 3; i++ {
			o.Append("coop/d/t", 0, []byte(`{"n":1}`))
		}
		b.CutPowerDuringWrite(cut)
		_, err := o.Append("coop/d/t", 0, []byte(`{"n":1}`))
		want := []uint64{1, 2, 3}
		if cut == recordSize {
			want = append(want, 4) // the cut came after the last byte
		} else if !errors.Is(err, hw.ErrPowerLost) {
			t.Fatalf("cut at %d: torn append = %v", cut, err)
		}
		o2, err := mqtt.OpenOutbox(f, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if seq, err := o2.Append("coop/d/t", 0, []byte(`{"n":2}`)); err != nil || seq != uint64(len(want)+1) {
			t.Fatalf("cut at %d: append after = %d, %v", cut, seq, err)
		}
		want = append(want, uint64(len(want)+1))
		if got := pendingSeqs(t, f, cfg); !slices.Equal(got, want) {
			t.Errorf("cut at %d byte(s): pending %v, want %v", cut, got, want)
		}
	}
	for cut := 0; cut <= 16; cut++ {
		b, f := flashBoard(t, "pico2w")
		o, _ := mqtt.OpenOutbox(f, cfg)
		for i := 1; i <= 5; i++ {
			o.Append("coop/d/t", 0, []byte(`{"n":1}`))
		}
		o.Ack(2)
		b.CutPowerDuringWrite(cut)
		o.Ack(4)
		got := pendingSeqs(t, f, cfg)
		if !slices.Equal(got, []uint64{5}) && !slices.Equal(got, []uint64{3, 4, 5}) {
			t.Errorf("ack torn at %d: pending %v, want [5] or [3 4 5]", cut, got)
		}
	}
}

func TestOutboxFull(t *testing.T) {
	_, f := flashBoard(t, "pico2w")
	cfg := mqtt.OutboxConfig{SegmentSize: 128, Capacity: 256}
	o, _ := mqtt.OpenOutbox(f, cfg)
	for i := 0; i < 20; i++ {
		if _, err := o.Append("coop/d/t", 0, []byte(`{"n":1}`)); err != nil {
			t.Fatal(err)
		}
	}
	st := o.Stats()
	if st.Dropped == 0 || st.Pending+st.Dropped != 20 || st.FlashUsed > 256 {
		t.Errorf("drop oldest: %+v", st)
	}
	got := seqs(o, t)
	if got[len(got)-1] != 20 || !slices.IsSorted(got) {
		t.Errorf("kept %v, want the newest", got)
	}

	_, f2 := flashBoard(t, "pico2w")
	cfg.Policy = mqtt.DropNewest
	o2, _ := mqtt.OpenOutbox(f2, cfg)
	var full error
	n := 0
	for i := 0; i < 20 && full == nil; i++ {
		_, full = o2.Append("coop/d/t", 0, []byte(`{"n":1}`))
		n++
	}
	if !errors.Is(full, mqtt.ErrOutboxFull) || o2.Stats().Dropped != 1 {
		t.Errorf("drop newest after %d: %v, %+v", n, full, o2.Stats())
	}
	if got := seqs(o2, t); got[0] != 1 {
		t.Errorf("kept %v, want the oldest", got)
	}
}
