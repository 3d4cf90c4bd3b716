package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

func TestKeymap(t *testing.T) {
	click := func(i int) keyAction { return keyAction{kind: keyClick, button: i} }
	hold := func(i int) keyAction { return keyAction{kind: keyHold, button: i} }
	quit := keyAction{kind: keyQuit}
	none := keyAction{}
	tests := []struct {
		buttons int
		keys    string
		want    []keyAction
	}{
		{2, "12", []keyAction{click(0), click(1)}},
		{2, "3", []keyAction{none}}, // no third button
		{2, " ", []keyAction{click(0)}},
		{2, "h2", []keyAction{none, hold(1)}},
		{2, "H ", []keyAction{none, hold(0)}},
		{2, "hx1", []keyAction{none, none, click(0)}}, // another key cancels h
		{2, "h3", []keyAction{none, none}},
		{0, "h1", []keyAction{none, none}},
		{0, "q", []keyAction{quit}},
		{1, "Q", []keyAction{quit}},
		{1, "\x03", []keyAction{quit}},
		{9, "9", []keyAction{click(8)}},
		{9, "0", []keyAction{none}},
	}
	for _, tt := range tests {
		m := keymap{buttons: tt.buttons}
		var got []keyAction
		for _, c := range []byte(tt.keys) {
			got = append(got, m.key(c))
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("keymap{buttons: %d} keys %q = %v, want %v", tt.buttons, tt.keys, got, tt.want)
		}
	}
}

func TestKeyHint(t *testing.T) {
	btn := func(name string) sim.Part { return sim.NewButton(sim.ButtonConfig{Name: name}) }
	tests := []struct {
		buttons []sim.Part
		want    string
	}{
		{nil, "keys: q quit"},
		{[]sim.Part{btn("btn1")}, "keys: 1 btn1 · h+N hold · q quit"},
		{[]sim.Part{btn("up"), btn("down")}, "keys: 1 up · 2 down · h+N hold · q quit"},
	}
	for _, tt := range tests {
		if got := keyHint(tt.buttons); got != tt.want {
			t.Errorf("keyHint(%d buttons) = %q, want %q", len(tt.buttons), got, tt.want)
		}
	}
}

// chunks is a reader that returns one chunk per Read, as a terminal
// returns what was typed since the last read.
type chunks []string

func (c *chunks) Read(p []byte) (int, error) {
	if len(*c) == 0 {
		return 0, io.EOF
	}
	n := copy(p, (*c)[0])
	*c = (*c)[1:]
	return n, nil
}

// Keys read from a reader press the buttons of a board, on its loop: a tap
// is a 150 ms click, taps faster than that queue, h+N holds a button until
// h+N or a tap, and an escape sequence presses nothing.
func TestKeyboard(t *testing.T) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, err := sim.NewBoard(l, "pico2w", sim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	btn1, btn2 := sim.NewButton(sim.ButtonConfig{Name: "btn1"}), sim.NewButton(sim.ButtonConfig{Name: "btn2"})
	if err := b.Attach("GP14", btn1); err != nil {
		t.Fatal(err)
	}
	if err := b.Attach("GP15", btn2); err != nil {
		t.Fatal(err)
	}
	quits := 0
	k := &keyboard{loop: l, buttons: []sim.Part{btn1, btn2}, quit: func() { quits++ }}

	// What the buttons do, from the edges of their pins.
	var log []string
	for pin, btn := range map[string]*sim.Button{"GP14": btn1, "GP15": btn2} {
		in, err := b.Input(pin, hw.PullUp)
		if err != nil {
			t.Fatal(err)
		}
		in.SetInterrupt(hw.EdgeRising|hw.EdgeFalling, func(e hw.Edge) {
			log = append(log, fmt.Sprintf("%v %s %v", l.Now(), btn.Name(), e == hw.EdgeFalling))
		})
	}

	steps := []struct {
		keys  chunks
		until time.Duration
	}{
		{chunks{"1"}, time.Second},                            // a click
		{chunks{"2", "\x1b[1;5A", "\x1bOP"}, 2 * time.Second}, // Ctrl-Up, F1: nothing
		{chunks{"111"}, 3 * time.Second},                      // two clicks queue, the third is dropped
		{chunks{"h1"}, 4 * time.Second},                       // hold
		{chunks{"2"}, 5 * time.Second},                        // the other button still clicks
		{chunks{" "}, 6 * time.Second},                        // a tap lets the held button go
		{chunks{"h", "2"}, 7 * time.Second},                   // h and its button in two reads
		{chunks{"h2q"}, 8 * time.Second},
	}
	for _, s := range steps {
		k.read(&s.keys, nil, false)
		if err := l.RunFor(s.until - l.Now()); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"0s btn1 true", "150ms btn1 false",
		"1s btn2 true", "1.15s btn2 false",
		"2s btn1 true", "2.15s btn1 false", "2.2s btn1 true", "2.35s btn1 false", "2.4s btn1 true", "2.55s btn1 false",
		"3s btn1 true",
		"4s btn2 true", "4.15s btn2 false",
		"5s btn1 false",
		"6s btn2 true",
		"7s btn2 false",
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("buttons:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
	if quits != 1 {
		t.Errorf("q quit %d times, want 1", quits)
	}
}
