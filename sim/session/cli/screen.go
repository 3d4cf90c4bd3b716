package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Terminal control, plain ANSI: no dependency needed for one line.
const (
	eraseLine  = "\r\x1b[K" // to the start of the line, and clear it
	noAutowrap = "\x1b[?7l" // a status line wider than the terminal is cut, not wrapped
	autowrap   = "\x1b[?7h"
)

// statusEvery is the shortest time between two drawings of the status line.
const statusEvery = 100 * time.Millisecond

// screen is where a run writes: console lines to standard output, messages
// to standard error and, when standard output is a terminal, a status line
// under the console. The status line is rendered anew at most every
// statusEvery; it is erased before each line written and put back, as it
// was, after a console line.
//
// The loop calls it (console lines, status ticks), and so does the run
// before and after the loop; a mutex keeps out console writes from
// goroutines a program might make.
type screen struct {
	mu         sync.Mutex
	in         io.Reader // standard input, where keys come from (keys.go), or nil
	out, err   io.Writer
	timestamps bool
	// hold, if not nil, keeps console lines and coop's messages until
	// release, in the order they came: a virtual run without --for prints
	// only once it is known to end.
	hold *heldLines

	// status renders the status line, on the loop; nil means no status
	// line (standard output is not a terminal).
	status func() string
	now    func() time.Time // the wall clock, for drawing no more often than statusEvery
	shown  bool             // the status line is on the screen
	text   string           // the status line last rendered
	last   time.Time        // when it was last rendered
	done   bool             // the run is over: no more status line

	// werr is the first error writing to out: the run fails with it.
	werr error

	// top, with --top, is the dashboard, drawn on each tick in place of
	// the status line; console lines and messages go into it (top.go).
	top *topScreen
}

// isTerminal reports whether w is a terminal, a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isTTY(f)
}

// console writes a line the program printed, at board time at.
func (s *screen) console(at time.Duration, line string) { s.line(at, line, s.timestamps) }

// pin writes a change on a pin at board time at, as a line of the
// console with its board time (--pins, session.ObservePins):
// "[   0.500s] GP15 (led1) on".
func (s *screen) pin(at time.Duration, text string) { s.line(at, text, true) }

// line writes a line of the console stream, at board time at, with the
// time first if stamped.
func (s *screen) line(at time.Duration, line string, stamped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.top != nil && !s.done {
		s.top.console(at, line)
		return
	}
	if s.hold != nil {
		writeLine(&s.hold.b, at, line, stamped)
		s.hold.mark(false)
		return
	}
	shown := s.shown
	s.eraseLocked()
	s.wrote(writeLine(s.out, at, line, stamped))
	switch {
	case s.status == nil || s.done:
	case s.now().Sub(s.last) >= statusEvery:
		s.drawLocked()
	case shown:
		// Put the line back as it was, so that it does not flicker;
		// the next tick brings it up to date.
		s.putLocked(s.text)
	}
}

func writeLine(w io.Writer, at time.Duration, line string, stamped bool) error {
	var err error
	if stamped {
		_, err = fmt.Fprintf(w, "%s %s\n", stamp(at), line)
	} else {
		_, err = fmt.Fprintln(w, line)
	}
	return err
}

// wrote notes the error of a write to out, if it is the first.
func (s *screen) wrote(err error) {
	if err != nil && s.werr == nil {
		s.werr = err
	}
}

// writeErr returns the first error writing standard output, or nil.
func (s *screen) writeErr() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.werr
}

// heldLines are the console lines and messages a screen holds back: their
// text, one after the other, cut into runs bound for one stream.
type heldLines struct {
	b    bytes.Buffer
	runs []heldRun
}

// heldRun is a run of held text bound for one stream: it ends at offset
// end of the text.
type heldRun struct {
	end   int
	isErr bool // standard error, not standard output
}

// mark ends the text written last as bound for standard error if isErr,
// standard output if not.
func (h *heldLines) mark(isErr bool) {
	if n := len(h.runs); n > 0 && h.runs[n-1].isErr == isErr {
		h.runs[n-1].end = h.b.Len()
		return
	}
	h.runs = append(h.runs, heldRun{end: h.b.Len(), isErr: isErr})
}

// release prints the lines and messages held back, in their order, and
// stops holding.
func (s *screen) release() { s.flushHeld(true) }

// drop forgets the console lines held back, prints the messages held back
// and stops holding.
func (s *screen) drop() { s.flushHeld(false) }

func (s *screen) flushHeld(console bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hold
	if h == nil {
		return
	}
	s.hold = nil
	s.eraseLocked()
	text, start := h.b.Bytes(), 0
	for _, r := range h.runs {
		switch {
		case r.isErr:
			s.err.Write(text[start:r.end])
		case console:
			_, err := s.out.Write(text[start:r.end])
			s.wrote(err)
		}
		start = r.end
	}
}

// errorf writes a line to standard error, "coop: " and the message; while
// console lines are held back, it is held with them.
func (s *screen) errorf(format string, a ...any) { s.message(true, format, a...) }

// errorNow is errorf for a message that cannot wait for the console lines
// held back, about a run that cannot go on: it is written at once.
func (s *screen) errorNow(format string, a ...any) { s.message(false, format, a...) }

func (s *screen) message(holdable bool, format string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.top != nil && s.top.on.Load() && !s.done {
		s.top.message(fmt.Sprintf("coop: "+format, a...))
		return
	}
	if holdable && s.hold != nil {
		fmt.Fprintf(&s.hold.b, "coop: "+format+"\n", a...)
		s.hold.mark(true)
		return
	}
	s.eraseLocked()
	fmt.Fprintf(s.err, "coop: "+format+"\n", a...)
}

// tick redraws the status line; call it on the loop.
func (s *screen) tick() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.top != nil && !s.done {
		s.top.draw(s.out)
	}
	if s.status != nil && !s.done {
		s.drawLocked()
	}
}

// finish erases the status line for good.
func (s *screen) finish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eraseLocked()
	if s.top != nil && !s.done {
		s.top.close(s.out, s.err)
	}
	s.done = true
}

// drawLocked renders the status line anew and puts it on the screen.
func (s *screen) drawLocked() {
	s.text = s.status()
	s.last = s.now()
	s.putLocked(s.text)
}

func (s *screen) putLocked(text string) {
	_, err := io.WriteString(s.out, eraseLine+noAutowrap+text+sgrReset+autowrap)
	s.wrote(err)
	s.shown = true
}

func (s *screen) eraseLocked() {
	if s.shown {
		_, err := io.WriteString(s.out, eraseLine)
		s.wrote(err)
		s.shown = false
	}
}
