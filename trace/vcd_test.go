package trace

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// blinkEvents is a small run: main spawns blink, blink drives the LED and a
// pin whose name needs cleaning, and both tasks end.
func blinkEvents() []Event {
	var r Recorder
	r.Task(0, "main", "running")
	r.Pin(0, "LED", false)
	r.Console(0, "start")
	r.Task(0, "blink", "ready")
	r.Task(1*ms, "main", "sleeping")
	r.Task(1*ms, "blink", "running")
	r.Pin(1*ms, "LED", true)
	r.Task(1500*time.Microsecond, "blink", "sleeping")
	r.Pin(2*ms, "GP 15", true)
	r.Task(3*ms, "main", "running")
	r.Pin(3*ms, "LED", false)
	r.Task(3*ms, "main", "done") // a step shorter than a unit: drawn one unit long
	r.Mark(3500*time.Microsecond, "no change here")
	r.Task(4*ms, "blink", "cancelled")
	return r.Events()
}

const blinkVCD = `$version github.com/coopgo/coop/trace $end
$timescale 1us $end
$scope module pins $end
$var wire 1 ! LED $end
$var wire 1 " GP_15 $end
$upscope $end
$scope module tasks $end
$var wire 1 # main_running $end
$var wire 1 $ main_ready $end
$var wire 1 % main_waiting $end
$var wire 1 & blink_running $end
$var wire 1 ' blink_ready $end
$var wire 1 ( blink_waiting $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
0!
x"
1#
0$
0%
0&
1'
0(
$end
#1000
1!
0#
1%
1&
0'
#1500
0&
1(
#2000
1"
#3000
0!
1#
0%
#3001
0#
#4000
0(
#5000
`

const commentsVCD = `$version github.com/coopgo/coop/trace $end
$date 22 Nov 2026 $end
$timescale 1ms $end
$scope module pins $end
$var wire 1 ! GP14 $end
$var wire 1 " GP_14 $end
$var wire 1 # _1 $end
$var wire 1 $ t_running $end
$upscope $end
$scope module tasks $end
$var wire 1 % t_running_2 $end
$var wire 1 & t_ready $end
$var wire 1 ' t_waiting $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
1!
x"
x#
x$
0%
0&
0'
$end
$comment console: boot $end
#2
0!
1"
$comment mark: press $ end now $end
#3
$comment interrupt GP14: falling edge $end
#4
1#
1$
1%
`

func TestWriteVCDGolden(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		opts   VCDOptions
		want   string
	}{
		{"blink", blinkEvents(), VCDOptions{End: 5 * ms}, blinkVCD},
		{"blink shuffled", shuffledBlink(), VCDOptions{End: 5 * ms}, blinkVCD},
		{
			name: "comments, ms timescale, name clashes",
			events: []Event{
				{At: 0, Kind: KindPin, Source: "GP14", Level: true},
				{At: 0, Kind: KindConsole, Text: "boot"},
				{At: 2 * ms, Kind: KindMark, Text: "press $end\nnow"},
				{At: 2*ms + 999*time.Microsecond, Kind: KindPin, Source: "GP14", Level: false}, // truncated to #2
				{At: 2 * ms, Kind: KindPin, Source: "GP 14", Level: true},
				{At: 3 * ms, Kind: KindInterrupt, Source: "GP14", Text: "falling edge"},
				{At: 4 * ms, Kind: KindPin, Source: "1", Level: true},
				{At: 4 * ms, Kind: KindPin, Source: "t running", Level: true},
				{At: 4 * ms, Kind: KindTask, Source: "t", Text: "running"},
			},
			opts: VCDOptions{Timescale: time.Millisecond, Date: "22 Nov 2026", Comments: true, End: 4 * ms},
			want: commentsVCD,
		},
		{
			name: "no events",
			want: "$version github.com/coopgo/coop/trace $end\n$timescale 1us $end\n$enddefinitions $end\n#0\n$dumpvars\n$end\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteVCD(&b, tt.events, tt.opts); err != nil {
				t.Fatalf("WriteVCD: %v", err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("WriteVCD wrote\n%s\nwant\n%s\ndiff: %s", got, tt.want, firstDiff(got, tt.want))
			}
			// Byte-identical on a second run.
			var again bytes.Buffer
			WriteVCD(&again, tt.events, tt.opts)
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Errorf("WriteVCD is not deterministic")
			}
		})
	}
}

// shuffledBlink is blinkEvents out of time order, with events of equal times
// in the same order: WriteVCD sorts stably.
func shuffledBlink() []Event {
	ev := blinkEvents()
	var late, early []Event
	for _, e := range ev {
		if e.At >= 2*ms {
			late = append(late, e)
		} else {
			early = append(early, e)
		}
	}
	return append(late, early...)
}

func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d: %q != %q", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("%d lines != %d lines", len(la), len(lb))
}

func TestWriteVCDErrors(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		opts   VCDOptions
		want   string
	}{
		{"timescale 2us", nil, VCDOptions{Timescale: 2 * time.Microsecond}, "trace: VCD timescale 2µs is not 1, 10 or 100 of s, ms, µs or ns"},
		{"timescale 1000s", nil, VCDOptions{Timescale: 1000 * time.Second}, "trace: VCD timescale 16m40s is not 1, 10 or 100 of s, ms, µs or ns"},
		{"negative time", []Event{{At: -1, Kind: KindPin, Source: "A"}}, VCDOptions{}, "trace: event at negative time -1ns"},
	}
	for _, tt := range tests {
		err := WriteVCD(&bytes.Buffer{}, tt.events, tt.opts)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: WriteVCD() = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestVCDTimescales(t *testing.T) {
	for _, ts := range []time.Duration{
		time.Nanosecond, 10 * time.Nanosecond, 100 * time.Nanosecond,
		time.Microsecond, 10 * time.Microsecond, 100 * time.Microsecond,
		time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond,
		time.Second, 10 * time.Second, 100 * time.Second,
	} {
		var b bytes.Buffer
		events := []Event{{At: 0, Kind: KindPin, Source: "A"}, {At: 1000 * ts, Kind: KindPin, Source: "A", Level: true}}
		if err := WriteVCD(&b, events, VCDOptions{Timescale: ts}); err != nil {
			t.Fatalf("WriteVCD(Timescale: %v): %v", ts, err)
		}
		v, err := ReadVCD(&b)
		if err != nil {
			t.Fatalf("ReadVCD of WriteVCD(Timescale: %v): %v", ts, err)
		}
		if v.Timescale != ts {
			t.Errorf("ReadVCD(WriteVCD(Timescale: %v)).Timescale = %v", ts, v.Timescale)
		}
		if got := v.Signals[0].Changes; len(got) != 2 || got[1] != (Change{1000 * ts, "1"}) {
			t.Errorf("Timescale %v: changes %v, want a rise at %v", ts, got, 1000*ts)
		}
	}
}

func TestVCDName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GP15", "GP15"},
		{"LED 1", "LED_1"},
		{"main.worker[2]", "main_worker_2_"},
		{"1", "_1"},
		{"", "_"},
		{"héllo", "h__llo"}, // é is two bytes
		{"a$b#c", "a_b_c"},
		{"_ok_", "_ok_"},
	}
	for _, tt := range tests {
		if got := VCDName(tt.in); got != tt.want {
			t.Errorf("VCDName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVCDCode(t *testing.T) {
	tests := []struct {
		i    int
		want string
	}{
		{0, "!"}, {1, `"`}, {93, "~"}, {94, "!!"}, {95, `"!`}, {187, "~!"}, {188, `!"`},
		{94 + 94*94 - 1, "~~"}, {94 + 94*94, "!!!"},
	}
	for _, tt := range tests {
		if got := VCDCode(tt.i); got != tt.want {
			t.Errorf("VCDCode(%d) = %q, want %q", tt.i, got, tt.want)
		}
	}
	seen := make(map[string]int)
	for i := range 20000 {
		c := VCDCode(i)
		if j, ok := seen[c]; ok {
			t.Fatalf("VCDCode(%d) = VCDCode(%d) = %q", i, j, c)
		}
		seen[c] = i
		for k := 0; k < len(c); k++ {
			if c[k] < 33 || c[k] > 126 {
				t.Fatalf("VCDCode(%d) = %q has byte %d outside 33–126", i, c, c[k])
			}
		}
	}
}

// checkRoundTrip checks that the VCD read back from WriteVCD(events) holds,
// at the end of each time unit with events, the level each pin and the
// wires each task should have then.
func checkRoundTrip(t *testing.T, events []Event, opts VCDOptions) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteVCD(&b, events, opts); err != nil {
		t.Fatalf("WriteVCD: %v", err)
	}
	v, err := ReadVCD(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("ReadVCD(WriteVCD(...)): %v\n%s", err, b.String())
	}
	ts := opts.Timescale
	if ts == 0 {
		ts = time.Microsecond
	}
	names := map[string][3]string{} // kind/source → signal names, as WriteVCD names them
	used := map[string]bool{}
	name := func(n string) string {
		if used[n] {
			for i := 2; ; i++ {
				if m := fmt.Sprintf("%s_%d", n, i); !used[m] {
					n = m
					break
				}
			}
		}
		used[n] = true
		return n
	}
	for _, e := range sortedByTime(events) {
		key := e.Kind.String() + "/" + e.Source
		if _, ok := names[key]; ok {
			continue
		}
		switch e.Kind {
		case KindPin:
			names[key] = [3]string{"pins." + name(VCDName(e.Source))}
		case KindTask:
			base := VCDName(e.Source)
			names[key] = [3]string{
				"tasks." + name(base+WireRunning),
				"tasks." + name(base+WireReady),
				"tasks." + name(base+WireWaiting),
			}
		}
	}
	want := map[string]string{} // signal → value at the current unit
	cursor := map[string]int{}  // signal → index of its change in force
	sorted := sortedByTime(events)
	last := opts.End
	if n := len(sorted); n > 0 {
		last = max(last, sorted[n-1].At)
	}
	sorted = stretchSteps(sorted, ts, last) // as WriteVCD draws steps
	for i, e := range sorted {
		switch e.Kind {
		case KindPin:
			want[names["pin/"+e.Source][0]] = bit01(e.Level)
		case KindTask:
			run, ready, wait := taskWires(e.Text)
			n := names["task/"+e.Source]
			want[n[0]], want[n[1]], want[n[2]] = bit01(run), bit01(ready), bit01(wait)
		}
		if i+1 < len(sorted) && sorted[i+1].At/ts == e.At/ts {
			continue // not the end of this unit yet
		}
		at := e.At / ts * ts
		for sig, val := range want {
			s := v.Signal(sig)
			if s == nil {
				t.Fatalf("no signal %q in\n%s", sig, b.String())
			}
			// Times only grow: move each signal's cursor forward.
			for cursor[sig]+1 < len(s.Changes) && s.Changes[cursor[sig]+1].At <= at {
				cursor[sig]++
			}
			if got := s.Changes[cursor[sig]].Value; got != val {
				t.Fatalf("%s at %v = %q, want %q\n%s", sig, at, got, val, b.String())
			}
		}
	}
	if len(v.Signals) != len(used) {
		t.Errorf("read %d signals, want %d", len(v.Signals), len(used))
	}
}

func bit01(b bool) string { return string(bit(b)) }

func TestVCDRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		opts   VCDOptions
	}{
		{"blink", blinkEvents(), VCDOptions{}},
		{"blink ns", blinkEvents(), VCDOptions{Timescale: time.Nanosecond, Comments: true}},
		{"blink coarse", blinkEvents(), VCDOptions{Timescale: 10 * time.Millisecond}},
		{"many pins", manyPins(300), VCDOptions{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkRoundTrip(t, tt.events, tt.opts) })
	}
}

// TestVCDRoundTripExact checks that with distinct times every change of
// every signal reads back exactly.
func TestVCDRoundTripExact(t *testing.T) {
	events := []Event{
		{At: 0, Kind: KindPin, Source: "A", Level: true},
		{At: 2 * ms, Kind: KindPin, Source: "B", Level: false},
		{At: 3 * ms, Kind: KindPin, Source: "A", Level: false},
		{At: 4 * ms, Kind: KindTask, Source: "t", Text: "ready"},
		{At: 5 * ms, Kind: KindTask, Source: "t", Text: "running"},
		{At: 6 * ms, Kind: KindPin, Source: "B", Level: true},
		{At: 7 * ms, Kind: KindTask, Source: "t", Text: "sleeping"},
		{At: 8 * ms, Kind: KindTask, Source: "t", Text: "failed"},
	}
	var b bytes.Buffer
	if err := WriteVCD(&b, events, VCDOptions{End: 10 * ms}); err != nil {
		t.Fatal(err)
	}
	v, err := ReadVCD(&b)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]Change{
		"pins.A":          {{0, "1"}, {3 * ms, "0"}},
		"pins.B":          {{0, "x"}, {2 * ms, "0"}, {6 * ms, "1"}},
		"tasks.t_running": {{0, "0"}, {5 * ms, "1"}, {7 * ms, "0"}},
		"tasks.t_ready":   {{0, "0"}, {4 * ms, "1"}, {5 * ms, "0"}},
		"tasks.t_waiting": {{0, "0"}, {7 * ms, "1"}, {8 * ms, "0"}},
	}
	if len(v.Signals) != len(want) {
		t.Errorf("ReadVCD: %d signals, want %d", len(v.Signals), len(want))
	}
	for _, s := range v.Signals {
		if got := fmt.Sprint(s.Changes); got != fmt.Sprint(want[s.Name]) {
			t.Errorf("%s: changes %s, want %s", s.Name, got, fmt.Sprint(want[s.Name]))
		}
		if s.Type != "wire" || s.Width != 1 {
			t.Errorf("%s: %s %d, want wire 1", s.Name, s.Type, s.Width)
		}
	}
	if v.End != 10*ms || v.Timescale != time.Microsecond || v.Version != "github.com/coopgo/coop/trace" {
		t.Errorf("ReadVCD: End %v, Timescale %v, Version %q", v.End, v.Timescale, v.Version)
	}
}

func manyPins(n int) []Event {
	var ev []Event
	for i := range n {
		ev = append(ev, Event{At: time.Duration(i) * time.Microsecond, Kind: KindPin, Source: fmt.Sprintf("P%d", i%150), Level: i%3 == 0})
	}
	return ev
}

// FuzzVCDRoundTrip builds events from bytes, writes them and reads them back.
func FuzzVCDRoundTrip(f *testing.F) {
	f.Add([]byte{0, 1, 1, 5, 1, 2, 0, 3, 0, 1, 0, 0})
	f.Add([]byte("pins and tasks and more"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:min(len(data), 300)] // keeps runs and minimization quick
		var events []Event
		at := time.Duration(0)
		sources := []string{"LED", "GP 1", "GP_1", "main", "", "1", "main_running", "main running"}
		states := []string{"running", "ready", "sleeping", "waiting", "done", "cancelled", "failed", "new"}
		for len(data) >= 3 {
			op, src, arg := data[0], data[1], data[2]
			data = data[3:]
			at += time.Duration(op>>3) * 100 * time.Nanosecond
			s := sources[int(src)%len(sources)]
			switch op % 4 {
			case 0:
				events = append(events, Event{At: at, Kind: KindPin, Source: s, Level: arg%2 == 1})
			case 1:
				events = append(events, Event{At: at, Kind: KindTask, Source: s, Text: states[int(arg)%len(states)]})
			case 2:
				events = append(events, Event{At: at, Kind: KindConsole, Text: string(data[:min(len(data), int(arg%8))])})
			case 3:
				events = append(events, Event{At: at, Kind: KindMark, Text: "$end"})
			}
		}
		checkRoundTrip(t, events, VCDOptions{Comments: true})
	})
}

func TestStretchSteps(t *testing.T) {
	ms := time.Millisecond
	events := []Event{
		{At: 0, Kind: KindTask, Source: "a", Text: StateRunning},
		{At: 0, Kind: KindTask, Source: "b", Text: StateReady},
		{At: 0, Kind: KindTask, Source: "a", Text: StateSleeping}, // a zero-length step
		{At: 0, Kind: KindPin, Source: "LED", Level: true},
		{At: 0, Kind: KindTask, Source: "b", Text: StateRunning},
		{At: 0, Kind: KindTask, Source: "b", Text: StateDone},
		{At: 5 * ms, Kind: KindTask, Source: "a", Text: StateRunning},
		{At: 7 * ms, Kind: KindTask, Source: "a", Text: StateWaiting}, // a step of 2 units: kept
	}
	var got []string
	for _, e := range stretchSteps(events, ms, 7*ms) {
		got = append(got, fmt.Sprintf("%v %s %s", e.At, e.Source, e.Text))
	}
	want := []string{"0s a running", "0s b ready", "0s LED ", "0s b running", "1ms a sleeping", "1ms b done", "5ms a running", "7ms a waiting"}
	if !slices.Equal(got, want) {
		t.Errorf("stretchSteps = %q\nwant %q", got, want)
	}
}

// Value signals are real variables in their own scope, written only when
// they change.
func TestWriteVCD_values(t *testing.T) {
	var r Recorder
	r.Pin(0, "GP26", false)
	r.Value(0, "GP15", 4915)
	r.Value(20*time.Millisecond, "servo1.angle", 90)
	r.Value(30*time.Millisecond, "servo1.angle", 90) // the same: dropped
	r.Value(40*time.Millisecond, "servo1.angle", 135.5)
	var b strings.Builder
	if err := WriteVCD(&b, r.Events(), VCDOptions{Timescale: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	want := `$version github.com/coopgo/coop/trace $end
$timescale 1ms $end
$scope module pins $end
$var wire 1 ! GP26 $end
$upscope $end
$scope module values $end
$var real 64 " GP15 $end
$var real 64 # servo1_angle $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
0!
r4915 "
r0 #
$end
#20
r90 #
#40
r135.5 #
`
	if got := b.String(); got != want {
		t.Errorf("WriteVCD =\n%s\nwant\n%s", got, want)
	}
	if got := r.Events()[2].String(); got != "20ms value servo1.angle 90" {
		t.Errorf("Event.String() = %q", got)
	}
}
