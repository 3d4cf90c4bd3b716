package scenario

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopgo/coop/sim"
)

// Scenario is a parsed scenario file: a name and a list of steps. It may be
// started on any number of boards.
type Scenario struct {
	Name   string
	Author string
	file   string
	steps  []*step
	types  []*sim.PartType // the part types it was parsed with
}

// Step describes one step of a scenario, for messages and listings.
type Step struct {
	Index     int    // 1-based position in the steps list
	Line, Col int    // where the step's kind is written
	Kind      string // "delay", "press", "expect-pin"…
	// Target is what the step acts on or waits for, as messages show it:
	// "500ms", "btn1", "led1.A", `"LED ON"`, "Wokwi-GUEST".
	Target string
}

// String returns the step as "expect-pin led1.A".
func (s Step) String() string {
	if s.Target == "" {
		return s.Kind
	}
	return s.Kind + " " + s.Target
}

// step is a step and what it does.
type step struct {
	Step
	act action
}

// File returns the name the scenario was parsed with.
func (s *Scenario) File() string { return s.file }

// Steps returns the scenario's steps in order.
func (s *Scenario) Steps() []Step {
	out := make([]Step, len(s.steps))
	for i, st := range s.steps {
		out[i] = st.Step
	}
	return out
}

// Load reads and parses the scenario in the file at path.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(filepath.Base(path), data)
}

// The kinds of problems of a scenario. Errors of Parse, Load and
// [Scenario.Start] are [*Error] values wrapping one of them; a failed
// expectation is a [*StepError].
var (
	// ErrSyntax: the file is not YAML, or not shaped as a scenario (no
	// steps list, a step that is not a one-key mapping, an unknown
	// top-level key).
	ErrSyntax = errors.New("scenario: syntax error")
	// ErrUnknownStep: a step kind this package does not know.
	ErrUnknownStep = errors.New("scenario: unknown step")
	// ErrValue: a missing, unknown or bad field of a step: a duration
	// without a unit or not positive, a value out of range, an `at` earlier
	// than the steps before it reach.
	ErrValue = errors.New("scenario: bad value")
	// ErrUnknownPart: Start found no part, pin or access point of that
	// name.
	ErrUnknownPart = errors.New("scenario: unknown part")
	// ErrWrongPart: Start found the part, but the step cannot act on it
	// (pressing an LED).
	ErrWrongPart = errors.New("scenario: wrong kind of part")
	// ErrStopped is the result of a Runner stopped before it finished.
	ErrStopped = errors.New("scenario: stopped")
)

// Error is a problem with a scenario file, in one line: the file, the line
// and column where YAML puts it, and what is wrong.
type Error struct {
	File      string
	Line, Col int // 1-based; Col is 0 for YAML syntax errors, which give only the line
	Msg       string
	Err       error // one of the sentinels
}

// Error returns "scenario.yaml:12:5: step 4 (expect-pin): …".
func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// StepError is a failed expectation: what the step expected, what it got,
// and when, in board time.
type StepError struct {
	File     string
	Step     int // 1-based index
	Line     int
	Kind     string // "expect-pin"
	Target   string // "led1.A"
	Expected string // "1", `"LED ON" within 1s`
	Actual   string // "0", "no line"
	At       time.Duration
}

// Error returns `scenario.yaml:12: step 4 (expect-pin led1.A): at 3.1s
// expected 1, got 0`.
func (e *StepError) Error() string {
	what := e.Kind
	if e.Target != "" {
		what += " " + e.Target
	}
	return fmt.Sprintf("%s:%d: step %d (%s): at %v expected %s, got %s", e.File, e.Line, e.Step, what, e.At, e.Expected, e.Actual)
}

// quote quotes s for a message, shortened to about 60 bytes.
func quote(s string) string {
	if len(s) > 60 {
		i := 57
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i] + "..."
	}
	return strconv.Quote(s)
}

func list(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}
