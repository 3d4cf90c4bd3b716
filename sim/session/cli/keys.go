package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
)

// A terminal tells when a key goes down, never when it comes up: a key tap
// is a click, the button held down for clickHold. Taps that come faster are
// queued, clickGap apart, so that a double tap is a double press.
const (
	clickHold = 150 * time.Millisecond
	clickGap  = 50 * time.Millisecond
	// clickQueue is how far ahead taps may queue; more are dropped, as
	// when a key held down repeats.
	clickQueue = 2 * (clickHold + clickGap)
)

// keyKind is what a key does.
type keyKind uint8

const (
	keyNone  keyKind = iota
	keyClick         // press the button, release it clickHold later
	keyHold          // press the button and keep it down, or let it go
	keyQuit          // end the run, as Ctrl-C does
)

type keyAction struct {
	kind   keyKind
	button int // index in the wiring's buttons
}

// keymap turns keys into actions, for a board with buttons buttons:
//
//	1 … 9    click the wiring's first … ninth button
//	space    click the first button
//	h then N hold button N down, or let it go (h then space: the first)
//	q, Q     quit
//
// Other keys do nothing.
type keymap struct {
	buttons int
	hold    bool // an h waits for its button
}

func (m *keymap) key(c byte) keyAction {
	hold := m.hold
	m.hold = false
	i := -1
	switch {
	case c == 'q' || c == 'Q' || c == 0x03: // 0x03: Ctrl-C, should it come as a key
		return keyAction{kind: keyQuit}
	case c == 'h' || c == 'H':
		m.hold = m.buttons > 0
		return keyAction{}
	case c == ' ':
		i = 0
	case c >= '1' && c <= '9':
		i = int(c - '1')
	}
	if i < 0 || i >= m.buttons {
		return keyAction{}
	}
	if hold {
		return keyAction{kind: keyHold, button: i}
	}
	return keyAction{kind: keyClick, button: i}
}

// keyHint is the line that says which keys do what.
func keyHint(buttons []sim.Part) string {
	var b strings.Builder
	b.WriteString("keys:")
	for i, btn := range buttons[:min(len(buttons), 9)] {
		fmt.Fprintf(&b, " %d %s ·", i+1, btn.Name())
	}
	if len(buttons) > 0 {
		b.WriteString(" h+N hold ·")
	}
	b.WriteString(" q quit")
	return b.String()
}

// keyboard presses the buttons of a board from keys: the parts that take
// press and release (see pushable).
type keyboard struct {
	loop    *coop.Loop
	buttons []sim.Part
	quit    func() // on the loop

	// On the loop:
	state []buttonKeys
}

// buttonKeys is what the keys did to one button.
type buttonKeys struct {
	held    bool           // held down by h+N
	clicked bool           // a key has clicked it
	free    time.Duration  // board time the last click lets it go
	pending []*coop.Handle // presses and releases of clicks to come
}

// read reads keys from in and hands what they do to the loop, until in
// ends or done is closed. A terminal in cbreak mode returns io.EOF when no
// key came for a while (see cbreak): with poll, EOF means try again.
// An escape sequence (an arrow, a function key) is skipped to the end of
// the read, which a terminal sends it in: its digits are no buttons.
func (k *keyboard) read(in io.Reader, done <-chan struct{}, poll bool) {
	m := keymap{buttons: len(k.buttons)}
	buf := make([]byte, 64)
	for {
		select {
		case <-done:
			return
		default:
		}
		n, err := in.Read(buf)
		for _, c := range buf[:n] {
			if c == 0x1b { // the rest of the read is an escape sequence
				m.hold = false
				break
			}
			if a := m.key(c); a.kind != keyNone {
				k.loop.CallSoon(func() { k.apply(a) })
			}
		}
		if err != nil && !(poll && errors.Is(err, io.EOF)) {
			return
		}
	}
}

// apply does what a key asked. Call it on the loop.
func (k *keyboard) apply(a keyAction) {
	if a.kind == keyQuit {
		k.quit()
		return
	}
	if k.state == nil {
		k.state = make([]buttonKeys, len(k.buttons))
	}
	btn, st := k.buttons[a.button], &k.state[a.button]
	now := k.loop.Now()
	switch {
	case a.kind == keyHold && !st.held:
		for _, h := range st.pending {
			h.Cancel()
		}
		st.pending = st.pending[:0]
		st.held = true
		press(btn)
	case st.held: // h+N or a tap lets a held button go
		st.held = false
		release(btn)
	default: // a click
		at := now
		if st.clicked {
			at = max(now, st.free+clickGap)
		}
		if at-now > clickQueue {
			return
		}
		if st.free < now {
			st.pending = st.pending[:0] // every click before has been let go
		}
		st.clicked, st.free = true, at+clickHold
		st.pending = append(st.pending, k.loop.CallAt(at, func() { press(btn) }), k.loop.CallAt(st.free, func() { release(btn) }))
	}
}

// pushable returns the parts of a board that keys can push: those whose
// type takes press and release, in the order they were attached.
func pushable(b *sim.Board) []sim.Part {
	var ps []sim.Part
	for _, p := range b.Parts() {
		if t := sim.TypeOf(p); t != nil && t.Input("press") != nil && t.Input("release") != nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// press and release push a pushable part; pushable checked that it takes
// them.
func press(p sim.Part)   { _ = sim.Do(p, "press", nil) }
func release(p sim.Part) { _ = sim.Do(p, "release", nil) }
