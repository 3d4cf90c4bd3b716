package web

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/coopgo/coop/sim"
)

// boardView describes the board to the page.
type boardView struct {
	Name  string   `json:"name"`  // "pico2w"
	Title string   `json:"title"` // "Raspberry Pi Pico 2 W"
	Pins  []string `json:"pins"`  // in the board's order
	// Wifi are the access points in range of a board with Wi-Fi: their
	// SSIDs, which the page draws with a control that takes each off the
	// air and back ([sim.AccessPoint.Down], Up).
	Wifi []wifiView `json:"wifi,omitempty"`
}

// wifiView describes an access point to the page: its outages are the
// value signal Signal, 1 while it is off the air.
type wifiView struct {
	SSID   string `json:"ssid"`
	Signal string `json:"signal"`
	Down   bool   `json:"down"` // off the air, as of the records sent
}

// The inputs of an access point, as a scenario step names them.
const (
	inWifiDown = "wifi-down"
	inWifiUp   = "wifi-up"
)

// partView describes a part to the page, which draws it from this alone:
// its type (from the parts' registry: kind, state fields, inputs,
// controls) picks the drawing and the controls, its pins the wires, its
// state what the drawing shows. A part that does not describe itself has
// no type and is drawn as a box.
type partView struct {
	ID    string          `json:"id"`
	Type  *sim.PartType   `json:"type,omitempty"`
	Pins  []string        `json:"pins"`
	State json.RawMessage `json:"state"`
}

// describe returns the view of part p. Call it on the loop.
func describe(p sim.Part) partView {
	v := partView{ID: p.Name(), Type: sim.TypeOf(p), State: partState(p)}
	if pin := partPin(p); pin != "" {
		v.Pins = []string{pin}
	}
	return v
}

// partState returns what the page shows of part p now, as JSON; null for
// a part that does not describe itself. Call it on the loop.
func partState(p sim.Part) json.RawMessage {
	st := sim.StateOf(p)
	if st == nil {
		return json.RawMessage("null")
	}
	for k, v := range st {
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			st[k] = nil // JSON has no NaN
		}
	}
	b, err := json.Marshal(st)
	if err != nil {
		panic("web: part state: " + err.Error()) // bools, numbers and strings always marshal
	}
	return b
}

// partPin returns the pin part p is on, "" for none.
func partPin(p sim.Part) string {
	if v, ok := p.(interface{ Pin() string }); ok {
		return v.Pin()
	}
	return ""
}

// input is what a person did on the page to a part, as the page sends
// it and the recorded scenario writes it: an input of the part's type
// ("press", "sensor-fail") or "set-control", with its arguments.
type input struct {
	At    time.Duration  `json:"at"` // board time it landed at
	Part  string         `json:"part"`
	Input string         `json:"input"`
	Args  map[string]any `json:"args,omitempty"` // as the page sends them: numbers, bools, strings
}

// args checks in against the type t of its part and returns its
// arguments as [sim.Do] takes them: every argument known, in its range,
// the required ones there.
func (in input) args(t *sim.PartType) (sim.Args, error) {
	if t == nil {
		return nil, fmt.Errorf("part %q takes no inputs", in.Part)
	}
	var specs []sim.Arg
	if in.Input == "set-control" {
		if len(in.Args) == 0 {
			return nil, fmt.Errorf("set-control of %s: name a control", in.Part)
		}
		for name := range in.Args {
			i := slices.IndexFunc(t.Controls, func(a sim.Arg) bool { return a.Name == name })
			if i < 0 {
				return nil, fmt.Errorf("part %q has no control %q", in.Part, name)
			}
			specs = append(specs, t.Controls[i])
		}
	} else {
		spec := t.Input(in.Input)
		if spec == nil {
			return nil, fmt.Errorf("part %q takes no input %q", in.Part, in.Input)
		}
		for name := range in.Args {
			if !slices.ContainsFunc(spec.Args, func(a sim.Arg) bool { return a.Name == name }) {
				return nil, fmt.Errorf("%s of %s: no argument %q", in.Input, in.Part, name)
			}
		}
		specs = spec.Args
	}
	out := sim.Args{}
	for _, a := range specs {
		raw, ok := in.Args[a.Name]
		if !ok {
			if !a.Optional {
				return nil, fmt.Errorf("%s of %s: %s is missing", in.Input, in.Part, a.Name)
			}
			continue
		}
		v, err := argValue(a, raw)
		if err != nil {
			return nil, fmt.Errorf("%s of %s: %w", in.Input, in.Part, err)
		}
		out[a.Name] = v
	}
	return out, nil
}

// argValue converts raw, a value decoded from JSON, to the argument a's
// kind, within its range.
func argValue(a sim.Arg, raw any) (any, error) {
	switch a.Kind {
	case sim.KindNumber:
		f, ok := raw.(float64)
		if !ok || math.IsNaN(f) || f < a.Min || f > a.Max {
			return nil, fmt.Errorf("%s %v: give a number from %v to %v", a.Name, raw, a.Min, a.Max)
		}
		return f, nil
	case sim.KindBool:
		switch raw {
		case true, 1.0:
			return true, nil
		case false, 0.0:
			return false, nil
		}
		return nil, fmt.Errorf("%s %v: give 0 or 1", a.Name, raw)
	case sim.KindDuration:
		if s, ok := raw.(string); ok {
			if d, err := time.ParseDuration(s); err == nil && d >= 0 {
				return d, nil
			}
		}
		return nil, fmt.Errorf("%s %v: give a duration such as \"100ms\"", a.Name, raw)
	case sim.KindChoice:
		if s, ok := raw.(string); ok && slices.Contains(a.Choices, s) {
			return s, nil
		}
		return nil, fmt.Errorf("%s %v: give one of %v", a.Name, raw, a.Choices)
	}
	if s, ok := raw.(string); ok {
		return s, nil
	}
	return nil, fmt.Errorf("%s %v: give a text", a.Name, raw)
}
