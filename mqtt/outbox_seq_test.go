package mqtt_test

import (
	"testing"

	"github.com/coopgo/coop/mqtt"
)

// A number is never given twice, across reopenings (a reset): not when
// every record was acknowledged and the segments removed, not when the
// outbox dropped its oldest, not when a record was torn.
func TestOutboxNumbersNeverReused(t *testing.T) {
	cfg := mqtt.OutboxConfig{SegmentSize: 128, Capacity: 256}
	b, f := flashBoard(t, "pico2w")
	next := uint64(1)
	appendN := func(o *mqtt.Outbox, n int) {
		t.Helper()
		for range n {
			seq, err := o.Append("coop/d/t", 0, []byte(`1`))
			if err != nil || seq != next {
				t.Fatalf("Append = #%d, %v; want #%d", seq, err, next)
			}
			next++
		}
	}
	reopen := func() *mqtt.Outbox {
		t.Helper()
		o, err := mqtt.OpenOutbox(f, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if st := o.Stats(); st.NextSeq != next {
			t.Fatalf("reopened: next #%d, want #%d (%+v)", st.NextSeq, next, st)
		}
		return o
	}
	o := reopen()
	appendN(o, 7) // three segments
	if err := o.Ack(7); err != nil {
		t.Fatal(err)
	}
	o = reopen()   // all acknowledged
	appendN(o, 20) // drops the oldest
	if o.Stats().Dropped == 0 {
		t.Fatalf("nothing dropped: %+v", o.Stats())
	}
	o = reopen()
	if err := o.Ack(next - 1); err != nil {
		t.Fatal(err)
	}
	o = reopen()
	appendN(o, 1)
	// A record torn at its first byte, then at its tenth: the number was
	// never kept, and is given again.
	for _, at := range []int{0, 10} {
		b.CutPowerDuringWrite(at)
		if _, err := o.Append("coop/d/t", 0, []byte(`1`)); err == nil {
			t.Fatal("Append through a power cut = nil error")
		}
		o = reopen()
	}
	appendN(o, 3)
	if got := seqs(reopen(), t); len(got) != 4 || got[0] != next-4 || got[3] != next-1 {
		t.Errorf("pending %v, want #%d–#%d", got, next-4, next-1)
	}
}
