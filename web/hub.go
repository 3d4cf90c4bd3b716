package web

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/trace"
)

// kind is what a record records.
type kind uint8

const (
	kPin     kind = iota + 1 // Src pin, Level
	kConsole                 // Text the line
	kTask                    // ID, Src name, Text state
	kIRQ                     // Src source, Text what
	kPart                    // Src part id, Text its state (JSON)
	kInput                   // Src part id, Text the control, Value
	kReset                   // Text what happened
	kWarn                    // Src the task, Text the warning
	kValue                   // Src the signal ("GP15.duty", "servo1.angle"), Value
)

// wire codes of the kinds, as the page reads them.
var kindCodes = [...]string{kPin: "p", kConsole: "c", kTask: "t", kIRQ: "i", kPart: "s", kInput: "u", kReset: "r", kWarn: "w", kValue: "v"}

// rec is one thing that happened on the board, with its board time.
type rec struct {
	At    time.Duration
	Kind  kind
	Level bool
	ID    uint64
	Src   string
	Text  string
	Value float64
}

// Tuning of the stream and of what is kept.
const (
	// DefaultHistory is how many records the server keeps for a tab
	// that joins late, for looking back and for the downloads: about
	// 70 bytes each plus the text of console lines (measured by
	// TestHistoryMemory: 16 MB for a full history), whatever the length
	// of the run.
	DefaultHistory = 250_000
	// batchEvery is the wall time between two updates sent to the page.
	batchEvery = 50 * time.Millisecond
	// batchCap is how many changes of one pin or task an update carries;
	// more in one update are summed up as one busy span.
	batchCap = 64
	// helloCap is the same for the history a new tab gets.
	helloCap = 4096
	// helloTail is how many of the latest records a new tab gets.
	helloTail = 50_000
	// keepDone is how many finished tasks the task table keeps.
	keepDone = 200
	// sparkLen is how many step durations a task's sparkline shows.
	sparkLen = 32
)

// taskStat is one row of the task table.
type taskStat struct {
	ID        uint64        `json:"id"`
	Name      string        `json:"name"`
	Parent    uint64        `json:"parent,omitempty"`
	State     string        `json:"state"`
	WaitingOn string        `json:"waitingOn,omitempty"`
	Spawned   time.Duration `json:"spawned"`
	Ended     time.Duration `json:"ended,omitempty"`
	Steps     uint64        `json:"steps"`
	Busy      time.Duration `json:"busy"`    // running
	Ready     time.Duration `json:"ready"`   // ready, waiting for its turn
	Waiting   time.Duration `json:"waiting"` // sleeping or waiting
	Longest   time.Duration `json:"longest"`
	Lateness  time.Duration `json:"lateness"`
	MaxLate   time.Duration `json:"maxLate"`
	Misses    int64         `json:"misses"`
	Err       string        `json:"err,omitempty"`
	Warning   string        `json:"warning,omitempty"`
	Spark     []int64       `json:"spark"` // the last step durations, ns

	since time.Duration // board time of the last state change
}

// clockView is the clock as the page shows it.
type clockView struct {
	Now      time.Duration `json:"now"`
	Paused   bool          `json:"paused"`
	Stepping bool          `json:"stepping"`
	Speed    float64       `json:"speed"`
	Ratio    float64       `json:"ratio"`
	Ended    bool          `json:"ended"`
}

// hub keeps the state of the board and a bounded history of what happened,
// fed by observers on the loop, and hands the page batches of it.
type hub struct {
	run   Run
	board boardView
	parts []sim.Part      // in the board's order
	ids   []string        // the parts' names, read by any goroutine
	types []*sim.PartType // the parts' types (nil: none), read by any goroutine
	byPin map[string][]int
	byID  map[string]int
	aps   []*sim.AccessPoint // the access points in range, in the board's order

	mu      sync.Mutex
	history int
	ring    []rec // oldest first, from ring[head]
	head    int
	seq     uint64        // records ever kept; ring holds seq-len(ring) … seq-1
	latest  time.Duration // the latest board time among the records ever kept
	// landing, while an input lands, is how far the records went before
	// it: what the page and the downloads see until the input is
	// recorded (see hub.visible).
	landing *cut
	base    snapshot
	views   []partView
	tasks   map[uint64]*taskStat
	done    []uint64 // finished task ids, oldest first
	inputs  []input
	// pressedAt is when each button held down by the page was pressed.
	pressedAt map[string]time.Duration
	watches   []watch
	ended     bool // the program has ended

	snapping bool // a task snapshot is on its way
}

// snapshot is the state of the board at one instant: what looking back
// shows.
type snapshot struct {
	Pins   map[string]bool            `json:"pins"`
	Parts  map[string]json.RawMessage `json:"parts"`
	Tasks  map[uint64]string          `json:"taskStates"`
	Values map[string]float64         `json:"values"`
	// Station is what the board's Wi-Fi station last did, as its WLAN
	// interrupts say ("joining Wokwi-GUEST", "connected", "link lost");
	// "" before the program used it.
	Station string `json:"station"`
}

func newSnapshot() snapshot {
	return snapshot{Pins: map[string]bool{}, Parts: map[string]json.RawMessage{}, Tasks: map[uint64]string{},
		Values: map[string]float64{}}
}

func (s *snapshot) apply(r *rec) {
	switch r.Kind {
	case kPin:
		s.Pins[r.Src] = r.Level
	case kPart:
		s.Parts[r.Src] = json.RawMessage(r.Text)
	case kTask:
		s.Tasks[r.ID] = r.Text
	case kValue:
		s.Values[r.Src] = r.Value
	case kIRQ:
		if r.Src == "WLAN" {
			s.Station = r.Text
		}
	}
}

func (s *snapshot) clone() snapshot {
	c := newSnapshot()
	for k, v := range s.Pins {
		c.Pins[k] = v
	}
	for k, v := range s.Parts {
		c.Parts[k] = v
	}
	for k, v := range s.Tasks {
		c.Tasks[k] = v
	}
	for k, v := range s.Values {
		c.Values[k] = v
	}
	c.Station = s.Station
	return c
}

// watch is a condition that breaks the pacer when an event matches it:
// a step to the next edge, a run until a task reaches a state.
type watch struct {
	match func(r *rec) bool
}

// newHub makes the hub of run and starts observing it. Call it on the
// loop, before the program starts, so that every pin level is seen.
func newHub(run Run, history int) *hub {
	if history <= 0 {
		history = DefaultHistory
	}
	b := run.Board
	h := &hub{
		run:     run,
		board:   boardView{Name: b.Name(), Title: b.Title(), Pins: b.Pins()},
		parts:   b.Parts(),
		byPin:   map[string][]int{},
		byID:    map[string]int{},
		history: history,
		base:    newSnapshot(),
		tasks:   map[uint64]*taskStat{},

		pressedAt: map[string]time.Duration{},
	}
	for _, ap := range b.AccessPoints() {
		h.aps = append(h.aps, ap)
		h.board.Wifi = append(h.board.Wifi, wifiView{SSID: ap.SSID(), Signal: ap.Signal()})
		h.base.Values[ap.Signal()] = 0
		if !ap.Online() {
			h.base.Values[ap.Signal()] = 1
		}
	}
	for i, p := range h.parts {
		v := describe(p)
		h.views = append(h.views, v)
		h.ids = append(h.ids, v.ID)
		h.types = append(h.types, v.Type)
		h.byID[v.ID] = i
		h.base.Parts[v.ID] = v.State
		if pin := partPin(p); pin != "" {
			h.byPin[pin] = append(h.byPin[pin], i)
		}
	}
	// Pin levels come from the board's events only: reading a pin here
	// would start the noise of a floating one, and the run would no longer
	// be the one a scenario replays.
	b.Observe(sim.ObserverFuncs{
		OnPin:       h.pin,
		OnConsole:   func(at time.Duration, line string) { h.add(rec{At: at, Kind: kConsole, Text: line}) },
		OnInterrupt: func(at time.Duration, src, what string) { h.add(rec{At: at, Kind: kIRQ, Src: src, Text: what}) },
		OnValue:     h.value,
	})
	if run.ObserveTasks != nil {
		run.ObserveTasks(h.task)
	}
	return h
}

// add keeps r and tells the watches. Call it on the loop.
func (h *hub) add(r rec) {
	h.mu.Lock()
	h.keep(r)
	var hit bool
	for _, w := range h.watches {
		if w.match(&r) {
			hit = true
		}
	}
	if hit {
		h.watches = nil
	}
	h.mu.Unlock()
	if hit {
		h.run.Pacer.Break()
	}
}

// cut is how far the records go: how many were kept, and the latest
// board time among them.
type cut struct {
	seq    uint64
	latest time.Duration
}

// visible returns how far the records go that the page and the downloads
// may show: all of them, but while an input lands only those kept before
// it. An input's effects (the pin a press pulls low) are recorded while
// it lands, the input itself once it has: a download between the two
// would show an edge without the input that caused it, and its replay
// would not make the edge. Call it with h.mu held.
func (h *hub) visible() cut {
	if h.landing != nil {
		return *h.landing
	}
	return cut{seq: h.seq, latest: h.latest}
}

// land calls fn, which lands an input and records it, and hides what
// fn records until it returns (see hub.visible). Call it on the loop.
func (h *hub) land(fn func()) {
	h.mu.Lock()
	c := h.visible()
	h.landing = &c
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		h.landing = nil
		h.mu.Unlock()
	}()
	fn()
}

// keep appends r to the ring, folding the oldest record into the base
// snapshot when the ring is full. Call it with h.mu held.
func (h *hub) keep(r rec) {
	h.seq++
	h.latest = max(h.latest, r.At)
	if len(h.ring) < h.history {
		h.ring = append(h.ring, r)
		return
	}
	old := &h.ring[h.head]
	h.base.apply(old)
	if old.Kind == kTask && h.tasks[old.ID] == nil {
		delete(h.base.Tasks, old.ID) // a task the table forgot
	}
	h.ring[h.head] = r
	h.head = (h.head + 1) % len(h.ring)
}

// at returns the i-th record of the ring, oldest first.
func (h *hub) at(i int) *rec { return &h.ring[(h.head+i)%len(h.ring)] }

// since returns the records kept from sequence number seq up to, not
// including, to (and how many were lost from the ring before they could
// be read).
func (h *hub) since(seq, to uint64) (recs []rec, lost uint64) {
	oldest := h.seq - uint64(len(h.ring))
	if seq < oldest {
		lost, seq = oldest-seq, oldest
	}
	for i := int(seq - oldest); i < int(to-oldest); i++ {
		recs = append(recs, *h.at(i))
	}
	return recs, lost
}

// pin records a pin change and the change it makes to the parts on the
// pin. Call it on the loop.
func (h *hub) pin(at time.Duration, name string, level bool) {
	h.add(rec{At: at, Kind: kPin, Src: name, Level: level})
	for _, i := range h.byPin[name] {
		h.partChanged(at, i)
	}
}

// partChanged records part i's state if it changed. Call it on the loop.
func (h *hub) partChanged(at time.Duration, i int) {
	st := partState(h.parts[i])
	h.mu.Lock()
	v := &h.views[i]
	same := string(v.State) == string(st)
	v.State = st
	h.mu.Unlock()
	if !same {
		h.add(rec{At: at, Kind: kPart, Src: v.ID, Text: string(st)})
	}
}

// task records a change of a task's state. Call it on the loop.
func (h *hub) task(ev coop.TaskEvent) {
	name := ev.Task.Name()
	if strings.HasPrefix(name, "coop:") {
		return // the run's own tasks
	}
	id, state := ev.Task.ID(), ev.State.String()
	h.mu.Lock()
	ts := h.tasks[id]
	if ts == nil {
		ts = &taskStat{ID: id, Name: name, Parent: ev.Task.ParentID(), Spawned: ev.At, since: ev.At, State: state}
		h.tasks[id] = ts
	}
	d := ev.At - ts.since
	switch ts.State {
	case "running":
		ts.Busy += d
		ts.Longest = max(ts.Longest, d)
		ts.Spark = append(ts.Spark, int64(d))
		if len(ts.Spark) > sparkLen {
			ts.Spark = ts.Spark[len(ts.Spark)-sparkLen:]
		}
	case "ready":
		ts.Ready += d
	case "sleeping", "waiting":
		ts.Waiting += d
	}
	if state == "running" && ts.State != "running" {
		ts.Steps++
	}
	ts.State, ts.since = state, ev.At
	if ev.State.Final() {
		ts.Ended, ts.WaitingOn = ev.At, ""
		if err := ev.Task.Err(); err != nil {
			ts.Err = err.Error()
		}
		h.done = append(h.done, id)
		if len(h.done) > keepDone {
			delete(h.tasks, h.done[0])
			delete(h.base.Tasks, h.done[0])
			h.done = h.done[1:]
		}
	}
	h.mu.Unlock()
	h.add(rec{At: ev.At, Kind: kTask, ID: id, Src: name, Text: state})
}

// reset records a reset of the board. Call it on the loop.
func (h *hub) reset(at time.Duration, what string) {
	h.add(rec{At: at, Kind: kReset, Text: what})
}

// warn records a warning of the loop and shows it in its task's row.
// Call it on the loop.
func (h *hub) warn(w coop.Warning) {
	text, _, _ := strings.Cut(strings.TrimPrefix(w.String(), "coop: warning: "), "\n")
	h.mu.Lock()
	for _, ts := range h.tasks {
		if ts.Name == w.Task && ts.Ended == 0 {
			ts.Warning = w.Kind.String()
			if w.Held > 0 {
				ts.Warning += " " + w.Held.String()
			}
		}
	}
	h.mu.Unlock()
	h.add(rec{At: w.At, Kind: kWarn, Src: w.Task, Text: text})
}

// programEnded marks the program as ended.
func (h *hub) programEnded() {
	h.mu.Lock()
	h.ended = true
	h.mu.Unlock()
}

// input records an input that has landed on the board. Call it on the
// loop.
func (h *hub) input(in input) {
	h.mu.Lock()
	h.inputs = append(h.inputs, in)
	h.mu.Unlock()
	text := in.Input
	for _, k := range slices.Sorted(maps.Keys(in.Args)) {
		text += " " + k + "=" + yamlValue(in.Args[k])
	}
	h.add(rec{At: in.At, Kind: kInput, Src: in.Part, Text: text})
}

// value records a value signal and the change it makes to its part, or
// to the parts on its pin. Call it on the loop.
func (h *hub) value(at time.Duration, name string, v float64) {
	h.add(rec{At: at, Kind: kValue, Src: name, Value: v})
	owner, _, _ := strings.Cut(name, ".")
	if i, ok := h.byID[owner]; ok {
		h.partChanged(at, i)
	}
	for _, i := range h.byPin[owner] {
		h.partChanged(at, i)
	}
}

// snapTasks refreshes the numbers the loop keeps of its live tasks (what
// they wait on, lateness, misses). Call it on the loop.
func (h *hub) snapTasks(infos []coop.TaskInfo) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.snapping = false
	for _, in := range infos {
		ts := h.tasks[in.ID]
		if ts == nil || ts.Ended != 0 {
			continue
		}
		ts.WaitingOn, ts.Lateness, ts.MaxLate, ts.Misses = in.WaitingOn, in.Lateness, in.MaxLateness, in.Misses
	}
}

// taskRows returns the task table, in spawn order, with the time spent in
// the current state counted up to now.
func (h *hub) taskRows(now time.Duration) []taskStat {
	rows := make([]taskStat, 0, len(h.tasks))
	for _, ts := range h.tasks {
		r := *ts
		r.Spark = slices.Clone(ts.Spark)
		if d := now - r.since; d > 0 {
			switch r.State {
			case "running":
				r.Busy += d
			case "ready":
				r.Ready += d
			case "sleeping", "waiting":
				r.Waiting += d
			}
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b taskStat) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	return rows
}

// lookBack returns the state of the board at board time at, read from
// the history; the oldest instant it can show is that of the oldest record
// kept.
func (h *hub) lookBack(at time.Duration) (snapshot, time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := h.base.clone()
	oldest := time.Duration(0)
	if len(h.ring) > 0 {
		oldest = h.at(0).At
	}
	for i := range len(h.ring) {
		r := h.at(i)
		if r.At > at {
			break
		}
		s.apply(r)
	}
	return s, oldest
}

// events returns the history, up to the record of sequence number to
// (not included), in the form package trace writes. Call it with h.mu
// held.
func (h *hub) events(to uint64) []trace.Event {
	var evs []trace.Event
	// The levels before the history begins, so that every pin starts
	// where it was.
	if len(h.ring) > 0 && h.seq > uint64(len(h.ring)) {
		from := h.at(0).At
		for _, name := range slices.Sorted(maps.Keys(h.base.Pins)) {
			evs = append(evs, trace.Event{At: from, Kind: trace.KindPin, Source: name, Level: h.base.Pins[name]})
		}
	}
	oldest := h.seq - uint64(len(h.ring))
	for i := range int(to - oldest) {
		r := h.at(i)
		switch r.Kind {
		case kPin:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindPin, Source: r.Src, Level: r.Level})
		case kConsole:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindConsole, Text: r.Text})
		case kTask:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindTask, Source: r.Src, Text: r.Text})
		case kIRQ:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindInterrupt, Source: r.Src, Text: r.Text})
		case kReset:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindMark, Text: r.Text})
		case kValue:
			evs = append(evs, trace.Event{At: r.At, Kind: trace.KindValue, Source: r.Src, Value: r.Value})
		}
	}
	return evs
}

// addWatch arms a condition that breaks the pacer at the first event that
// matches it; it replaces the one armed before.
func (h *hub) addWatch(match func(r *rec) bool) {
	h.mu.Lock()
	h.watches = []watch{{match: match}}
	h.mu.Unlock()
}

// clearWatch disarms the condition.
func (h *hub) clearWatch() {
	h.mu.Lock()
	h.watches = nil
	h.mu.Unlock()
}
