// Package parttest holds a part of a program's own, for the tests of what
// runs and shows such parts (the run's command line, the web page): a
// tilt switch, defined outside package sim as a program defines one, and
// a program that watches it. device's ExampleMain_parts shows a program
// defining the same part itself.
package parttest

import (
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// Tilt is a tilt switch that, tilted, joins its pin to GND.
type Tilt struct {
	name   string
	w      *sim.Wire
	tilted bool
}

// NewTilt returns a tilt switch named name, standing up.
func NewTilt(name string) *Tilt { return &Tilt{name: name} }

// TiltType describes the tilt switch: type "my-tilt-switch" in
// diagram.json, pins SIG (on a board pin) and GND, state "tilted", and
// the inputs "tilt" and "level", which take no arguments.
func TiltType() *sim.PartType {
	return &sim.PartType{
		Type: "my-tilt-switch", Kind: "button", Title: "a tilt switch",
		Pins:   []sim.PinSpec{{Name: "SIG"}, {Name: "GND", Power: true}},
		State:  []sim.Field{{Name: "tilted", Kind: sim.KindBool, Show: sim.ShowSwitch, True: "tilted", False: "level"}},
		Inputs: []sim.Input{{Name: "tilt", Doc: "tip it over"}, {Name: "level", Doc: "stand it up"}},
		Hookup: func(net func(string) sim.Net) (sim.Hookup, error) { return sim.Hookup{Pin: net("SIG").GPIO}, nil },
		New:    func(name string, _ sim.AttrValues, _ sim.Hookup) (sim.Part, error) { return NewTilt(name), nil },
	}
}

// Name returns the switch's name.
func (t *Tilt) Name() string { return t.name }

// Type returns [TiltType].
func (t *Tilt) Type() *sim.PartType { return TiltType() }

// State says whether the switch is tilted.
func (t *Tilt) State() sim.State { return sim.State{"tilted": t.tilted} }

// Connect takes the wire to the switch's pin.
func (t *Tilt) Connect(w *sim.Wire) error { t.w = w; return nil }

// Do takes the inputs: tilt drives the pin low, level lets it go.
func (t *Tilt) Do(input string, _ sim.Args) error {
	t.tilted = input == "tilt"
	if t.tilted {
		t.w.Drive(sim.Low)
	} else {
		t.w.Drive(sim.Z)
	}
	return nil
}

// Wiring is a diagram.json with a tilt switch "tilt1" on GP5 of a Pico W.
const Wiring = `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}, {"type": "my-tilt-switch", "id": "tilt1"}],
 "connections": [["tilt1:SIG", "pico:GP5", "green", []], ["tilt1:GND", "pico:GND.1", "black", []]]}`

// App prints "tilted: true" or "tilted: false" when the switch on GP5
// changes, polling it every 20 ms.
func App(t *coop.Task, b hw.Board) error {
	sw, err := b.Input("GP5", hw.PullUp)
	if err != nil {
		return err
	}
	tilted := false
	for {
		if now := !sw.Get(); now != tilted {
			tilted = now
			b.Console().Println("tilted:", tilted)
		}
		if err := t.Sleep(20 * time.Millisecond); err != nil {
			return err
		}
	}
}
