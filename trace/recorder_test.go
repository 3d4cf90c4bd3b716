package trace

import (
	"slices"
	"sync"
	"testing"
	"time"
)

const ms = time.Millisecond

func TestKindString(t *testing.T) {
	tests := []struct {
		k    Kind
		want string
	}{
		{KindPin, "pin"},
		{KindConsole, "console"},
		{KindInterrupt, "interrupt"},
		{KindTask, "task"},
		{KindMark, "mark"},
		{0, "Kind(0)"},
		{42, "Kind(42)"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", tt.k, got, tt.want)
		}
	}
}

func TestEventString(t *testing.T) {
	tests := []struct {
		e    Event
		want string
	}{
		{Event{At: 1500 * ms, Kind: KindPin, Source: "GP15", Level: true}, "1.5s pin GP15 high"},
		{Event{At: 2 * time.Second, Kind: KindConsole, Text: "hello"}, `2s console "hello"`},
		{Event{At: 3 * ms, Kind: KindTask, Source: "blink", Text: "sleeping"}, "3ms task blink sleeping"},
		{Event{At: 0, Kind: KindInterrupt, Source: "GP14", Text: "rising"}, `0s interrupt GP14 "rising"`},
		{Event{At: 0, Kind: KindMark, Text: "press"}, `0s mark  "press"`},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.e, got, tt.want)
		}
	}
}

func TestRecorderPinDedup(t *testing.T) {
	type pin struct {
		at    time.Duration
		name  string
		level bool
	}
	tests := []struct {
		name string
		in   []pin
		want []Event
	}{
		{
			name: "first value of each pin is kept, low or high",
			in:   []pin{{0, "LED", false}, {0, "GP15", true}},
			want: []Event{
				{At: 0, Kind: KindPin, Source: "LED", Level: false},
				{At: 0, Kind: KindPin, Source: "GP15", Level: true},
			},
		},
		{
			name: "repeats dropped per pin",
			in: []pin{
				{1 * ms, "LED", true}, {2 * ms, "LED", true}, {3 * ms, "GP15", true},
				{4 * ms, "LED", false}, {5 * ms, "GP15", true}, {6 * ms, "LED", false}, {7 * ms, "LED", true},
			},
			want: []Event{
				{At: 1 * ms, Kind: KindPin, Source: "LED", Level: true},
				{At: 3 * ms, Kind: KindPin, Source: "GP15", Level: true},
				{At: 4 * ms, Kind: KindPin, Source: "LED", Level: false},
				{At: 7 * ms, Kind: KindPin, Source: "LED", Level: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Recorder
			for _, p := range tt.in {
				r.Pin(p.at, p.name, p.level)
			}
			if got := r.Events(); !slices.Equal(got, tt.want) {
				t.Errorf("Events() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRecorderOrderAndKinds(t *testing.T) {
	var r Recorder
	r.Task(0, "main", "running")
	r.Console(1*ms, "hello")
	r.Interrupt(2*ms, "GP14", "rising")
	r.Mark(3*ms, "button pressed")
	r.Pin(4*ms, "LED", true)
	r.Record(Event{At: 5 * ms, Kind: KindPin, Source: "LED", Level: true}) // a repeat: dropped
	r.Record(Event{At: 1 * ms, Kind: KindTask, Source: "main", Text: "done"})
	want := []Event{
		{At: 0, Kind: KindTask, Source: "main", Text: "running"},
		{At: 1 * ms, Kind: KindConsole, Text: "hello"},
		{At: 2 * ms, Kind: KindInterrupt, Source: "GP14", Text: "rising"},
		{At: 3 * ms, Kind: KindMark, Text: "button pressed"},
		{At: 4 * ms, Kind: KindPin, Source: "LED", Level: true},
		{At: 1 * ms, Kind: KindTask, Source: "main", Text: "done"}, // recording order, not time order
	}
	if got := r.Events(); !slices.Equal(got, want) {
		t.Errorf("Events() = %v, want %v", got, want)
	}
	if got := r.Len(); got != len(want) {
		t.Errorf("Len() = %d, want %d", got, len(want))
	}

	// Events returns a copy.
	got := r.Events()
	got[0].Text = "changed"
	if r.Events()[0].Text != "running" {
		t.Errorf("changing the slice from Events() changed the recorder")
	}

	r.Reset()
	if got := r.Events(); len(got) != 0 {
		t.Errorf("Events() after Reset = %v, want none", got)
	}
	r.Pin(9*ms, "LED", true) // recorded again: Reset forgets levels
	if got, want := r.Events(), []Event{{At: 9 * ms, Kind: KindPin, Source: "LED", Level: true}}; !slices.Equal(got, want) {
		t.Errorf("Events() after Reset and Pin = %v, want %v", got, want)
	}
}

func TestRecorderSubscribe(t *testing.T) {
	var r Recorder
	var a, b []string
	r.Mark(0, "before")
	cancelA := r.Subscribe(func(e Event) { a = append(a, e.Text) })
	cancelB := r.Subscribe(func(e Event) {
		b = append(b, e.Text)
		if e.Text == "one" {
			r.Mark(e.At, "from listener") // outside the lock: no deadlock
		}
	})
	r.Mark(1*ms, "one")
	r.Pin(2*ms, "LED", true)
	r.Pin(3*ms, "LED", true) // dropped: listeners do not see it
	cancelA()
	cancelA() // harmless
	r.Mark(4*ms, "two")
	cancelB()
	r.Mark(5*ms, "three")

	if want := []string{"one", "from listener", ""}; !slices.Equal(a, want) {
		t.Errorf("listener A saw %q, want %q", a, want)
	}
	if want := []string{"one", "from listener", "", "two"}; !slices.Equal(b, want) {
		t.Errorf("listener B saw %q, want %q", b, want)
	}
	if got := r.Len(); got != 6 {
		t.Errorf("Len() = %d, want 6", got)
	}
}

func TestRecorderConcurrent(t *testing.T) {
	var r Recorder
	var mu sync.Mutex
	seen := 0
	cancel := r.Subscribe(func(Event) { mu.Lock(); seen++; mu.Unlock() })
	defer cancel()
	const goroutines, each = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			pin := "GP" + string(rune('0'+g))
			for i := range each {
				at := time.Duration(i) * ms
				r.Pin(at, pin, i%2 == 0)
				r.Task(at, pin, "running")
				r.Console(at, "line")
				if i == each/2 {
					stop := r.Subscribe(func(Event) {})
					stop()
					_ = r.Events()
				}
			}
		})
	}
	wg.Wait()
	const want = goroutines * each * 3
	if got := r.Len(); got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	if seen != want {
		t.Errorf("listener saw %d events, want %d", seen, want)
	}
	// Each goroutine's events keep their order.
	last := map[string]time.Duration{}
	for _, e := range r.Events() {
		if e.Kind != KindPin {
			continue
		}
		if prev, ok := last[e.Source]; ok && e.At != prev+ms {
			t.Fatalf("pin %s: event at %v after %v, want in order", e.Source, e.At, prev)
		}
		last[e.Source] = e.At
	}
}
