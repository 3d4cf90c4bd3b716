package wiring

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/suggest"
	"github.com/coopgo/coop/sim"
)

// probe knows the pins of a kind of board: it asks a board of that kind
// that never runs.
type probe struct {
	bt    boardType
	board *sim.Board
}

func newProbe(bt boardType) (*probe, error) {
	l := coop.NewLoop(coop.WithVirtualClock())
	defer l.Close()
	b, err := sim.NewBoard(l, bt.kind, sim.Config{})
	if err != nil {
		return nil, err
	}
	return &probe{bt: bt, board: b}, nil
}

// pin resolves a board pin name of a connection: a GPIO (by its canonical
// name) or a rail.
func (p *probe) pin(name string) (canonical string, rail railKind, err error) {
	if r := p.bt.rail(name); r != notRail {
		return name, r, nil
	}
	n := name
	if p.bt.digits && isDigits(n) {
		n = "D" + n
	}
	c, err := p.board.PinName(n)
	if err != nil {
		have := ""
		var pe *hw.PinError
		if errors.As(err, &pe) {
			have = pe.Have + ", "
		}
		return "", notRail, fmt.Errorf("board %q has no pin %q (pins: %s%s)", p.bt.kind, name, have, p.bt.rails)
	}
	return c, notRail, nil
}

// node is one end of a connection: a pin of a part, or of the board.
type node struct {
	parent *node
	id     string // "led1:A", "pico:GP15"
	gpio   string // a board GPIO, canonical
	rail   railKind
}

// nets is a union-find of nodes.
type nets struct {
	nodes map[string]*node
	order []*node // in order of first use, so that messages are stable
}

func (n *nets) get(id string) *node {
	if x, ok := n.nodes[id]; ok {
		return x
	}
	x := &node{id: id}
	x.parent = x
	n.nodes[id] = x
	n.order = append(n.order, x)
	return x
}

func (n *nets) find(x *node) *node {
	for x.parent != x {
		x.parent = x.parent.parent
		x = x.parent
	}
	return x
}

func (n *nets) union(a, b *node) {
	ra, rb := n.find(a), n.find(b)
	if ra != rb {
		rb.parent = ra
	}
}

// net is what a set of connected nodes amounts to.
type net struct {
	gpios   []string // board GPIOs, canonical, in order of use
	gnd     string   // a GND rail pin on it, or ""
	high    string   // a 3V3 or supply pin, or ""
	inert   string   // a pin the simulator does not model, or ""
	members []string
}

func (n *net) anchored() bool {
	return len(n.gpios) > 0 || n.gnd != "" || n.high != "" || n.inert != ""
}

// summarize returns the net of every root.
func (n *nets) summarize() map[*node]*net {
	m := map[*node]*net{}
	for _, x := range n.order {
		r := n.find(x)
		s := m[r]
		if s == nil {
			s = &net{}
			m[r] = s
		}
		s.members = append(s.members, x.id)
		switch {
		case x.gpio != "":
			if !slices.Contains(s.gpios, x.gpio) {
				s.gpios = append(s.gpios, x.gpio)
			}
		case x.rail == railGND:
			s.gnd = cmpOr(s.gnd, railName(x.id))
		case x.rail == railHigh:
			s.high = cmpOr(s.high, railName(x.id))
		case x.rail == railInert:
			s.inert = cmpOr(s.inert, railName(x.id))
		}
	}
	return m
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func railName(id string) string { return id[strings.IndexByte(id, ':')+1:] }

// wire reads the connections and works out what every part is wired to.
func (d *Diagram) wire(conns []json.RawMessage, pr *probe) error {
	n := &nets{nodes: map[string]*node{}}
	for i, raw := range conns {
		var c []json.RawMessage
		var from, to string
		if json.Unmarshal(raw, &c) != nil || len(c) < 2 ||
			json.Unmarshal(c[0], &from) != nil || json.Unmarshal(c[1], &to) != nil {
			return d.at("connections/"+strconv.Itoa(i), d.errorf(ErrSyntax, "connection %d is %s: want [\"part:pin\", \"part:pin\", \"color\", [route]]", i+1, clip(string(raw), 40)))
		}
		if serialMonitor(from) || serialMonitor(to) {
			continue // the console is the board's: the serial monitor's wires do not matter
		}
		ends := [2]*node{}
		for j, end := range []string{from, to} {
			x, msg, sentinel := d.endpoint(n, end, pr)
			if sentinel != nil {
				return d.at("connections/"+strconv.Itoa(i)+"/"+strconv.Itoa(j), d.errorf(sentinel, "connection %d (%q → %q): %s", i+1, from, to, msg))
			}
			ends[j] = x
		}
		n.union(ends[0], ends[1])
	}
	// Pins joined inside a part (a button's two legs on each side) are
	// one node.
	for _, p := range d.parts {
		for _, ps := range p.pt.Pins {
			if ps.Same != "" {
				n.union(n.get(p.id+":"+ps.Name), n.get(p.id+":"+ps.Same))
			}
		}
	}
	d.mergeSeries(n)
	sums := n.summarize()
	for _, x := range n.order {
		s := sums[n.find(x)]
		if err := d.checkNet(s); err != nil {
			return err
		}
		if len(s.gpios) == 1 {
			d.pinOf[x.id] = s.gpios[0]
		}
	}
	ids := map[*net]int{}
	netOf := func(p *part, pin string) sim.Net {
		x, ok := n.nodes[p.id+":"+pin]
		if !ok {
			return sim.Net{ID: -len(ids) - 1, Members: 1} // a pin wired to nothing: a net of its own
		}
		s := sums[n.find(x)]
		if ids[s] == 0 {
			ids[s] = len(ids) + 1
		}
		sn := sim.Net{ID: ids[s], GND: s.gnd, Supply: s.high, Unmodelled: s.inert, Members: len(s.members)}
		if len(s.gpios) > 0 {
			sn.GPIO = s.gpios[0]
		}
		return sn
	}
	for _, p := range d.parts {
		if err := d.resolve(p, netOf); err != nil {
			return err
		}
	}
	return d.checkShared()
}

// serialMonitor reports whether end is a pin of Wokwi's serial monitor,
// which diagrams wire to the board's UART pins.
func serialMonitor(end string) bool {
	return end == "$serialMonitor:RX" || end == "$serialMonitor:TX"
}

// clip shortens s to about n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n - 3
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// endpoint returns the node of "part:pin", or the sentinel and message of
// what is wrong with it.
func (d *Diagram) endpoint(n *nets, end string, pr *probe) (*node, string, error) {
	id, pin, ok := strings.Cut(end, ":")
	if !ok {
		return nil, fmt.Sprintf("%q is not \"part:pin\"", end), ErrNoPin
	}
	p := d.byID[id]
	if p == nil {
		return nil, fmt.Sprintf("no part %q (%sparts: %s)", id, suggest.Hint(id, d.ids()), strings.Join(d.ids(), ", ")), ErrUnknownPart
	}
	if id == d.boardID {
		c, rail, err := pr.pin(pin)
		if err != nil {
			return nil, err.Error(), ErrNoPin
		}
		x := n.get(id + ":" + c)
		if rail == notRail {
			x.gpio = c
		}
		x.rail = rail
		return x, "", nil
	}
	if p.pt.Pin(pin) == nil {
		return nil, fmt.Sprintf("part %q (%s) has no pin %q (pins: %s)", id, p.typ, pin, strings.Join(p.pt.PinNames(), ", ")), ErrNoPin
	}
	return n.get(end), "", nil
}

func (d *Diagram) ids() []string {
	ids := []string{d.boardID}
	for _, p := range d.parts {
		ids = append(ids, p.id)
	}
	return ids
}

// mergeSeries joins the two sides of every series part (a resistor) in
// series with another part, so that a signal passes through it; a
// resistor between a board pin and a rail stays, as a pull. A resistor
// with a side that reaches no board pin nor rail is in series. Resistors
// that lead to a board pin are merged first, so that in a chain the part
// stays on the pin's side.
func (d *Diagram) mergeSeries(n *nets) {
	var res []*part
	for _, p := range d.parts {
		if p.pt.Series && len(p.pt.Pins) == 2 {
			res = append(res, p)
		}
	}
	merged := map[*part]bool{}
	for {
		sums := n.summarize()
		side := func(p *part, pin string) (*node, *net) {
			x := n.get(p.id + ":" + pin)
			r := n.find(x)
			s := sums[r]
			if s == nil {
				s = &net{}
			}
			return r, s
		}
		var best *part
		bestRank := 0
		for _, p := range res {
			if merged[p] {
				continue
			}
			ra, a := side(p, p.pt.Pins[0].Name)
			rb, b := side(p, p.pt.Pins[1].Name)
			if ra == rb {
				continue
			}
			rank := 0
			switch {
			case a.anchored() && b.anchored():
			case len(a.gpios) > 0 || len(b.gpios) > 0:
				rank = 3
			case !a.anchored() && !b.anchored():
				rank = 2
			default:
				rank = 1
			}
			if rank > bestRank {
				best, bestRank = p, rank
			}
		}
		if best == nil {
			return
		}
		merged[best] = true
		n.union(n.get(best.id+":"+best.pt.Pins[0].Name), n.get(best.id+":"+best.pt.Pins[1].Name))
	}
}

// checkNet rejects a net that shorts board pins or rails.
func (d *Diagram) checkNet(s *net) error {
	on := strings.Join(s.members, ", ")
	switch {
	case len(s.gpios) > 1:
		return d.errorf(ErrConflict, "board pins %s and %s are wired together (connected: %s)", s.gpios[0], s.gpios[1], on)
	case len(s.gpios) == 1 && (s.gnd != "" || s.high != ""):
		return d.errorf(ErrConflict, "board pin %s is shorted to %s (connected: %s)", s.gpios[0], cmpOr(s.gnd, s.high), on)
	case s.gnd != "" && s.high != "":
		return d.errorf(ErrConflict, "%s is shorted to %s (connected: %s)", s.high, s.gnd, on)
	}
	return nil
}

// resolve works out from the nets of its pins what a part does to which
// board pin, as its type's Hookup says, and checks that the pin can do what
// the part needs and that the part's attributes go together. A part with
// a signal pin on a board pin the simulator does not model is ignored,
// with a warning.
func (d *Diagram) resolve(p *part, netOf func(p *part, pin string) sim.Net) error {
	for _, ps := range p.pt.Pins {
		if s := netOf(p, ps.Name); !ps.Power && s.Unmodelled != "" {
			d.warnf("part %q (%s) is wired to %s, which the simulator does not model; ignored", p.id, p.typ, s.Unmodelled)
			return nil
		}
	}
	h, err := p.pt.Hookup(func(pin string) sim.Net { return netOf(p, pin) })
	if err != nil {
		sentinel := ErrConflict
		if errors.Is(err, sim.ErrNotWired) {
			sentinel = ErrUnconnected
		}
		return d.at(partPath(p), &Error{File: d.file, Msg: fmt.Sprintf("part %q (%s) %v", p.id, p.typ, err), Err: sentinel})
	}
	if h.Warning != "" {
		d.warnf("part %q (%s) %s", p.id, p.typ, h.Warning)
	}
	if h.Pin != "" && h.Needs != "" {
		one, many := capName(h.Needs)
		if ok, _ := d.probe.board.Capable(h.Pin, h.Needs); !ok {
			return d.at(partPath(p), d.errorf(ErrNoPin, "part %q (%s) is on %s, which has no %s (%s: %s)", p.id, p.typ, h.Pin, one, many, d.probe.board.CapablePins(h.Needs)))
		}
	}
	p.pin, p.hook = h.Pin, h
	return nil
}

// capName names what a pin with capability c has, and the pins that have
// it.
func capName(c sim.Capability) (one, many string) {
	switch c {
	case sim.CapADC:
		return "analogue input", "analogue inputs"
	case sim.CapPWM:
		return "PWM", "PWM pins"
	}
	return string(c), string(c) + " pins"
}

// checkShared rejects parts that cannot share a board pin: a part that
// needs its pin to itself (a DHT22) with another, and a pin pulled both
// ways.
func (d *Diagram) checkShared() error {
	byPin := map[string][]*part{}
	var pins []string
	for _, p := range d.parts {
		if p.pin == "" {
			continue
		}
		if byPin[p.pin] == nil {
			pins = append(pins, p.pin)
		}
		byPin[p.pin] = append(byPin[p.pin], p)
	}
	for _, pin := range pins {
		var own, others, ups, downs []*part
		for _, p := range byPin[pin] {
			switch {
			case p.hook.Exclusive:
				own = append(own, p)
			case p.hook.Pull == sim.Z:
				others = append(others, p)
			}
			switch p.hook.Pull {
			case sim.High:
				ups = append(ups, p)
			case sim.Low:
				downs = append(downs, p)
			}
		}
		if len(own) > 0 && len(own)+len(others) > 1 {
			other := others
			if len(own) > 1 {
				other = own[1:]
			}
			return d.at(partPath(other[0]), d.errorf(ErrConflict, "board pin %s has %q (%s) and %q (%s): %s needs its pin to itself", pin, own[0].id, own[0].typ, other[0].id, other[0].typ, own[0].pt.Title))
		}
		if len(ups) > 0 && len(downs) > 0 {
			return d.at(partPath(downs[0]), d.errorf(ErrConflict, "board pin %s is pulled up by %q and down by %q", pin, ups[0].id, downs[0].id))
		}
	}
	return nil
}
