package wiring

import (
	"fmt"
	"strings"

	"github.com/coopgo/coop/sim"
)

// Apply wires the diagram's parts to b, a board of the diagram's kind, in
// file order, each named by its diagram id, and puts the diagram's access
// point in range (on a Wi-Fi board). Parts are made anew at each Apply;
// [Diagram.Part] finds those of the last one. Resistors in series with a
// part are part of its wire and make no part of their own.
//
// The error is an [*Error] wrapping ErrBoard for a board of another kind,
// ErrConflict for an id taken by a part already on the board (the parts
// soldered on it: "LED", "USR"…), or the simulator's error. Everything is
// checked before the first part is attached, so on error the board is as it
// was.
func (d *Diagram) Apply(b *sim.Board) error {
	if b.Name() != d.bt.kind {
		return d.errorf(ErrBoard, "the diagram is for a %q board (%s), not %q", d.bt.kind, d.boardType, b.Name())
	}
	var todo []*part
	for _, p := range d.parts {
		if p.pin == "" {
			continue
		}
		if b.Part(p.id) != nil {
			return d.at(partPath(p, "id"), d.errorf(ErrConflict, "part id %q is taken by a part already on the board", p.id))
		}
		todo = append(todo, p)
	}
	if d.wifi != nil && b.AccessPoint(d.wifi.SSID) != nil {
		return d.errorf(ErrConflict, "the board has an access point %q already", d.wifi.SSID)
	}
	attached := map[string]sim.Part{}
	for _, p := range todo {
		sp := p.newPart()
		if err := b.Attach(p.pin, sp); err != nil {
			return d.at(partPath(p), &Error{File: d.file, Msg: fmt.Sprintf("part %q (%s): %v", p.id, p.typ, err), Err: err})
		}
		attached[p.id] = sp
	}
	if d.wifi != nil {
		if _, err := b.AddAccessPoint(*d.wifi); err != nil {
			return &Error{File: d.file, Msg: err.Error(), Err: err}
		}
	}
	d.board, d.attached = b, attached
	return nil
}

// newPart makes the simulated part of p. Parse has made one already, so
// it does not fail.
func (p *part) newPart() sim.Part {
	sp, err := p.pt.New(p.id, p.vals, p.hook)
	if err != nil {
		panic("wiring: part " + p.id + " passed Parse yet cannot be made: " + err.Error())
	}
	return sp
}

// Part returns the simulated part with diagram id id on the board of the
// last Apply: one of the types [sim.PartTypes] lists, such as a
// *sim.Button. Ids
// not in the diagram find the parts soldered on that board ("LED", "USR").
// It returns nil before Apply, and for an id with no simulated part (a
// resistor in series, the board).
func (d *Diagram) Part(id string) sim.Part {
	if p, ok := d.attached[id]; ok {
		return p
	}
	if d.board != nil && d.byID[id] == nil {
		return d.board.Part(id)
	}
	return nil
}

// PartPin returns the board pin (its canonical name, "GP15") that pin of
// the part with diagram id id is wired to: ("led1", "A") is the pin the
// LED's anode is on, ("pico", "GP15") is "GP15" itself. The error says why
// there is none: no such part or pin, or a pin wired to no board pin
// (a GND, nothing).
func (d *Diagram) PartPin(id, pin string) (string, error) {
	p := d.byID[id]
	if p == nil {
		return "", d.errorf(ErrUnknownPart, "no part %q in the diagram", id)
	}
	if id == d.boardID {
		c, rail, err := d.probe.pin(pin)
		if err != nil {
			return "", d.errorf(ErrNoPin, "%v", err)
		}
		if rail != notRail {
			return "", d.errorf(ErrNoPin, "%s of board %q is not a GPIO", pin, id)
		}
		return c, nil
	}
	if p.pt.Pin(pin) == nil {
		return "", d.errorf(ErrNoPin, "part %q (%s) has no pin %q (pins: %s)", id, p.typ, pin, strings.Join(p.pt.PinNames(), ", "))
	}
	if g, ok := d.pinOf[id+":"+pin]; ok {
		return g, nil
	}
	return "", d.errorf(ErrUnconnected, "pin %s of part %q (%s) is not wired to a board pin", pin, id, p.typ)
}
