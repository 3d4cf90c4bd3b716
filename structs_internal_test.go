//go:build !tinygo

package coop

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestFifoTrim checks the ready ring's size policy: it grows to hold a
// burst, keeps its size while rounds keep needing it, and shrinks to fit
// once trimRounds rounds in a row have left it mostly empty.
func TestFifoTrim(t *testing.T) {
	var r readyQueue
	q := func() *fifo { return &r.buckets[0].q }
	round := func(n int) { // a round that starts with n entries and runs them
		for range n {
			r.push(0, runnable{})
		}
		r.startRound()
		for range n {
			r.popRound()
		}
	}
	round(100_000)
	if got := len(q().buf); got != 131_072 {
		t.Fatalf("after a burst of 100000: ring of %d, want 131072", got)
	}
	for range 3 * trimRounds {
		round(100_000)
	}
	if got := len(q().buf); got != 131_072 {
		t.Fatalf("after rounds of 100000: ring of %d, want it kept at 131072", got)
	}
	for range trimRounds - 1 {
		round(3_000)
	}
	if got := len(q().buf); got != 131_072 {
		t.Fatalf("after %d quiet rounds: ring of %d, want it kept until %d rounds", trimRounds-1, got, trimRounds)
	}
	for range trimRounds {
		round(3_000)
	}
	if got := len(q().buf); got != 8192 {
		t.Fatalf("after %d rounds of 3000: ring of %d, want 8192 (a power of two holding twice the largest round)", 2*trimRounds, got)
	}
	for range 2 * trimRounds {
		round(0)
	}
	if got := len(q().buf); got != fifoKeep {
		t.Fatalf("after empty rounds: ring of %d, want %d", got, fifoKeep)
	}
}

// TestTimerHeapLazyRemoval checks the timer heap against a sorted list through a long
// random run of schedules, removals (lazy, with compactions) and pops:
// timers come out in (when, seq) order, the root is never a removed one,
// and len counts the pending ones.
func TestTimerHeapLazyRemoval(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h timerHeap
	timers := make([]timer, 500)
	type key struct {
		when time.Duration
		seq  uint64
		tm   *timer
	}
	var want []key // pending, in no order
	var seq uint64
	compactions := 0
	for step := range 200_000 {
		tm := &timers[rng.IntN(len(timers))]
		switch op := rng.IntN(10); {
		case op < 5 && tm.state == timerIdle: // schedule
			seq++
			tm.when = time.Duration(rng.IntN(50))
			h.push(tm, seq)
			want = append(want, key{tm.when, seq, tm})
		case op < 8 && tm.state == timerPending: // remove
			before := len(h.a)
			h.remove(tm)
			if len(h.a) < before-1 {
				compactions++
			}
			want = slices.DeleteFunc(want, func(k key) bool { return k.tm == tm })
		case op >= 8 && h.len() > 0: // pop
			first := slices.MinFunc(want, func(a, b key) int {
				return cmp.Or(cmp.Compare(a.when, b.when), cmp.Compare(a.seq, b.seq))
			})
			if got := h.popMin(); got != first.tm || got.state != timerIdle {
				t.Fatalf("step %d: popped timer at %v (state %d), want the one at %v seq %d", step, got.when, got.state, first.when, first.seq)
			}
			want = slices.DeleteFunc(want, func(k key) bool { return k.tm == first.tm })
		}
		if h.len() != len(want) {
			t.Fatalf("step %d: len %d, want %d pending", step, h.len(), len(want))
		}
		if len(h.a) > 0 && h.a[0].stale() {
			t.Fatalf("step %d: a removed timer is at the root", step)
		}
	}
	if compactions == 0 {
		t.Fatal("the run never compacted the heap; make removals more frequent")
	}
}

// TestCallSoonAfterClose: a goroutine that outlives its loop and keeps
// handing it work leaves nothing piling up, and none of it runs.
func TestCallSoonAfterClose(t *testing.T) {
	l := NewLoop(WithVirtualClock())
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	ran := false
	for range 1000 {
		l.CallSoon(func() { ran = true })
	}
	if ran || len(l.inbox) != 0 {
		t.Errorf("after Close, 1000 CallSoon: ran %v, %d queued; want false, 0", ran, len(l.inbox))
	}
}
