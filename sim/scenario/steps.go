package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/sim"
)

// DefaultClick is how long a click step holds the button down.
const DefaultClick = sim.DefaultClick

// RealTimeSlack is how late an `at` step may be reached on a loop on the
// real clock, where timers fire a little late, before it fails. On the
// virtual clock it may not be late at all.
const RealTimeSlack = 50 * time.Millisecond

// action is what a step does: bind checks it against a board at Start and
// returns the function that runs it.
type action interface {
	bind(e *env) (run, error)
	// minDuration is the least board time the step takes, for checking
	// that `at` steps come in order.
	minDuration() time.Duration
}

// run runs a step at the runner's current time. It returns true if the
// step is done at once; otherwise the step calls r.next when it is done, or
// r.fail.
type run func(r *Runner) bool

// pos is where something is written in the file.
type pos struct{ line, col int }

func posOf(n *yaml.Node) pos { return pos{n.Line, n.Column} }

// partRef is a part id as written in a step.
type partRef struct {
	id string
	at pos
}

// instant is embedded by the steps that take no board time.
type instant struct{}

func (instant) minDuration() time.Duration { return 0 }

type parseFunc func(p *parser, v *yaml.Node) (act action, target string, err error)

type kind struct {
	name  string
	parse parseFunc
}

// kinds returns the step kinds: Wokwi's first, then coop's, then the
// inputs the parts take (press, turn…), as [sim.PartTypes] lists them.
func kinds(types []*sim.PartType) []kind {
	ks := []kind{
		{"delay", parseDelay},
		{"wait-serial", parseWaitSerial},
		{"set-control", parseSetControl},
		{"expect-pin", parseExpectPin},
		{"at", parseAt},
		{"expect-serial", parseExpectSerial},
		{"wifi-down", parseWifi(false)},
		{"wifi-up", parseWifi(true)},
		{"broker", parseBroker},
		{"drop-connections", parseDrop},
		{"power-cut", parsePower},
		{"stall", parseStall},
	}
	seen := map[string]bool{}
	for _, t := range types {
		for _, in := range t.Inputs {
			if !seen[in.Name] {
				seen[in.Name] = true
				ks = append(ks, kind{in.Name, parseInput(in)})
			}
		}
	}
	return ks
}

func kindParser(types []*sim.PartType, name string) parseFunc {
	for _, k := range kinds(types) {
		if k.name == name {
			return k.parse
		}
	}
	return nil
}

func kindNames(types []*sim.PartType) []string {
	ks := kinds(types)
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = k.name
	}
	return names
}

func (p *parser) partField(f *fields) (partRef, error) {
	n, err := p.need(f, "part-id")
	if err != nil {
		return partRef{}, err
	}
	id, err := p.id(n, "part-id")
	return partRef{id, posOf(n)}, err
}

// delay: 500ms — wait that long.
type delayStep struct{ d time.Duration }

func parseDelay(p *parser, v *yaml.Node) (action, string, error) {
	d, err := p.duration(v, "delay", true)
	return &delayStep{d}, d.String(), err
}

func (s *delayStep) minDuration() time.Duration { return s.d }

func (s *delayStep) bind(*env) (run, error) {
	return func(r *Runner) bool {
		r.nextAt(r.now() + s.d)
		return false
	}, nil
}

// at: 3s — wait until board time 3 s.
type atStep struct {
	instant
	at pos
	t  time.Duration
}

func parseAt(p *parser, v *yaml.Node) (action, string, error) {
	d, err := p.duration(v, "at", false)
	return &atStep{at: posOf(v), t: d}, d.String(), err
}

func (s *atStep) bind(*env) (run, error) {
	return func(r *Runner) bool {
		now := r.now()
		late := now - s.t
		switch {
		case late > 0 && (r.b.Loop().Virtual() || late > RealTimeSlack):
			r.fail("board time at most "+s.t.String(), now.String(), now)
			return false
		case late >= 0:
			return true
		}
		r.nextAt(s.t)
		return false
	}, nil
}

// wait-serial and expect-serial: wait for a console line containing text,
// with or without a deadline.
type serialStep struct {
	instant
	text    string
	timeout time.Duration // 0: none
}

func parseWaitSerial(p *parser, v *yaml.Node) (action, string, error) {
	s := &serialStep{}
	if v.Kind == yaml.MappingNode {
		f, err := p.fields("wait-serial", v, "text", "timeout")
		if err != nil {
			return nil, "", err
		}
		if err := p.serialText(f, s); err != nil {
			return nil, "", err
		}
		if n := f.vals["timeout"]; n != nil {
			if s.timeout, err = p.duration(n, "timeout", true); err != nil {
				return nil, "", err
			}
		}
		return s, quote(s.text), nil
	}
	t, err := p.text(v, "wait-serial")
	if err == nil && t == "" {
		err = p.errf(v, ErrValue, "the text is empty: every line contains it")
	}
	s.text = t
	return s, quote(t), err
}

func parseExpectSerial(p *parser, v *yaml.Node) (action, string, error) {
	f, err := p.fields("expect-serial", v, "text", "within")
	if err != nil {
		return nil, "", err
	}
	s := &serialStep{}
	if err := p.serialText(f, s); err != nil {
		return nil, "", err
	}
	n := f.vals["within"]
	if n == nil {
		return nil, "", p.errf(f.node, ErrValue, "within: is missing (wait-serial waits without a deadline)")
	}
	if s.timeout, err = p.duration(n, "within", true); err != nil {
		return nil, "", err
	}
	return s, quote(s.text), nil
}

func (p *parser) serialText(f *fields, s *serialStep) error {
	n, err := p.need(f, "text")
	if err != nil {
		return err
	}
	if s.text, err = p.text(n, "text"); err != nil {
		return err
	}
	if s.text == "" {
		return p.errf(n, ErrValue, "the text is empty: every line contains it")
	}
	return nil
}

func (s *serialStep) bind(*env) (run, error) {
	match := func(line string) bool { return strings.Contains(line, s.text) }
	return func(r *Runner) bool {
		if r.recentLine(match) {
			return true
		}
		start := r.now()
		deadline := start + s.timeout
		lines, last, seq := 0, "", r.seq
		r.onLine = func(at time.Duration, line string) bool {
			if s.timeout > 0 && at > deadline {
				return false
			}
			if match(line) {
				r.nextSoon()
				return true
			}
			lines++
			last = line
			return false
		}
		if s.timeout > 0 {
			r.deadline(deadline, func() {
				got := "no line"
				switch lines {
				case 0:
				case 1:
					got = "1 other line, " + quote(last)
				default:
					got = fmt.Sprintf("%d other lines, the last %s", lines, quote(last))
				}
				r.fail(quote(s.text)+" within "+s.timeout.String(), got+r.missedLine(match, seq, start), deadline)
			})
		}
		return false
	}, nil
}

// set-control: {part-id: btn1, control: pressed, value: 1}.
type controlStep struct {
	instant
	part    partRef
	control string
	value   any
}

// controls lists the controls of every part type, for messages: "pressed
// of a button, temperature and humidity of a DHT22".
func controls(types []*sim.PartType) string {
	var groups []string
	for _, t := range types {
		if len(t.Controls) == 0 {
			continue
		}
		names := make([]string, len(t.Controls))
		for i, c := range t.Controls {
			names[i] = c.Name
		}
		groups = append(groups, andList(names)+" of "+t.Title)
	}
	return strings.Join(groups, ", ")
}

func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// findControl returns the first control called name among the part types.
func findControl(types []*sim.PartType, name string) *sim.Arg {
	for _, t := range types {
		for i := range t.Controls {
			if t.Controls[i].Name == name {
				return &t.Controls[i]
			}
		}
	}
	return nil
}

func parseSetControl(p *parser, v *yaml.Node) (action, string, error) {
	f, err := p.fields("set-control", v, "part-id", "control", "value")
	if err != nil {
		return nil, "", err
	}
	s := &controlStep{}
	if s.part, err = p.partField(f); err != nil {
		return nil, "", err
	}
	cn, err := p.need(f, "control")
	if err != nil {
		return nil, "", err
	}
	if s.control, err = p.id(cn, "control"); err != nil {
		return nil, "", err
	}
	vn, err := p.need(f, "value")
	if err != nil {
		return nil, "", err
	}
	c := findControl(p.types, s.control)
	if c == nil {
		return nil, "", p.errf(cn, ErrValue, "unknown control %s (controls: %s)", quote(s.control), controls(p.types))
	}
	arg := *c
	arg.Name = "value"
	s.value, err = p.arg(vn, arg)
	return s, s.part.id + "." + s.control, err
}

func (s *controlStep) bind(e *env) (run, error) {
	p, err := e.part(s.part)
	if err != nil {
		return nil, err
	}
	if t := sim.TypeOf(p); t == nil || !hasControl(t, s.control) {
		return nil, e.errf(s.part.at, ErrWrongPart, "part %s is %s, not %s", quote(s.part.id), sim.Title(p),
			titles(e.types, func(t *sim.PartType) bool { return hasControl(t, s.control) }))
	}
	args := sim.Args{s.control: s.value}
	return func(r *Runner) bool {
		if err := sim.Do(p, "set-control", args); err != nil {
			r.fail("set-control "+s.control, err.Error(), r.now())
			return false
		}
		return true
	}, nil
}

func hasControl(t *sim.PartType, name string) bool {
	for _, c := range t.Controls {
		if c.Name == name {
			return true
		}
	}
	return false
}

// titles names the part types for which ok holds: "a button or a
// switch".
func titles(types []*sim.PartType, ok func(*sim.PartType) bool) string {
	var names []string
	for _, t := range types {
		if ok(t) {
			names = append(names, t.Title)
		}
	}
	if len(names) == 0 {
		return "a part that takes it"
	}
	return strings.Join(names, " or ")
}

// expect-pin: {part-id: led1, pin: A, value: 1, within: 100ms}.
type expectPinStep struct {
	instant
	part   partRef
	pin    string
	pinAt  pos
	value  bool
	within time.Duration
}

func parseExpectPin(p *parser, v *yaml.Node) (action, string, error) {
	f, err := p.fields("expect-pin", v, "part-id", "pin", "value", "within")
	if err != nil {
		return nil, "", err
	}
	s := &expectPinStep{}
	if s.part, err = p.partField(f); err != nil {
		return nil, "", err
	}
	target := s.part.id
	if n := f.vals["pin"]; n != nil {
		if s.pin, err = p.id(n, "pin"); err != nil {
			return nil, "", err
		}
		s.pinAt = posOf(n)
		target += "." + s.pin
	}
	vn, err := p.need(f, "value")
	if err != nil {
		return nil, "", err
	}
	if s.value, err = p.bit(vn, "value"); err != nil {
		return nil, "", err
	}
	if n := f.vals["within"]; n != nil {
		if s.within, err = p.duration(n, "within", true); err != nil {
			return nil, "", err
		}
	}
	return s, target, nil
}

func (s *expectPinStep) bind(e *env) (run, error) {
	pin, err := e.pin(s.part, s.pin, s.pinAt)
	if err != nil {
		return nil, err
	}
	want := bit(s.value)
	return func(r *Runner) bool {
		now := r.now()
		level, _ := r.b.Level(pin)
		if level == s.value {
			return true
		}
		if s.within == 0 {
			r.fail(want, bit(level), now)
			return false
		}
		deadline := now + s.within
		r.onPin = func(at time.Duration, name string, level bool) {
			if name == pin && level == s.value && at <= deadline {
				r.nextSoon()
			}
		}
		r.deadline(deadline, func() {
			level, _ := r.b.Level(pin)
			r.fail(want+" within "+s.within.String(), bit(level), deadline)
		})
		return false
	}, nil
}

func bit(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// A part's input: `press: btn1`, `hold: {part-id: btn1, for: 2s}`,
// `turn: {part-id: pot1, to: 0.75, over: 2s}`, as the part types'
// [sim.Input] lists describe them.
type inputStep struct {
	part partRef
	in   sim.Input
	args sim.Args
}

func parseInput(in sim.Input) parseFunc {
	return func(p *parser, v *yaml.Node) (action, string, error) {
		s := &inputStep{in: in, args: sim.Args{}}
		if v.Kind == yaml.ScalarNode && !isNull(v) {
			id, err := p.id(v, "the part id")
			if err != nil {
				return nil, "", err
			}
			s.part = partRef{id, posOf(v)}
			for _, a := range in.Args {
				if !a.Optional {
					return nil, "", p.errf(v, ErrValue, "%s needs %s: write it as `%s: {part-id: %s, %s: …}`", in.Name, a.Name, in.Name, id, a.Name)
				}
			}
		} else {
			allowed := []string{"part-id"}
			for _, a := range in.Args {
				allowed = append(allowed, a.Name)
			}
			if v.Kind != yaml.MappingNode {
				if len(in.Args) == 0 {
					return nil, "", p.errf(v, ErrValue, "%s takes a part id, as in `%s: btn1`; got %s", in.Name, in.Name, kindOf(v))
				}
				return nil, "", p.errf(v, ErrValue, "want a part id or a mapping of %s, got %s", strings.Join(allowed, ", "), kindOf(v))
			}
			f, err := p.fields(in.Name, v, allowed...)
			if err != nil {
				return nil, "", err
			}
			if s.part, err = p.partField(f); err != nil {
				return nil, "", err
			}
			for _, a := range in.Args {
				n := f.vals[a.Name]
				if n == nil {
					if !a.Optional {
						return nil, "", p.errf(f.node, ErrValue, "%s: is missing", a.Name)
					}
					continue
				}
				if s.args[a.Name], err = p.arg(n, a); err != nil {
					return nil, "", err
				}
			}
		}
		for _, a := range in.Args {
			if _, ok := s.args[a.Name]; !ok && a.Default != "" {
				v, err := p.arg(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: a.Default}, a)
				if err != nil {
					panic("scenario: the default of " + in.Name + "'s " + a.Name + " is not valid: " + err.Error())
				}
				s.args[a.Name] = v
			}
		}
		return s, s.part.id, nil
	}
}

// arg parses a value of an input's argument, as its kind says.
func (p *parser) arg(n *yaml.Node, a sim.Arg) (any, error) {
	switch a.Kind {
	case sim.KindNumber:
		unit := a.Unit
		if unit != "" {
			unit = " " + unit
		}
		return p.number(n, a.Name, a.Min, a.Max, unit)
	case sim.KindDuration:
		return p.duration(n, a.Name, true)
	case sim.KindBool:
		return p.bit(n, a.Name)
	case sim.KindChoice:
		v, err := p.id(n, a.Name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(a.Choices, v) {
			return nil, p.errf(n, ErrValue, "unknown %s %s (%ss: %s)", a.Name, quote(v), a.Name, strings.Join(a.Choices, ", "))
		}
		return v, nil
	}
	return p.text(n, a.Name)
}

func (s *inputStep) minDuration() time.Duration {
	if s.in.Lasts == "" {
		return 0
	}
	return s.args.Duration(s.in.Lasts)
}

func (s *inputStep) bind(e *env) (run, error) {
	p, err := e.part(s.part)
	if err != nil {
		return nil, err
	}
	if t := sim.TypeOf(p); t == nil || t.Input(s.in.Name) == nil {
		return nil, e.errf(s.part.at, ErrWrongPart, "part %s is %s, not %s", quote(s.part.id), sim.Title(p),
			titles(e.types, func(t *sim.PartType) bool { return t.Input(s.in.Name) != nil }))
	}
	lasts := s.minDuration()
	return func(r *Runner) bool {
		if err := sim.Do(p, s.in.Name, s.args); err != nil {
			r.fail(s.in.Name, err.Error(), r.now())
			return false
		}
		if lasts > 0 {
			r.nextAt(r.now() + lasts)
			return false
		}
		return true
	}, nil
}

// wifi-down, wifi-up: SSID.
type wifiStep struct {
	instant
	ssid string
	at   pos
	up   bool
}

func parseWifi(up bool) parseFunc {
	return func(p *parser, v *yaml.Node) (action, string, error) {
		ssid, err := p.id(v, "the SSID")
		return &wifiStep{ssid: ssid, at: posOf(v), up: up}, ssid, err
	}
}

func (s *wifiStep) bind(e *env) (run, error) {
	ap := e.b.AccessPoint(s.ssid)
	if ap == nil {
		return nil, e.errf(s.at, ErrUnknownPart, "no access point %s in range of the board", quote(s.ssid))
	}
	return func(*Runner) bool {
		if s.up {
			ap.Up()
		} else {
			ap.Down()
		}
		return true
	}, nil
}

// env is what steps bind to: a board and how to find its parts.
type env struct {
	b     *sim.Board
	parts PartFinder
	file  string
	types []*sim.PartType // the scenario's part types, for messages
	st    *step
}

func (e *env) errf(at pos, sentinel error, format string, a ...any) *Error {
	return &Error{File: e.file, Line: at.line, Col: at.col,
		Msg: fmt.Sprintf("step %d (%s): ", e.st.Index, e.st.Kind) + fmt.Sprintf(format, a...), Err: sentinel}
}

// part finds a part on the board.
func (e *env) part(ref partRef) (sim.Part, error) {
	p := e.parts.Part(ref.id)
	if p == nil {
		var names []string
		for _, q := range e.b.Parts() {
			names = append(names, q.Name())
		}
		return nil, e.errf(ref.at, ErrUnknownPart, "no part %s (%sparts: %s)", quote(ref.id), suggest.Hint(ref.id, names), list(names))
	}
	if e.b.Part(p.Name()) != p {
		return nil, e.errf(ref.at, ErrUnknownPart, "part %s is not on this board (apply the diagram to it)", quote(ref.id))
	}
	return p, nil
}

// pin returns the board pin of pin of a part, or with no pin, the pin the
// part is on.
func (e *env) pin(ref partRef, pin string, pinAt pos) (string, error) {
	if pin != "" {
		c, err := e.parts.PartPin(ref.id, pin)
		if err != nil {
			return "", e.errf(pinAt, ErrUnknownPart, "%v", err)
		}
		if _, err := e.b.PinName(c); err != nil {
			return "", e.errf(pinAt, ErrUnknownPart, "%v", err)
		}
		return c, nil
	}
	p, err := e.part(ref)
	if err != nil {
		return "", err
	}
	if on, ok := p.(interface{ Pin() string }); ok && on.Pin() != "" {
		return on.Pin(), nil
	}
	return "", e.errf(ref.at, ErrWrongPart, "part %s is %s on no single pin: give pin:", quote(ref.id), sim.Title(p))
}
