package scenario

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/coopgo/coop/sim"
)

// DefaultClick is how long a click step holds the button down.
const DefaultClick = 100 * time.Millisecond

// RealTimeSlack is how late an `at` step may be reached on a loop on the
// real clock, where timers fire a little late, before it fails. On the
// virtual clock it may not be late at all.
const RealTimeSlack = 50 * time.Millisecond

// DHT22 ranges.
const (
	minTemp, maxTemp = -40, 80
	minHum, maxHum   = 0, 100
)

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

// kinds are the step kinds, Wokwi's first, then coop's.
var kinds = []struct {
	name  string
	parse parseFunc
}{
	{"delay", parseDelay},
	{"wait-serial", parseWaitSerial},
	{"set-control", parseSetControl},
	{"expect-pin", parseExpectPin},
	{"at", parseAt},
	{"expect-serial", parseExpectSerial},
	{"press", parseButton("press")},
	{"release", parseButton("release")},
	{"click", parseButton("click")},
	{"hold", parseHold},
	{"temperature", parseCurve("temperature")},
	{"humidity", parseCurve("humidity")},
	{"sensor-fail", parseSensorFail},
	{"wifi-down", parseWifi(false)},
	{"wifi-up", parseWifi(true)},
}

func kindParser(name string) parseFunc {
	for _, k := range kinds {
		if k.name == name {
			return k.parse
		}
	}
	return nil
}

func kindNames() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
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
		lines, last := 0, ""
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
				r.fail(quote(s.text)+" within "+s.timeout.String(), got, deadline)
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
	value   float64
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
	switch s.control {
	case "pressed":
		var b bool
		b, err = p.bit(vn, "value")
		if b {
			s.value = 1
		}
	case "temperature":
		s.value, err = p.number(vn, "value", minTemp, maxTemp, " °C")
	case "humidity":
		s.value, err = p.number(vn, "value", minHum, maxHum, " %")
	default:
		err = p.errf(cn, ErrValue, "unknown control %s (controls: pressed of a button, temperature and humidity of a DHT22)", quote(s.control))
	}
	return s, s.part.id + "." + s.control, err
}

func (s *controlStep) bind(e *env) (run, error) {
	if s.control == "pressed" {
		b, err := e.button(s.part)
		if err != nil {
			return nil, err
		}
		return func(*Runner) bool {
			if s.value == 1 {
				b.Press()
			} else {
				b.Release()
			}
			return true
		}, nil
	}
	d, err := e.dht(s.part)
	if err != nil {
		return nil, err
	}
	return func(*Runner) bool {
		if s.control == "temperature" {
			d.SetTemperature(s.value)
		} else {
			d.SetHumidity(s.value)
		}
		return true
	}, nil
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

// press, release, click: btn1; hold: {part-id: btn1, for: 2s}.
type buttonStep struct {
	part partRef
	verb string
	hold time.Duration // click and hold
}

func parseButton(verb string) parseFunc {
	return func(p *parser, v *yaml.Node) (action, string, error) {
		if v.Kind != yaml.ScalarNode {
			return nil, "", p.errf(v, ErrValue, "%s takes a part id, as in `%s: btn1`; got %s", verb, verb, kindOf(v))
		}
		id, err := p.id(v, "the part id")
		s := &buttonStep{part: partRef{id, posOf(v)}, verb: verb}
		if verb == "click" {
			s.hold = DefaultClick
		}
		return s, id, err
	}
}

func parseHold(p *parser, v *yaml.Node) (action, string, error) {
	f, err := p.fields("hold", v, "part-id", "for")
	if err != nil {
		return nil, "", err
	}
	s := &buttonStep{verb: "hold"}
	if s.part, err = p.partField(f); err != nil {
		return nil, "", err
	}
	n, err := p.need(f, "for")
	if err != nil {
		return nil, "", err
	}
	if s.hold, err = p.duration(n, "for", true); err != nil {
		return nil, "", err
	}
	return s, s.part.id, nil
}

func (s *buttonStep) minDuration() time.Duration { return s.hold }

func (s *buttonStep) bind(e *env) (run, error) {
	b, err := e.button(s.part)
	if err != nil {
		return nil, err
	}
	return func(r *Runner) bool {
		switch s.verb {
		case "press":
			b.Press()
			return true
		case "release":
			b.Release()
			return true
		}
		b.Press()
		r.nextAt(r.now()+s.hold, b.Release)
		return false
	}, nil
}

// temperature, humidity: {part-id: dht1, from: 20, to: 30, over: 60s}.
type curveStep struct {
	instant
	part     partRef
	quantity string
	from     *float64 // nil: from the value now
	to       float64
	over     time.Duration
}

func parseCurve(quantity string) parseFunc {
	lo, hi, unit := float64(minTemp), float64(maxTemp), " °C"
	if quantity == "humidity" {
		lo, hi, unit = minHum, maxHum, " %"
	}
	return func(p *parser, v *yaml.Node) (action, string, error) {
		f, err := p.fields(quantity, v, "part-id", "from", "to", "over")
		if err != nil {
			return nil, "", err
		}
		s := &curveStep{quantity: quantity}
		if s.part, err = p.partField(f); err != nil {
			return nil, "", err
		}
		if n := f.vals["from"]; n != nil {
			x, err := p.number(n, "from", lo, hi, unit)
			if err != nil {
				return nil, "", err
			}
			s.from = &x
		}
		n, err := p.need(f, "to")
		if err != nil {
			return nil, "", err
		}
		if s.to, err = p.number(n, "to", lo, hi, unit); err != nil {
			return nil, "", err
		}
		if n, err = p.need(f, "over"); err != nil {
			return nil, "", err
		}
		if s.over, err = p.duration(n, "over", true); err != nil {
			return nil, "", err
		}
		return s, s.part.id, nil
	}
}

func (s *curveStep) bind(e *env) (run, error) {
	d, err := e.dht(s.part)
	if err != nil {
		return nil, err
	}
	get, set := d.Temperature, d.SetTemperatureFunc
	if s.quantity == "humidity" {
		get, set = d.Humidity, d.SetHumidityFunc
	}
	return func(r *Runner) bool {
		start, from, to, over := r.now(), get(), s.to, s.over
		if s.from != nil {
			from = *s.from
		}
		set(func(at time.Duration) float64 {
			if at >= start+over {
				return to
			}
			return from + (to-from)*float64(at-start)/float64(over)
		})
		return true
	}, nil
}

// sensor-fail: {part-id: dht1, mode: checksum|no-response|none}.
type sensorFailStep struct {
	instant
	part  partRef
	fault sim.DHTFault
}

var faults = map[string]sim.DHTFault{"none": sim.FaultNone, "checksum": sim.FaultChecksum, "no-response": sim.FaultNoResponse}

func parseSensorFail(p *parser, v *yaml.Node) (action, string, error) {
	f, err := p.fields("sensor-fail", v, "part-id", "mode")
	if err != nil {
		return nil, "", err
	}
	s := &sensorFailStep{}
	if s.part, err = p.partField(f); err != nil {
		return nil, "", err
	}
	n, err := p.need(f, "mode")
	if err != nil {
		return nil, "", err
	}
	mode, err := p.id(n, "mode")
	if err != nil {
		return nil, "", err
	}
	fault, ok := faults[mode]
	if !ok {
		return nil, "", p.errf(n, ErrValue, "unknown mode %s (modes: checksum, no-response, none)", quote(mode))
	}
	s.fault = fault
	return s, s.part.id, nil
}

func (s *sensorFailStep) bind(e *env) (run, error) {
	d, err := e.dht(s.part)
	if err != nil {
		return nil, err
	}
	return func(*Runner) bool { d.SetFault(s.fault); return true }, nil
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
		return nil, e.errf(ref.at, ErrUnknownPart, "no part %s (parts: %s)", quote(ref.id), list(names))
	}
	if e.b.Part(p.Name()) != p {
		return nil, e.errf(ref.at, ErrUnknownPart, "part %s is not on this board (apply the diagram to it)", quote(ref.id))
	}
	return p, nil
}

func (e *env) button(ref partRef) (*sim.Button, error) {
	p, err := e.part(ref)
	if err != nil {
		return nil, err
	}
	if b, ok := p.(*sim.Button); ok {
		return b, nil
	}
	return nil, e.errf(ref.at, ErrWrongPart, "part %s is %s, not a button", quote(ref.id), what(p))
}

func (e *env) dht(ref partRef) (*sim.DHT22, error) {
	p, err := e.part(ref)
	if err != nil {
		return nil, err
	}
	if d, ok := p.(*sim.DHT22); ok {
		return d, nil
	}
	return nil, e.errf(ref.at, ErrWrongPart, "part %s is %s, not a DHT22", quote(ref.id), what(p))
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
	return "", e.errf(ref.at, ErrWrongPart, "part %s is %s on no single pin: give pin:", quote(ref.id), what(p))
}

func what(p sim.Part) string {
	switch p.(type) {
	case *sim.Button:
		return "a button"
	case *sim.LED:
		return "an LED"
	case *sim.DHT22:
		return "a DHT22"
	case *sim.Resistor:
		return "a resistor"
	}
	return fmt.Sprintf("a %T", p)
}
