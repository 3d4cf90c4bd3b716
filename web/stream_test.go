package web

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
)

// Past the limit, a lane keeps its latest changes, the older ones summed
// up as a gap: a page that joins a long run sees the pin's edges and the
// console's lines of now, not those of the start of the history.
func TestCoalesceKeepsTheLatest(t *testing.T) {
	var recs []rec
	for i := range 6 {
		at := time.Duration(i) * time.Millisecond
		recs = append(recs,
			rec{At: at, Kind: kPin, Src: "GP15", Level: i%2 == 1},
			rec{At: at, Kind: kConsole, Text: "line " + string(rune('0'+i))})
	}
	recs = append(recs, rec{At: 7 * time.Millisecond, Kind: kReset, Text: "reset"})
	events, gaps := coalesce(recs, 2)
	got := strings.Join(raw(events), "\n")
	want := strings.Join([]string{
		`[4000000,"p","GP15",0]`,
		`[4000000,"c","line 4"]`,
		`[5000000,"p","GP15",1]`,
		`[5000000,"c","line 5"]`,
		`[7000000,"r","reset"]`,
	}, "\n")
	if got != want {
		t.Errorf("events:\n%s\nwant:\n%s", got, want)
	}
	if got, want := strings.Join(raw(gaps), "\n"), `[0,3000000,"p","GP15",4,1]`+"\n"+`[0,3000000,"c","",4,"line 3"]`; got != want {
		t.Errorf("gaps:\n%s\nwant:\n%s", got, want)
	}
}

func raw(msgs []json.RawMessage) []string {
	var s []string
	for _, m := range msgs {
		s = append(s, string(m))
	}
	return s
}

// Records the history dropped before a batch could send them still
// change the board a page shows: the batch after the loss carries the
// board as they left it, and a page that joins later starts from it.
func TestLostRecordsStillShowTheBoard(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { loop.Close() })
	b, err := sim.NewBoard(loop, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Run{Program: "test", Board: b, Pacer: pacer(loop)}, Config{History: 10})
	if err != nil {
		t.Fatal(err)
	}
	live := &client{send: make(chan []byte, clientQueue), slow: make(chan struct{})}
	s.join(live)
	<-live.send // its hello
	h := s.hub
	h.add(rec{At: time.Millisecond, Kind: kPart, Src: "LED", Text: `{"color":"green","on":true}`})
	h.add(rec{At: time.Millisecond, Kind: kPin, Src: "LED", Level: true})
	for i := range 20 {
		h.add(rec{At: time.Duration(2+i) * time.Millisecond, Kind: kPin, Src: "GP15", Level: i%2 == 0})
	}
	s.sendBatch()
	var m struct {
		Lost  uint64
		State *snapshot
	}
	if err := json.Unmarshal(<-live.send, &m); err != nil {
		t.Fatal(err)
	}
	if m.Lost != 12 || m.State == nil || string(m.State.Parts["LED"]) != `{"color":"green","on":true}` ||
		!m.State.Pins["LED"] || m.State.Pins["GP15"] {
		t.Errorf("batch after losing 12 records: lost %d, state %+v; want the LED on and GP15 low (as the 12th left it)", m.Lost, m.State)
	}
	late := &client{send: make(chan []byte, clientQueue), slow: make(chan struct{})}
	s.join(late)
	var hi hello
	if err := json.Unmarshal(<-late.send, &hi); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(hi.Parts, func(p partView) bool { return p.ID == "LED" })
	if i < 0 || string(hi.Parts[i].State) != `{"color":"green","on":true}` {
		t.Errorf("a later page's hello: parts %+v, want the LED on", hi.Parts)
	}
}

// While the board runs, the pacer tells its time between slices only; an
// update shows the board at least at its latest record, not before what
// it shows happening.
func TestClockNotBehindItsRecords(t *testing.T) {
	loop := coop.NewLoop(coop.WithVirtualClock())
	t.Cleanup(func() { loop.Close() })
	b, err := sim.NewBoard(loop, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Run{Program: "test", Board: b, Pacer: pacer(loop)}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	live := &client{send: make(chan []byte, clientQueue), slow: make(chan struct{})}
	s.join(live)
	<-live.send
	s.hub.add(rec{At: 5 * time.Second, Kind: kConsole, Text: "later"})
	s.sendBatch()
	var m struct{ Clock clockView }
	if err := json.Unmarshal(<-live.send, &m); err != nil {
		t.Fatal(err)
	}
	if m.Clock.Now != 5*time.Second {
		t.Errorf("the update's board time %v, with a record at 5s", m.Clock.Now)
	}
}
