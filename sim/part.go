package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PartType describes a kind of part: what a wiring file calls it, its pins,
// its attributes, how it must be wired, what it shows and what a scenario
// or a person can do to it. Every part of this package has one, returned
// by its Type method and listed by [PartTypes]; the wiring reader, the
// scenario runner, the status line and the web page work from it and never
// name a concrete part.
//
// The exported fields are data, JSON-friendly, for a page that draws the
// board generically; the func fields are how the simulator builds and wires
// the part.
type PartType struct {
	// Type is the part's type in a wiring file: Wokwi's name where Wokwi
	// has the part ("wokwi-led").
	Type string `json:"type"`
	// Aliases are other types that make the same part
	// ("wokwi-pushbutton-6mm").
	Aliases []string `json:"aliases,omitempty"`
	// Kind is what the part is, in one word, for drawing: "led",
	// "button", "sensor", "potentiometer", "servo", "resistor".
	Kind string `json:"kind"`
	// Title names the part in messages: "an LED", "a DHT22".
	Title string `json:"title"`
	// Pins are the part's pins, as a wiring file names them.
	Pins []PinSpec `json:"pins"`
	// Attrs are the attributes a wiring file may set.
	Attrs []Attr `json:"attrs,omitempty"`
	// State describes what the part shows, in the order it is shown: the
	// keys and values of the part's [Described.State].
	State []Field `json:"state,omitempty"`
	// Inputs are what a scenario step or a person can do to the part.
	Inputs []Input `json:"inputs,omitempty"`
	// Controls are the controls of Wokwi's set-control step: each is an
	// argument of the part's "set-control" input.
	Controls []Arg `json:"controls,omitempty"`
	// Series is true for a two-pin passive part (a resistor) that, wired
	// between a board pin and another part, passes the signal through
	// and makes no part of its own.
	Series bool `json:"series,omitempty"`

	// Hookup works out from the nets of the part's pins which board pin
	// the part acts on and how; see [Hookup]. Its error wraps
	// [ErrNotWired] or [ErrMiswired]; its message reads after the part's
	// name ("is not connected to a board pin") and says how to wire it.
	Hookup func(net func(pin string) Net) (Hookup, error) `json:"-"`
	// New makes the part, named name, from its attributes (checked
	// against Attrs, defaults filled in) and its hookup. Its error says
	// which attributes do not go together.
	New func(name string, attrs AttrValues, h Hookup) (Part, error) `json:"-"`
}

// PinSpec describes one pin of a part type.
type PinSpec struct {
	Name string `json:"name"` // as a wiring file names it: "A", "SDA", "1.l"
	Doc  string `json:"doc,omitempty"`
	// Power marks a supply pin (VCC, GND) the simulator does not check.
	Power bool `json:"power,omitempty"`
	// Same names another pin of the part joined to this one inside it
	// (the two legs of one side of a push button).
	Same string `json:"same,omitempty"`
}

// AttrKind is the type of a wiring attribute or of an input argument.
type AttrKind string

// The kinds of attributes and arguments.
const (
	KindNumber   AttrKind = "number"   // a decimal number in [Min, Max]
	KindDuration AttrKind = "duration" // a Go duration such as "5ms", at least 0
	KindChoice   AttrKind = "choice"   // one of Choices
	KindText     AttrKind = "text"     // any text
	KindBool     AttrKind = "bool"     // 0 or 1 (false or true)
)

// Attr describes one attribute of a part type in a wiring file.
type Attr struct {
	Name     string   `json:"name"`
	Kind     AttrKind `json:"kind"`
	Doc      string   `json:"doc,omitempty"`
	Default  string   `json:"default,omitempty"` // as a wiring file writes it
	Min      float64  `json:"min,omitempty"`
	Max      float64  `json:"max,omitempty"`
	Unit     string   `json:"unit,omitempty"` // "°C", "%"
	Choices  []string `json:"choices,omitempty"`
	Optional bool     `json:"optional,omitempty"` // absent means unset, not Default
}

// Check returns the attribute's value from text s, as a wiring file writes
// it, or why it is not allowed: "humidity \"120\" must be a number from 0
// to 100 %".
func (a Attr) Check(s string) (any, error) {
	switch a.Kind {
	case KindNumber:
		v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || v != v || v < a.Min || v > a.Max {
			return nil, fmt.Errorf("%s %q must be a number from %v to %v%s", a.Name, s, a.Min, a.Max, spaced(a.Unit))
		}
		return v, nil
	case KindDuration:
		v, err := time.ParseDuration(s)
		if err != nil || v < 0 {
			return nil, fmt.Errorf("%s %q must be a duration such as \"5ms\"", a.Name, s)
		}
		return v, nil
	case KindChoice:
		for _, c := range a.Choices {
			if s == c {
				return s, nil
			}
		}
		msg := fmt.Sprintf("%s %q must be one of %s", a.Name, s, quoteAll(a.Choices))
		if a.Doc != "" {
			msg += " (" + a.Doc + ")"
		}
		return nil, errors.New(msg)
	}
	return s, nil
}

func spaced(unit string) string {
	if unit == "" {
		return ""
	}
	return " " + unit
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

// AttrValues are the attributes of one part of a wiring file, checked
// against its type's [Attr] list: numbers as float64, durations as
// time.Duration, the rest as string. An attribute the file leaves out has
// its default, unless it is Optional.
type AttrValues map[string]any

// CheckAttrs checks the attributes of a part of type t, given as the
// texts a wiring file writes, and fills in defaults. Attributes t does not
// list are left out: a wiring reader decides which unknown ones are
// errors.
func (t *PartType) CheckAttrs(raw map[string]string) (AttrValues, error) {
	vals := AttrValues{}
	for _, a := range t.Attrs {
		s, ok := raw[a.Name]
		if !ok {
			if a.Optional {
				continue
			}
			s = a.Default
		}
		v, err := a.Check(s)
		if err != nil {
			return nil, err
		}
		vals[a.Name] = v
	}
	return vals, nil
}

// Has reports whether attribute name has a value.
func (v AttrValues) Has(name string) bool { _, ok := v[name]; return ok }

// Number returns a number attribute, 0 if it has none.
func (v AttrValues) Number(name string) float64 { f, _ := v[name].(float64); return f }

// Duration returns a duration attribute, 0 if it has none.
func (v AttrValues) Duration(name string) time.Duration { d, _ := v[name].(time.Duration); return d }

// Text returns a text or choice attribute, "" if it has none.
func (v AttrValues) Text(name string) string { s, _ := v[name].(string); return s }

// FieldShow says how a text display shows a state field.
type FieldShow string

// The ways to show a field. A page may draw fields its own way; these are
// what the status line does.
const (
	ShowValue  FieldShow = ""       // the number with its unit: "24.0°C"
	ShowLight  FieldShow = "light"  // a dot lit in the part's "color" field
	ShowSwitch FieldShow = "switch" // the True or False word, highlighted when true
	ShowHidden FieldShow = "hidden" // not shown as text (a colour)
)

// Field describes one entry of a part's state.
type Field struct {
	Name string   `json:"name"` // the key in [State]: "on", "temperature"
	Kind AttrKind `json:"kind"` // KindBool (a bool), KindNumber (a float64), KindText (a string)
	Doc  string   `json:"doc,omitempty"`
	Unit string   `json:"unit,omitempty"` // "°C", "°", "%"
	Min  float64  `json:"min,omitempty"`
	Max  float64  `json:"max,omitempty"`
	// Digits is how many decimals a number is shown with.
	Digits int       `json:"digits,omitempty"`
	Show   FieldShow `json:"show,omitempty"`
	// True and False are the words of a switch: "down", "up".
	True  string `json:"true,omitempty"`
	False string `json:"false,omitempty"`
	// Trace marks a number that is traced as a value signal, named
	// "part.field", whenever it changes.
	Trace bool `json:"trace,omitempty"`
}

// Format returns v, a value of the field, as the status line writes it:
// "24.0°C", "90°", "down".
func (f Field) Format(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return f.True
		}
		return f.False
	case float64:
		return strconv.FormatFloat(x, 'f', f.Digits, 64) + f.Unit
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// State is what a part shows now, by field name: bool, float64 or string
// values as its type's [Field] list says. It encodes as a JSON object.
type State map[string]any

// Input describes something a scenario step or a person can do to a part:
// press a button, ramp a temperature, turn a knob. A scenario writes it as
// a step of that name, `press: btn1` for an input without required
// arguments, or `turn: {part-id: pot1, to: 0.75, over: 2s}`.
type Input struct {
	Name string `json:"name"` // the step's name: "press", "turn"
	Doc  string `json:"doc,omitempty"`
	Args []Arg  `json:"args,omitempty"`
	// Lasts names the duration argument for which the input holds the
	// part (click's and hold's "for"): a scenario step waits that long.
	Lasts string `json:"lasts,omitempty"`
}

// Arg describes one argument of an input.
type Arg struct {
	Name     string   `json:"name"`
	Kind     AttrKind `json:"kind"`
	Doc      string   `json:"doc,omitempty"`
	Unit     string   `json:"unit,omitempty"`
	Min      float64  `json:"min,omitempty"`
	Max      float64  `json:"max,omitempty"`
	Choices  []string `json:"choices,omitempty"`
	Optional bool     `json:"optional,omitempty"`
	// Default is the value of an optional argument left out, as a
	// scenario writes it ("100ms"); "" leaves it out of [Args].
	Default string `json:"default,omitempty"`
}

// Args are the arguments of an input, by name: numbers as float64,
// durations as time.Duration, choices as string, bools as bool. An
// optional argument left out without a default is absent.
type Args map[string]any

// Number returns a number argument and whether it is there.
func (a Args) Number(name string) (float64, bool) { v, ok := a[name].(float64); return v, ok }

// Duration returns a duration argument, 0 if it is not there.
func (a Args) Duration(name string) time.Duration { d, _ := a[name].(time.Duration); return d }

// Choice returns a choice argument, "" if it is not there.
func (a Args) Choice(name string) string { s, _ := a[name].(string); return s }

// Bool returns a bool argument, false if it is not there.
func (a Args) Bool(name string) bool { b, _ := a[name].(bool); return b }

// Input returns the input of t called name, or nil.
func (t *PartType) Input(name string) *Input {
	for i := range t.Inputs {
		if t.Inputs[i].Name == name {
			return &t.Inputs[i]
		}
	}
	return nil
}

// Pin returns the pin of t called name, or nil.
func (t *PartType) Pin(name string) *PinSpec {
	for i := range t.Pins {
		if t.Pins[i].Name == name {
			return &t.Pins[i]
		}
	}
	return nil
}

// PinNames returns the names of t's pins in order.
func (t *PartType) PinNames() []string {
	names := make([]string, len(t.Pins))
	for i, p := range t.Pins {
		names[i] = p.Name
	}
	return names
}

// Is reports whether typ names t, by its type or an alias.
func (t *PartType) Is(typ string) bool {
	if typ == t.Type {
		return true
	}
	for _, a := range t.Aliases {
		if a == typ {
			return true
		}
	}
	return false
}

// Described is a [Part] that says what it is and what it shows. Every part
// of this package is one.
type Described interface {
	Part
	// Type returns the part's type.
	Type() *PartType
	// State returns what the part shows now, as its type's State fields
	// describe. Call it on the board's loop.
	State() State
}

// Actor is a [Part] that takes inputs: the ones its type lists, and
// "set-control" with its type's Controls as arguments.
type Actor interface {
	Part
	// Do acts on the part now, on the board's loop. args are checked
	// against the input's arguments by the caller; the error says what
	// is wrong with a combination of them.
	Do(input string, args Args) error
}

// Capability is what a board pin can do beyond digital in and out.
type Capability string

// The capabilities.
const (
	CapADC Capability = "adc" // an analogue input
	CapPWM Capability = "pwm" // a PWM output
)

// Net is what one pin of a part reaches through a wiring file's
// connections.
type Net struct {
	// ID tells nets apart: two pins are joined when their nets' IDs are
	// equal.
	ID         int
	GPIO       string // the board pin on the net ("GP15"), or ""
	GND        string // a ground pin on it ("GND.1"), or ""
	Supply     string // a supply pin on it ("3V3"), or ""
	Unmodelled string // a board pin the simulator does not model ("RUN"), or ""
	// Members is how many pins the net joins.
	Members int
}

// Anchored reports whether the net reaches a board pin or a rail.
func (n Net) Anchored() bool {
	return n.GPIO != "" || n.GND != "" || n.Supply != "" || n.Unmodelled != ""
}

// String names what the net reaches: its board pin, else a rail, else
// "nothing".
func (n Net) String() string {
	for _, s := range []string{n.GPIO, n.GND, n.Supply, n.Unmodelled} {
		if s != "" {
			return s
		}
	}
	return "nothing"
}

// Hookup is what a part does to the board pin it is wired to, as its
// type's Hookup works it out from the nets of its pins.
type Hookup struct {
	// Pin is the board pin the part acts on, or "" for a part that is
	// not a part of its own (a resistor in series).
	Pin string
	// To is the rail the part connects the pin to: a button's other side,
	// a pull resistor's.
	To Level
	// Inverted is true for a part wired the other way round: an LED
	// from 3V3 to the pin (lit when low), a potentiometer with VCC and
	// GND swapped.
	Inverted bool
	// Pull is the pull the part puts on the pin: a pull resistor's, the
	// DHT22 module's pull-up.
	Pull Level
	// Exclusive is true for a part that needs its pin to itself.
	Exclusive bool
	// Needs is what the pin must be able to do ("" for digital only).
	Needs Capability
	// Warning, if not "", is why the part is ignored although the file
	// is valid (a resistor wired to nothing).
	Warning string
}

// The problems a part type's Hookup reports.
var (
	// ErrNotWired: a pin the part needs reaches no board pin or rail.
	ErrNotWired = errors.New("sim: part not wired")
	// ErrMiswired: the part's pins are wired in a way it cannot work.
	ErrMiswired = errors.New("sim: part wired wrongly")
)

// PartTypes returns the types of every part this package makes, in the
// order a status line shows them. It builds a new list on each call: a
// part is added by writing its file and adding its type here.
func PartTypes() []*PartType {
	return []*PartType{
		LEDType(),
		ButtonType(),
		DHT22Type(),
		PotentiometerType(),
		ServoType(),
		ResistorType(),
	}
}

// PartTypesWith returns [PartTypes] followed by own, a program's own part
// types: the parts a wiring file may use and a scenario may act on when
// the program defines parts of its own (session.Config.Parts,
// device.WithParts). A part type of a program needs Type, Kind, Title,
// Pins, Hookup and New, as this package's do; its parts implement
// [Described] to be shown and [Actor] to take a scenario's inputs.
//
// It panics, naming the type, for a nil type, one without Type, Hookup or
// New, and one whose type or alias another type has already: those are
// mistakes in the program's source, not in its input files.
func PartTypesWith(own ...*PartType) []*PartType {
	types := PartTypes()
	if len(own) == 0 {
		return types
	}
	seen := map[string]bool{}
	for _, t := range types {
		seen[t.Type] = true
		for _, a := range t.Aliases {
			seen[a] = true
		}
	}
	for i, t := range own {
		switch {
		case t == nil:
			panic(fmt.Sprintf("sim: part type %d of the program's own is nil", i+1))
		case t.Type == "":
			panic(fmt.Sprintf("sim: part type %d of the program's own (%q) has no Type: give it the name a diagram.json calls it", i+1, t.Title))
		case t.Hookup == nil || t.New == nil:
			panic(fmt.Sprintf("sim: part type %q needs Hookup and New: the wiring calls Hookup to find its board pin and New to make the part", t.Type))
		}
		for _, name := range append([]string{t.Type}, t.Aliases...) {
			if seen[name] {
				panic(fmt.Sprintf("sim: part type %q is given twice, or is one of coop's own: give the program's part another type", name))
			}
			seen[name] = true
		}
		types = append(types, t)
	}
	return types
}

// LookupPartType returns the part type a wiring file calls typ (by its
// type or an alias), or nil.
func LookupPartType(typ string) *PartType {
	for _, t := range PartTypes() {
		if t.Is(typ) {
			return t
		}
	}
	return nil
}

// TypeOf returns the type of p, or nil for a part that does not describe
// itself.
func TypeOf(p Part) *PartType {
	if d, ok := p.(Described); ok {
		return d.Type()
	}
	return nil
}

// StateOf returns what p shows now, or nil for a part that does not
// describe itself.
func StateOf(p Part) State {
	if d, ok := p.(Described); ok {
		return d.State()
	}
	return nil
}

// Title returns how messages name a part: its type's Title ("a button"),
// or its Go type for a part that does not describe itself.
func Title(p Part) string {
	if t := TypeOf(p); t != nil {
		return t.Title
	}
	return fmt.Sprintf("a %T", p)
}

// Do applies input with args to part p: the way a scenario or a person
// acts on any part. It checks that p's type has the input (or, for
// "set-control", the control) and that args hold its required arguments;
// the error wraps [ErrNoInput] for an input p does not take.
func Do(p Part, input string, args Args) error {
	t := TypeOf(p)
	a, ok := p.(Actor)
	if t == nil || !ok {
		return &hookupError{ErrNoInput, fmt.Sprintf("sim: part %q is %s, which takes no inputs", p.Name(), Title(p))}
	}
	var want []Arg
	if input == "set-control" {
		for name := range args {
			if t.control(name) == nil {
				return &hookupError{ErrNoInput, fmt.Sprintf("sim: part %q is %s, which has no control %q (controls: %s)", p.Name(), t.Title, name, argNames(t.Controls))}
			}
		}
	} else {
		in := t.Input(input)
		if in == nil {
			return &hookupError{ErrNoInput, fmt.Sprintf("sim: part %q is %s, which takes no %s (inputs: %s)", p.Name(), t.Title, input, t.inputNames())}
		}
		want = in.Args
	}
	for _, arg := range want {
		if _, ok := args[arg.Name]; !ok && !arg.Optional {
			return fmt.Errorf("sim: %s of part %q needs %s", input, p.Name(), arg.Name)
		}
	}
	return a.Do(input, args)
}

// ErrNoInput is wrapped by [Do]'s error for an input the part does not
// take.
var ErrNoInput = errors.New("sim: part takes no such input")

func (t *PartType) control(name string) *Arg {
	for i := range t.Controls {
		if t.Controls[i].Name == name {
			return &t.Controls[i]
		}
	}
	return nil
}

func (t *PartType) inputNames() string {
	if len(t.Inputs) == 0 && len(t.Controls) == 0 {
		return "none"
	}
	names := make([]string, 0, len(t.Inputs)+1)
	for _, in := range t.Inputs {
		names = append(names, in.Name)
	}
	if len(t.Controls) > 0 {
		names = append(names, "set-control")
	}
	return strings.Join(names, ", ")
}

func argNames(args []Arg) string {
	if len(args) == 0 {
		return "none"
	}
	names := make([]string, len(args))
	for i, a := range args {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// partWire is embedded by the parts of this package: the wire they are
// attached by.
type partWire struct{ w *Wire }

func (pw *partWire) attach(w *Wire, what string) error {
	if pw.w != nil {
		return errors.New(what + " is attached already")
	}
	pw.w = w
	return nil
}

// Pin returns the pin the part is on, or "" if it is not attached.
func (pw *partWire) Pin() string {
	if pw.w == nil {
		return ""
	}
	return pw.w.Pin()
}

// hookupError is an error of a part's hookup or input: its message says
// what to do, and it wraps a sentinel (ErrNotWired, ErrMiswired,
// ErrNoInput).
type hookupError struct {
	err error
	msg string
}

func (e *hookupError) Error() string { return e.msg }
func (e *hookupError) Unwrap() error { return e.err }

func notWired(format string, a ...any) error {
	return &hookupError{ErrNotWired, fmt.Sprintf(format, a...)}
}

func miswired(format string, a ...any) error {
	return &hookupError{ErrMiswired, fmt.Sprintf(format, a...)}
}

// errNoBoardPin is the Hookup error of a part none of whose pins reaches a
// board pin.
func errNoBoardPin() error { return notWired("is not connected to a board pin") }

// PartView is one part of a board as a page or a log shows it: its name,
// type, pin and state now. It encodes as JSON; the type's [PartType] says
// how to read the state.
type PartView struct {
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"` // "" for a part that does not describe itself
	Pin   string `json:"pin,omitempty"`
	State State  `json:"state,omitempty"`
}

// View returns what p is and shows now. Call it on the board's loop.
func View(p Part) PartView {
	v := PartView{Name: p.Name(), State: StateOf(p)}
	if t := TypeOf(p); t != nil {
		v.Type = t.Type
	}
	if on, ok := p.(interface{ Pin() string }); ok {
		v.Pin = on.Pin()
	}
	return v
}
