package web

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/coopgo/coop/sim"
)

// boardView describes the board to the page.
type boardView struct {
	Name  string   `json:"name"`  // "pico2w"
	Title string   `json:"title"` // "Raspberry Pi Pico 2 W"
	Pins  []string `json:"pins"`  // in the board's order
}

// partView describes a part to the page, which draws it from this alone:
// its kind picks the drawing, its pins the wires, its state what the
// drawing shows, its inputs the controls.
type partView struct {
	ID     string          `json:"id"`
	Kind   string          `json:"kind"` // "led", "button", "dht22", or "part" for one the page draws as a box
	Pins   []string        `json:"pins"`
	Color  string          `json:"color,omitempty"`
	State  json.RawMessage `json:"state"`
	Inputs []inputView     `json:"inputs,omitempty"`
}

// inputView is one control of a part: a switch (0 or 1) or a range.
type inputView struct {
	Name string  `json:"name"` // "pressed", "temperature", "humidity", "fault"
	Kind string  `json:"kind"` // "switch" or "range"
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
	Step float64 `json:"step,omitempty"`
	Unit string  `json:"unit,omitempty"`
}

// describe returns the view of part p. Call it on the loop.
func describe(p sim.Part) partView {
	v := partView{ID: p.Name(), Kind: "part", Inputs: controls(p)}
	switch p := p.(type) {
	case *sim.LED:
		v.Kind, v.Pins, v.Color = "led", pins(p.Pin()), p.Color()
	case *sim.Button:
		v.Kind, v.Pins = "button", pins(p.Pin())
	case *sim.DHT22:
		v.Kind, v.Pins = "dht22", pins(p.Pin())
	}
	v.State = partState(p)
	return v
}

// controls returns the inputs part p takes; they never change.
func controls(p sim.Part) []inputView {
	switch p.(type) {
	case *sim.Button:
		return []inputView{{Name: "pressed", Kind: "switch", Max: 1}}
	case *sim.DHT22:
		return []inputView{
			{Name: "temperature", Kind: "range", Min: -40, Max: 80, Step: 0.1, Unit: "°C"},
			{Name: "humidity", Kind: "range", Min: 0, Max: 100, Step: 0.1, Unit: "%"},
			{Name: "fault", Kind: "switch", Max: 1},
		}
	}
	return nil
}

func pins(pin string) []string {
	if pin == "" {
		return nil
	}
	return []string{pin}
}

// partState returns what the page shows of part p now, as JSON; null for
// a part with nothing to show. Call it on the loop.
func partState(p sim.Part) json.RawMessage {
	var v any
	switch p := p.(type) {
	case *sim.LED:
		v = struct {
			On bool `json:"on"`
		}{p.On()}
	case *sim.Button:
		v = struct {
			Pressed bool `json:"pressed"`
		}{p.Pressed()}
	case *sim.DHT22:
		v = struct {
			Temperature float64 `json:"temperature"`
			Humidity    float64 `json:"humidity"`
			Reads       int     `json:"reads"`
		}{round1(p.Temperature()), round1(p.Humidity()), p.Reads()}
	default:
		return json.RawMessage("null")
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic("web: part state: " + err.Error()) // plain structs always marshal
	}
	return b
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// partPin returns the pin part p is on, "" for none.
func partPin(p sim.Part) string {
	if v, ok := p.(interface{ Pin() string }); ok {
		return v.Pin()
	}
	return ""
}

// input is what a person did on the page to a part, as the page sends
// it and the recorded scenario writes it.
type input struct {
	At    time.Duration `json:"at"` // board time it landed at
	Part  string        `json:"part"`
	Name  string        `json:"name"`  // "pressed", "temperature", "humidity", "fault"
	Value float64       `json:"value"` // 0 or 1 for pressed and fault
}

// check validates in against the controls of its part: the control
// exists and the value is in its range.
func (in input) check(ctl []inputView) error {
	for _, c := range ctl {
		if c.Name != in.Name {
			continue
		}
		if c.Kind == "range" && (in.Value < c.Min || in.Value > c.Max || math.IsNaN(in.Value)) {
			return fmt.Errorf("%s of %s: %g is out of range %g to %g", in.Name, in.Part, in.Value, c.Min, c.Max)
		}
		if c.Kind == "switch" && in.Value != 0 && in.Value != 1 {
			return fmt.Errorf("%s of %s: %g is not 0 or 1", in.Name, in.Part, in.Value)
		}
		return nil
	}
	return fmt.Errorf("part %q has no control %q", in.Part, in.Name)
}

// apply does in to part p, as the scenario step that records it would.
// Call it on the loop.
func (in input) apply(p sim.Part) {
	switch p := p.(type) {
	case *sim.Button:
		if in.Value == 1 {
			p.Press()
		} else {
			p.Release()
		}
	case *sim.DHT22:
		switch in.Name {
		case "temperature":
			p.SetTemperature(in.Value)
		case "humidity":
			p.SetHumidity(in.Value)
		case "fault":
			if in.Value == 1 {
				p.SetFault(sim.FaultChecksum)
			} else {
				p.SetFault(sim.FaultNone)
			}
		}
	}
}
