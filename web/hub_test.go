package web

import (
	"runtime"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
)

func pacer(loop *coop.Loop) *session.Pacer {
	p := session.NewPacer(1, true)
	p.Bind(loop)
	return p
}

func newTestHub(t *testing.T, history int) *hub {
	t.Helper()
	loop := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { loop.Close() })
	b, err := sim.NewBoard(loop, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return newHub(Run{Program: "test", Board: b, Pacer: pacer(loop)}, history)
}

// The history keeps the last History records whatever the length of the
// run; what falls out of it is folded into the state looking back starts
// from.
func TestHistoryBounded(t *testing.T) {
	h := newTestHub(t, 1000)
	for i := range 100_000 {
		h.pin(time.Duration(i)*time.Millisecond, "GP15", i%2 == 0)
	}
	if n := len(h.ring); n != 1000 {
		t.Fatalf("history holds %d records, want 1000", n)
	}
	if got := h.at(0).At; got != 99_000*time.Millisecond {
		t.Errorf("oldest record at %v, want 99s", got)
	}
	// Before the history: the level the oldest dropped record left.
	s, oldest := h.lookBack(time.Second)
	if oldest != 99*time.Second || s.Pins["GP15"] != false {
		t.Errorf("lookBack(1s) = GP15 %v, oldest %v; want false (set at 98.999s), 99s", s.Pins["GP15"], oldest)
	}
	s, _ = h.lookBack(99_500 * time.Millisecond)
	if !s.Pins["GP15"] {
		t.Errorf("lookBack(99.5s): GP15 low, want high")
	}
	recs, lost := h.since(0, h.seq)
	if len(recs) != 1000 || lost != 99_000 {
		t.Errorf("since(0) = %d records, %d lost; want 1000, 99000", len(recs), lost)
	}
}

// The memory a full history takes, with the default size: the bound the
// package documents.
func TestHistoryMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a full history")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h := newTestHub(t, DefaultHistory)
	for i := range 2 * DefaultHistory {
		at := time.Duration(i) * time.Microsecond
		switch i % 4 {
		case 0, 1:
			h.pin(at, "GP15", i%2 == 0)
		case 2:
			h.add(rec{At: at, Kind: kTask, ID: 3, Src: "blink", Text: "running"})
		case 3:
			h.add(rec{At: at, Kind: kConsole, Text: "Temperature: 24.5 C"})
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	used := after.HeapAlloc - before.HeapAlloc
	t.Logf("a full history of %d records takes %d MB (%d bytes a record)", DefaultHistory, used>>20, used/DefaultHistory)
	if used > 40<<20 {
		t.Errorf("a full history takes %d MB, want at most 40 MB", used>>20)
	}
	runtime.KeepAlive(h)
}

// A run that starts tasks for ever: the state looking back starts from,
// and the one the server has sent, keep the tasks the table keeps, not
// every task the run ever had.
func TestHistoryForgetsTasks(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { loop.Close() })
	b, err := sim.NewBoard(loop, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Run{Program: "test", Board: b, Pacer: pacer(loop), ObserveTasks: loop.Observe}, Config{History: 100})
	if err != nil {
		t.Fatal(err)
	}
	main := loop.Spawn("main", func(t *coop.Task) error {
		for range 5 * keepDone {
			t.Spawn("job", func(t *coop.Task) error { return t.Sleep(time.Millisecond) })
			if err := t.Sleep(10 * time.Millisecond); err != nil {
				return err
			}
		}
		return nil
	})
	if err := loop.RunUntilComplete(main); err != nil {
		t.Fatal(err)
	}
	s.sendBatch()
	h := s.hub
	if len(h.tasks) != keepDone {
		t.Fatalf("the table keeps %d tasks, want %d", len(h.tasks), keepDone)
	}
	for id := range h.base.Tasks {
		if h.tasks[id] == nil {
			t.Errorf("the base snapshot keeps task %d, which the table forgot (%d tasks in all)", id, len(h.base.Tasks))
			break
		}
	}
	if len(s.shown.Tasks) > keepDone {
		t.Errorf("the state sent keeps %d tasks, want at most %d", len(s.shown.Tasks), keepDone)
	}
}
