package trace

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// VCDOptions configures [WriteVCD]. The zero value gives a reproducible
// file with a 1µs time unit that sigrok and GTKWave both read.
type VCDOptions struct {
	// Timescale is the length of one VCD time unit: 1, 10 or 100 of s,
	// ms, µs or ns. Zero means 1µs. Event times are truncated to a whole
	// number of units; see [WriteVCD] for changes shorter than a unit.
	Timescale time.Duration

	// Date, if not empty, is written as the $date section. Leave it empty
	// for byte-identical output from identical events.
	Date string

	// End, if after the last event, adds a final timestamp so viewers show
	// the signals up to End. sigrok-cli reads samples only up to the last
	// timestamp, so without it the last change is not sampled.
	End time.Duration

	// Comments writes console lines, marks and interrupts as $comment
	// sections at their time. GTKWave skips them, but libsigrok 0.5 stops
	// reading at the first $comment after $enddefinitions, so they are
	// off by default.
	Comments bool
}

// Signal names of the three wires [WriteVCD] writes for each task, appended
// to the task's name.
const (
	WireRunning = "_running"
	WireReady   = "_ready"
	WireWaiting = "_waiting"
)

// vcdSignal is one 1-bit wire of the written file.
type vcdSignal struct {
	scope string // "pins", "values" or "tasks"
	name  string // VCD reference, unique across the file
	code  string // identifier code
	real  bool   // a real variable (a value signal), not a wire
	value string // current value: "0", "1" or "x"; "r90" for a real
	dump  string // last value written
}

func (s *vcdSignal) line() string {
	if s.real {
		return s.value + " " + s.code + "\n"
	}
	return s.value + s.code + "\n"
}

// WriteVCD writes events as a Value Change Dump (IEEE 1364 §18) to w.
//
// Events are taken in time order; events with equal times keep their order.
// Signals appear in order of first appearance in events, pins in a scope
// "pins", value signals ([KindValue]: a PWM duty, a servo's angle) as
// real variables in a scope "values" (0 until their first event), and
// tasks in a scope "tasks". Every wire is 1 bit wide, which
// is what sigrok reads best; see the package documentation for the layout. A pin is x until its first event. Changes
// of one signal that fall within one time unit collapse to the last value
// in that unit, except a task's step: a step shorter than one unit (every
// step, on a virtual clock) is drawn one unit long, its task's next state
// starting a unit later, so that every step shows as a pulse of its
// task's running wire.
//
// WriteVCD returns an error if opts.Timescale is not a VCD time unit, if an
// event has a negative time, or if writing to w fails.
func WriteVCD(w io.Writer, events []Event, opts VCDOptions) error {
	ts := opts.Timescale
	if ts == 0 {
		ts = time.Microsecond
	}
	tsText, err := vcdTimescale(ts)
	if err != nil {
		return err
	}
	events = sortedByTime(events)
	if len(events) > 0 && events[0].At < 0 {
		return fmt.Errorf("trace: event at negative time %v", events[0].At)
	}
	dumpEnd := opts.End
	if n := len(events); n > 0 {
		dumpEnd = max(dumpEnd, events[n-1].At)
	}
	events = stretchSteps(events, ts, dumpEnd)

	// Signals, in order of first appearance; names made unique across the
	// file because sigrok ignores scopes.
	var pins, values, tasks []*vcdSignal
	pinSig := make(map[string]*vcdSignal)
	valueSig := make(map[string]*vcdSignal)
	taskSig := make(map[string][3]*vcdSignal)
	used := make(map[string]bool)
	unique := func(name string) string {
		if !used[name] {
			used[name] = true
			return name
		}
		for i := 2; ; i++ {
			n := name + "_" + strconv.Itoa(i)
			if !used[n] {
				used[n] = true
				return n
			}
		}
	}
	for _, e := range events {
		switch e.Kind {
		case KindPin:
			if pinSig[e.Source] == nil {
				s := &vcdSignal{scope: "pins", name: unique(VCDName(e.Source)), value: "x"}
				pinSig[e.Source] = s
				pins = append(pins, s)
			}
		case KindValue:
			if valueSig[e.Source] == nil {
				s := &vcdSignal{scope: "values", name: unique(VCDName(e.Source)), real: true, value: "r0"}
				valueSig[e.Source] = s
				values = append(values, s)
			}
		case KindTask:
			if _, ok := taskSig[e.Source]; !ok {
				base := VCDName(e.Source)
				var ws [3]*vcdSignal
				for i, suffix := range [3]string{WireRunning, WireReady, WireWaiting} {
					ws[i] = &vcdSignal{scope: "tasks", name: unique(base + suffix), value: "0"}
					tasks = append(tasks, ws[i])
				}
				taskSig[e.Source] = ws
			}
		}
	}
	all := slices.Concat(pins, values, tasks)
	for i, s := range all {
		s.code = VCDCode(i)
	}

	bw := bufio.NewWriter(w)
	bw.WriteString("$version github.com/coopgo/coop/trace $end\n")
	if opts.Date != "" {
		fmt.Fprintf(bw, "$date %s $end\n", commentText(opts.Date))
	}
	fmt.Fprintf(bw, "$timescale %s $end\n", tsText)
	for _, group := range [][]*vcdSignal{pins, values, tasks} {
		if len(group) == 0 {
			continue
		}
		fmt.Fprintf(bw, "$scope module %s $end\n", group[0].scope)
		for _, s := range group {
			if s.real {
				fmt.Fprintf(bw, "$var real 64 %s %s $end\n", s.code, s.name)
			} else {
				fmt.Fprintf(bw, "$var wire 1 %s %s $end\n", s.code, s.name)
			}
		}
		bw.WriteString("$upscope $end\n")
	}
	bw.WriteString("$enddefinitions $end\n")

	tick := func(at time.Duration) int64 { return int64(at / ts) }
	var comments []string
	apply := func(e Event) {
		switch e.Kind {
		case KindPin:
			s := pinSig[e.Source]
			s.value = "0"
			if e.Level {
				s.value = "1"
			}
		case KindValue:
			valueSig[e.Source].value = "r" + strconv.FormatFloat(e.Value, 'g', -1, 64)
		case KindTask:
			run, ready, wait := taskWires(e.Text)
			ws := taskSig[e.Source]
			ws[0].value, ws[1].value, ws[2].value = bit(run), bit(ready), bit(wait)
		case KindConsole:
			comments = append(comments, "console: "+e.Text)
		case KindMark:
			comments = append(comments, "mark: "+e.Text)
		case KindInterrupt:
			comments = append(comments, "interrupt "+e.Source+": "+e.Text)
		}
	}
	writeComments := func() {
		if opts.Comments {
			for _, c := range comments {
				fmt.Fprintf(bw, "$comment %s $end\n", commentText(c))
			}
		}
		comments = comments[:0]
	}

	// Time 0: $dumpvars holds the values after every event at time 0.
	i := 0
	for ; i < len(events) && tick(events[i].At) == 0; i++ {
		apply(events[i])
	}
	bw.WriteString("#0\n$dumpvars\n")
	for _, s := range all {
		s.dump = s.value
		bw.WriteString(s.line())
	}
	bw.WriteString("$end\n")
	writeComments()
	last := int64(0)
	for i < len(events) {
		t := tick(events[i].At)
		for ; i < len(events) && tick(events[i].At) == t; i++ {
			apply(events[i])
		}
		changed := len(comments) > 0 && opts.Comments
		for _, s := range all {
			if s.value != s.dump {
				changed = true
				break
			}
		}
		if !changed {
			comments = comments[:0]
			continue
		}
		fmt.Fprintf(bw, "#%d\n", t)
		last = t
		for _, s := range all {
			if s.value != s.dump {
				s.dump = s.value
				bw.WriteString(s.line())
			}
		}
		writeComments()
	}
	if end := tick(opts.End); end > last {
		fmt.Fprintf(bw, "#%d\n", end)
	}
	return bw.Flush()
}

// taskWires maps a task state to the levels of its running, ready and
// waiting wires: exactly one is high while the task is alive, none once it
// has ended. Unknown states count as waiting.
func taskWires(state string) (running, ready, waiting bool) {
	switch state {
	case StateRunning:
		return true, false, false
	case StateReady:
		return false, true, false
	case StateDone, StateCancelled, StateFailed:
		return false, false, false
	default: // sleeping, waiting, or a state this package does not know
		return false, false, true
	}
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// sortedByTime returns events in time order, equal times in their original
// order; it copies only when events are out of order.
// stretchSteps returns events where a task's state that follows its
// running state within the same time unit of ts starts one unit after it,
// so that the step shows; events stay in time order. A step is not
// stretched past end, so the dump still ends where it would have.
func stretchSteps(events []Event, ts, end time.Duration) []Event {
	var out []Event
	running := map[string]time.Duration{} // task → unit its current step began in
	for i, e := range events {
		if e.Kind != KindTask {
			continue
		}
		start, ok := running[e.Source]
		delete(running, e.Source)
		if e.Text == StateRunning {
			running[e.Source] = e.At / ts * ts
			continue
		}
		if ok && e.At < start+ts && start+ts <= end {
			if out == nil {
				out = slices.Clone(events)
			}
			out[i].At = start + ts
		}
	}
	if out == nil {
		return events
	}
	return sortedByTime(out)
}

func sortedByTime(events []Event) []Event {
	less := func(a, b Event) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	}
	if slices.IsSortedFunc(events, less) {
		return events
	}
	events = slices.Clone(events)
	slices.SortStableFunc(events, less)
	return events
}

// vcdTimescale formats d as a VCD timescale ("1us", "10ms", "100ns").
func vcdTimescale(d time.Duration) (string, error) {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "us"}, {time.Nanosecond, "ns"}} {
		for _, n := range []time.Duration{1, 10, 100} {
			if d == n*u.d {
				return strconv.Itoa(int(n)) + u.name, nil
			}
		}
	}
	return "", fmt.Errorf("trace: VCD timescale %v is not 1, 10 or 100 of s, ms, µs or ns", d)
}

// commentText makes s safe inside a VCD section: one line, and no "$end"
// token to close the section early.
func commentText(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
	return strings.ReplaceAll(s, "$end", "$ end")
}

// VCDName turns name into a legal VCD signal name, the one [WriteVCD] uses
// (before making names unique with a "_2" suffix): every byte other than
// an ASCII letter, digit or '_' becomes '_', and a name that would start
// with a digit, or be empty, gets a leading '_'. "LED 1" becomes "LED_1".
func VCDName(name string) string {
	var b strings.Builder
	if name == "" || (name[0] >= '0' && name[0] <= '9') {
		b.WriteByte('_')
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' {
			b.WriteByte(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// VCDCode returns the identifier code of the i-th signal (from 0): "!"
// to "~" for the first 94, then "!!", "\"!", … — shortest codes first,
// using only the printable ASCII characters 33 to 126 the VCD format allows.
func VCDCode(i int) string {
	if i < 0 {
		panic(errors.New("trace: negative VCD code index"))
	}
	var b []byte
	for {
		b = append(b, byte('!'+i%94))
		i = i/94 - 1
		if i < 0 {
			return string(b)
		}
	}
}
