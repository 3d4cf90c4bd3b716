package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopgo/coop/sim"
)

// The page and the server talk in JSON messages over the websocket. The
// server sends a hello when the page connects, then a batch every 50 ms
// of wall time with what changed; the page sends commands. Events are
// arrays, to keep them small:
//
//	[at, "p", pin, 0|1]              a pin changed level
//	[at, "c", line]                  a console line
//	[at, "t", id, state]             a task changed state
//	[at, "i", source, what]          an interrupt
//	[at, "s", part, state]           a part's shown state changed
//	[at, "u", part, what]            a person's input landed ("press")
//	[at, "v", signal, value]         a value signal changed ("GP15.duty")
//	[at, "r", text]                  the board reset
//	[at, "w", task, text]            a warning of the loop about a task
//
// Times are board nanoseconds. When one pin or task changes more than
// batchCap times in one batch (a pin toggling at 1 kHz while the board
// races), the older changes are summed up as a gap, drawn as a busy span,
// which the page takes before the batch's events:
//
//	[from, to, "p"|"t"|"s"|"v"|"c", source, count, last value]

// hello is the first message a page gets: everything it needs to draw
// the run as it is, so that a reload or a second tab shows the same.
type hello struct {
	T       string     `json:"t"` // "hello"
	Program string     `json:"program"`
	Board   boardView  `json:"board"`
	Parts   []partView `json:"parts"`
	// Station is what the Wi-Fi station last did, as of the records
	// sent (see snapshot.Station).
	Station string `json:"station,omitempty"`
	batch
}

// batch is what changed since the last message.
type batch struct {
	Events []json.RawMessage `json:"events"`
	Gaps   []json.RawMessage `json:"gaps,omitempty"`
	Lost   uint64            `json:"lost,omitempty"` // records the history dropped before they were sent
	// State is, after a loss, the board's pins, parts, values and station
	// as the lost records left them, for the page to take before the
	// batch's events: the changes lost are not shown, but the board is.
	State  *snapshot     `json:"state,omitempty"`
	Tasks  []taskStat    `json:"tasks"`
	Inputs []input       `json:"inputs,omitempty"`
	Clock  clockView     `json:"clock"`
	Ended  bool          `json:"ended"` // the program has ended
	Oldest time.Duration `json:"oldest"`
}

// encode writes r as its wire array.
func (r *rec) encode() json.RawMessage {
	at := strconv.FormatInt(int64(r.At), 10)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var s string
	switch r.Kind {
	case kPin:
		s = "[" + at + `,"p",` + q(r.Src) + "," + bit(r.Level) + "]"
	case kConsole:
		s = "[" + at + `,"c",` + q(r.Text) + "]"
	case kTask:
		s = "[" + at + `,"t",` + strconv.FormatUint(r.ID, 10) + "," + q(r.Text) + "]"
	case kIRQ:
		s = "[" + at + `,"i",` + q(r.Src) + "," + q(r.Text) + "]"
	case kPart:
		s = "[" + at + `,"s",` + q(r.Src) + "," + r.Text + "]"
	case kInput:
		s = "[" + at + `,"u",` + q(r.Src) + "," + q(r.Text) + "]"
	case kValue:
		s = "[" + at + `,"v",` + q(r.Src) + "," + num(r.Value) + "]"
	case kReset:
		s = "[" + at + `,"r",` + q(r.Text) + "]"
	case kWarn:
		s = "[" + at + `,"w",` + q(r.Src) + "," + q(r.Text) + "]"
	}
	return json.RawMessage(s)
}

// num writes a number for JSON, which has no NaN or infinities.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// key names the lane of a record, for coalescing: a pin, a task, a part,
// the console.
func (r *rec) key() string {
	switch r.Kind {
	case kPin:
		return "p" + r.Src
	case kTask:
		return "t" + strconv.FormatUint(r.ID, 10)
	case kPart:
		return "s" + r.Src
	case kConsole:
		return "c"
	case kValue:
		return "v" + r.Src
	}
	return "" // never coalesced
}

// gap is a run of changes of one lane left out of a batch.
type gap struct {
	from, to time.Duration
	first    *rec
	last     *rec
	count    int
}

func (g *gap) encode() json.RawMessage {
	r := g.last
	var src, val string
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	switch r.Kind {
	case kPin:
		src, val = q(r.Src), bit(r.Level)
	case kTask:
		src, val = strconv.FormatUint(r.ID, 10), q(r.Text)
	case kPart:
		src, val = q(r.Src), r.Text
	case kConsole:
		src, val = `""`, q(r.Text)
	case kValue:
		src, val = q(r.Src), num(r.Value)
	}
	return json.RawMessage(fmt.Sprintf("[%d,%d,%q,%s,%d,%s]", g.from, g.to, kindCodes[r.Kind], src, g.count, val))
}

// coalesce encodes recs, keeping the latest limit changes of each lane;
// the older ones of a lane become one gap, which comes before them: a page
// that joins a long run, or a batch of a board racing, shows what is
// happening now, not what happened first.
func coalesce(recs []rec, limit int) (events, gaps []json.RawMessage) {
	total := map[string]int{}
	for i := range recs {
		if k := recs[i].key(); k != "" {
			total[k]++
		}
	}
	seen := map[string]int{}
	open := map[string]*gap{}
	var order []*gap
	for i := range recs {
		r := &recs[i]
		k := r.key()
		if k != "" {
			seen[k]++
			if seen[k] <= total[k]-limit {
				g := open[k]
				if g == nil {
					g = &gap{from: r.At, first: r}
					open[k] = g
					order = append(order, g)
				}
				g.to, g.last = r.At, r
				g.count++
				continue
			}
		}
		events = append(events, r.encode())
	}
	for _, g := range order {
		gaps = append(gaps, g.encode())
	}
	return events, gaps
}

// shownUpTo returns the clock as the page shows it, and how far the records
// go that come with it. Call it with h.mu held.
//
// It is the one reading of "where the run is" for everything the server
// hands out: the header and the task table of the page, the VCD, the
// timeline and the recorded scenario. The board time is the one the page
// has shown everything up to: the later of the pacer's board time and the
// latest record. While the board runs, the pacer tells its time between
// slices of the run only, and the records kept during a slice are already
// later; the board is at least at the latest of them. Reading the records
// and the time together, under h.mu, matters to the scenario most: it
// ends at this time, so that its replay runs at least as far as every
// event the page showed. Ended at the pacer's time alone, read apart from
// the records, the replay stopped short of edges the page had shown.
func (s *Server) shownUpTo() (clockView, cut) {
	c := s.hub.visible()
	st := s.run.Pacer.State()
	return clockView{Now: max(st.Now, c.latest), Paused: st.Paused, Stepping: st.Stepping, Speed: st.Speed,
		Ratio: st.Ratio, Ended: st.Ended}, c
}

// update returns what changed since the last batch, up to the records the
// page may see now, and notes it as sent. Call it with s.mu and h.mu held.
func (s *Server) update() batch {
	h := s.hub
	clock, c := s.shownUpTo()
	recs, lost := h.since(s.sent, c.seq)
	s.sent = c.seq
	var msg batch
	if lost > 0 {
		// The base holds every record that fell out of the history, the
		// lost ones too: the board as it was before the records left.
		s.shown = h.base.clone()
		st := s.shown.clone()
		st.Tasks = nil // the table carries the tasks
		msg.State = &st
	}
	for i := range recs {
		s.shown.apply(&recs[i])
	}
	for id := range s.shown.Tasks {
		if h.tasks[id] == nil {
			delete(s.shown.Tasks, id) // a task the table forgot
		}
	}
	msg.Events, msg.Gaps = coalesce(recs, batchCap)
	msg.Lost = lost
	msg.Tasks = h.taskRows(clock.Now)
	msg.Inputs = append([]input(nil), h.inputs[s.nInputs:]...)
	s.nInputs = len(h.inputs)
	msg.Clock, msg.Ended, msg.Oldest = clock, h.ended, h.oldest()
	return msg
}

// join sends c its hello and adds it to the clients that get batches. The
// pages already there get a batch first, so that the hello and every page
// are at the same record, with the same clock.
func (s *Server) join(c *client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hub
	h.mu.Lock()
	up := s.update()
	from := s.sent - min(s.sent, helloTail)
	recs, _ := h.since(from, s.sent)
	msg := hello{T: "hello", Program: s.run.Program, Board: h.board, Parts: append([]partView(nil), h.views...)}
	msg.Events, msg.Gaps = coalesce(recs, helloCap)
	msg.Tasks = up.Tasks
	msg.Inputs = append([]input(nil), h.inputs[:s.nInputs]...)
	msg.Clock, msg.Ended, msg.Oldest = up.Clock, up.Ended, up.Oldest
	for i := range msg.Parts {
		msg.Parts[i].State = s.shown.Parts[msg.Parts[i].ID]
	}
	msg.Board.Wifi = append([]wifiView(nil), h.board.Wifi...)
	for i := range msg.Board.Wifi {
		msg.Board.Wifi[i].Down = s.shown.Values[msg.Board.Wifi[i].Signal] == 1
	}
	msg.Station = s.shown.Station
	h.mu.Unlock()
	s.broadcastLocked(up)
	b, err := json.Marshal(msg)
	if err != nil {
		panic("web: hello: " + err.Error())
	}
	c.send <- b // the queue is empty
	s.clients[c] = struct{}{}
}

// oldest returns the board time of the oldest record kept. Call it with
// h.mu held.
func (h *hub) oldest() time.Duration {
	if len(h.ring) == 0 {
		return 0
	}
	return h.at(0).At
}

// broadcast sends every page a batch every batchEvery, until the server
// closes.
func (s *Server) broadcast() {
	tk := time.NewTicker(batchEvery)
	defer tk.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-tk.C:
		}
		s.refreshTasks()
		s.sendBatch()
	}
}

// refreshTasks asks the loop for its tasks' numbers, once at a time.
func (s *Server) refreshTasks() {
	h := s.hub
	h.mu.Lock()
	if h.snapping {
		h.mu.Unlock()
		return
	}
	h.snapping = true
	h.mu.Unlock()
	loop := s.run.Board.Loop()
	if !s.run.Pacer.Do(func() { h.snapTasks(loop.Tasks()) }) {
		h.mu.Lock()
		h.snapping = false
		h.mu.Unlock()
	}
}

// sendBatch sends every page what changed since the last batch.
func (s *Server) sendBatch() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hub.mu.Lock()
	msg := s.update()
	s.hub.mu.Unlock()
	s.broadcastLocked(msg)
}

// broadcastLocked sends msg to every page; one too far behind is dropped.
// Call it with s.mu held.
func (s *Server) broadcastLocked(msg batch) {
	if len(s.clients) == 0 {
		return
	}
	b, err := json.Marshal(struct {
		T string `json:"t"`
		batch
	}{"batch", msg})
	if err != nil {
		panic("web: batch: " + err.Error())
	}
	for c := range s.clients {
		select {
		case c.send <- b:
		default:
			delete(s.clients, c)
			close(c.slow)
		}
	}
}

// command is a message from the page.
type command struct {
	T string `json:"t"` // "input", "clock", "lookback"

	// input
	Part  string         `json:"part"`
	Input string         `json:"input"`
	Args  map[string]any `json:"args"`

	// clock
	Op    string        `json:"op"` // "pause", "run", "speed", "step", "until"
	Speed float64       `json:"speed"`
	Step  string        `json:"step"` // "for", "edge", "task"
	D     time.Duration `json:"d"`    // for "for": board nanoseconds
	Pin   string        `json:"pin"`  // for "edge" and "until": "" any pin
	Task  string        `json:"task"` // for "until": a task's name
	State string        `json:"state"`

	// lookback
	At time.Duration `json:"at"`
}

// stepLimit is how far a step to the next edge or task switch goes when
// there is none.
const stepLimit = time.Hour

// command does what the page asked and returns the reply, if any.
func (s *Server) command(msg []byte) []byte {
	var c command
	if err := json.Unmarshal(msg, &c); err != nil {
		return errorMsg(fmt.Errorf("bad message: %w", err))
	}
	var err error
	switch c.T {
	case "input":
		err = s.input(input{Part: c.Part, Input: c.Input, Args: c.Args})
	case "clock":
		err = s.clockCommand(c)
	case "lookback":
		snap, oldest := s.hub.lookBack(c.At)
		b, err := json.Marshal(struct {
			T      string        `json:"t"`
			At     time.Duration `json:"at"`
			Oldest time.Duration `json:"oldest"`
			snapshot
		}{"past", c.At, oldest, snap})
		if err != nil {
			panic("web: past: " + err.Error())
		}
		return b
	default:
		err = fmt.Errorf("unknown message %q", c.T)
	}
	if err != nil {
		return errorMsg(err)
	}
	return nil
}

// errEnded is the answer to an input once the program has ended.
var errEnded = errors.New("the run has ended")

// MinPress is the least board time a press from the page holds a part
// down: a quick click on the page is the click of a finger, which a
// program polling every 50 ms sees (sim.DefaultClick).
const MinPress = sim.DefaultClick

// input applies in to its part at the next instant, with [sim.Do], and
// records it. A release that comes sooner than MinPress after its press
// lands MinPress after it.
func (s *Server) input(in input) error {
	h := s.hub
	if in.Input == inWifiDown || in.Input == inWifiUp {
		return s.wifiInput(in)
	}
	i := slices.Index(h.ids, in.Part)
	if i < 0 {
		return fmt.Errorf("no part %q", in.Part)
	}
	args, err := in.args(h.types[i])
	if err != nil {
		return err
	}
	p, loop := h.parts[i], s.run.Board.Loop()
	land := func(in input) {
		h.land(func() {
			if err := sim.Do(p, in.Input, args); err != nil {
				h.add(rec{At: in.At, Kind: kWarn, Src: in.Part, Text: err.Error()})
				return
			}
			h.input(recorded(in, args))
			h.partChanged(in.At, i)
		})
	}
	ok := s.run.Pacer.Input(func(at time.Duration) {
		in.At = at
		switch in.Input {
		case "press":
			h.mu.Lock()
			h.pressedAt[in.Part] = at
			h.mu.Unlock()
		case "release":
			h.mu.Lock()
			pressed, was := h.pressedAt[in.Part]
			delete(h.pressedAt, in.Part)
			h.mu.Unlock()
			if was && at < pressed+MinPress {
				in.At = pressed + MinPress
				loop.CallAt(in.At, func() { land(in) })
				return
			}
		}
		land(in)
	})
	if !ok {
		return errEnded
	}
	return nil
}

// wifiInput takes the access point in.Part off the air (wifi-down) or
// puts it back (wifi-up) at the next instant, as the scenario step of the
// same name does, and records it.
func (s *Server) wifiInput(in input) error {
	h := s.hub
	i := slices.IndexFunc(h.aps, func(ap *sim.AccessPoint) bool { return ap.SSID() == in.Part })
	if i < 0 {
		var ssids []string
		for _, ap := range h.aps {
			ssids = append(ssids, strconv.Quote(ap.SSID()))
		}
		if len(ssids) == 0 {
			return fmt.Errorf("%s %q: no access point is in range of the board", in.Input, in.Part)
		}
		return fmt.Errorf("%s %q: no such access point (in range: %s)", in.Input, in.Part, strings.Join(ssids, ", "))
	}
	if len(in.Args) != 0 {
		return fmt.Errorf("%s of %s: it takes no arguments", in.Input, in.Part)
	}
	ap := h.aps[i]
	ok := s.run.Pacer.Input(func(at time.Duration) {
		h.land(func() {
			if in.Input == inWifiDown {
				ap.Down()
			} else {
				ap.Up()
			}
			in.At = at
			h.input(in)
		})
	})
	if !ok {
		return errEnded
	}
	return nil
}

// clockCommand pauses, runs, sets the speed or steps.
func (s *Server) clockCommand(c command) error {
	p, h := s.run.Pacer, s.hub
	switch c.Op {
	case "pause":
		h.clearWatch()
		p.Pause()
	case "run":
		h.clearWatch()
		p.Resume()
	case "speed":
		return p.SetSpeed(c.Speed)
	case "step":
		var match func(r *rec) bool
		d := stepLimit
		switch c.Step {
		case "for":
			if c.D <= 0 {
				return fmt.Errorf("step for %v: give a board duration more than zero", c.D)
			}
			d = c.D
		case "edge":
			match = func(r *rec) bool { return r.Kind == kPin && (c.Pin == "" || r.Src == c.Pin) }
		case "task":
			match = func(r *rec) bool { return r.Kind == kTask && r.Text == "running" }
		default:
			return fmt.Errorf("unknown step %q (steps: for, edge, task)", c.Step)
		}
		if match != nil {
			if !p.Do(func() { h.addWatch(match) }) {
				return errEnded
			}
		}
		p.Step(d)
	case "until":
		var match func(r *rec) bool
		switch {
		case c.Task != "":
			match = func(r *rec) bool { return r.Kind == kTask && r.Src == c.Task && (c.State == "" || r.Text == c.State) }
		case c.Pin != "":
			match = func(r *rec) bool { return r.Kind == kPin && r.Src == c.Pin }
		default:
			return errors.New("run until: name a task or a pin")
		}
		if !p.Do(func() { h.addWatch(match) }) {
			return errEnded
		}
		p.Resume()
	default:
		return fmt.Errorf("unknown clock operation %q", c.Op)
	}
	return nil
}
