//go:build !tinygo

package device_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session/cli"
)

// Tilt is a part of the program's own: a tilt switch that, tilted, joins
// its pin to GND.
type Tilt struct {
	name   string
	w      *sim.Wire
	tilted bool
}

// TiltType describes the tilt switch: its type in diagram.json, its pins,
// what it shows and the steps a scenario gives it.
func TiltType() *sim.PartType {
	return &sim.PartType{
		Type: "my-tilt-switch", Kind: "button", Title: "a tilt switch",
		Pins:   []sim.PinSpec{{Name: "SIG"}, {Name: "GND", Power: true}},
		State:  []sim.Field{{Name: "tilted", Kind: sim.KindBool, Show: sim.ShowSwitch, True: "tilted", False: "level"}},
		Inputs: []sim.Input{{Name: "tilt", Doc: "tip it over"}, {Name: "level", Doc: "stand it up"}},
		Hookup: func(net func(string) sim.Net) (sim.Hookup, error) {
			if sig := net("SIG"); sig.GPIO != "" {
				return sim.Hookup{Pin: sig.GPIO}, nil
			}
			return sim.Hookup{}, fmt.Errorf("has SIG on no board pin: wire it to one (%w)", sim.ErrNotWired)
		},
		New: func(name string, _ sim.AttrValues, _ sim.Hookup) (sim.Part, error) { return &Tilt{name: name}, nil },
	}
}

func (t *Tilt) Name() string              { return t.name }
func (t *Tilt) Type() *sim.PartType       { return TiltType() }
func (t *Tilt) State() sim.State          { return sim.State{"tilted": t.tilted} }
func (t *Tilt) Connect(w *sim.Wire) error { t.w = w; return nil }

// Do takes the scenario's steps: tilt drives the pin low, level lets go.
func (t *Tilt) Do(input string, _ sim.Args) error {
	t.tilted = input == "tilt"
	if t.tilted {
		t.w.Drive(sim.Low)
	} else {
		t.w.Drive(sim.Z)
	}
	return nil
}

// TiltApp says when the board is tipped over and stood up again.
func TiltApp(t *coop.Task, b hw.Board) error {
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

// A program that defines a part passes its type to Main with WithParts:
// its diagram.json wires the part like any other and its scenario.yaml
// acts on it with the part's inputs. In the program, in a file built for
// the host only (//go:build !tinygo):
//
//	func main() { device.Main(TiltApp, device.WithParts(TiltType())) }
//
// On the host, that is cli.Main with the part types, which this example
// calls, with the files given by flags, so that it can show the output.
func ExampleMain_parts() {
	dir, err := os.MkdirTemp("", "tilt")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	wiring, scenario := filepath.Join(dir, "diagram.json"), filepath.Join(dir, "scenario.yaml")
	for path, text := range map[string]string{
		wiring: `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}, {"type": "my-tilt-switch", "id": "tilt1"}],
 "connections": [["tilt1:SIG", "pico:GP5", "green", []], ["tilt1:GND", "pico:GND.1", "black", []]]}`,
		scenario: "steps:\n  - at: 1s\n  - tilt: tilt1\n  - at: 2.5s\n  - level: tilt1\n",
	} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			panic(err)
		}
	}

	args := []string{"--virtual", "--for", "3s", "--timestamps", "--pins", "--wiring", wiring, "--scenario", scenario}
	status := cli.Main(TiltApp, args, cli.Stdio{Out: os.Stdout, Err: os.Stdout}, TiltType())
	fmt.Println("exit status", status)
	// Output:
	// [   0.000s] GP5 (tilt1) on
	// [   1.000s] GP5 (tilt1) off
	// [   1.000s] tilted: true
	// [   2.500s] GP5 (tilt1) on
	// [   2.500s] tilted: false
	// exit status 0
}
