package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
)

// tilt is a program's own part: a tilt switch that, tilted, joins its pin
// to GND.
type tilt struct {
	name   string
	w      *sim.Wire
	tilted bool
}

func tiltType() *sim.PartType {
	return &sim.PartType{
		Type: "my-tilt-switch", Kind: "button", Title: "a tilt switch",
		Pins:   []sim.PinSpec{{Name: "SIG"}, {Name: "GND", Power: true}},
		State:  []sim.Field{{Name: "tilted", Kind: sim.KindBool, Show: sim.ShowSwitch, True: "tilted", False: "level"}},
		Inputs: []sim.Input{{Name: "tilt"}, {Name: "level"}},
		Hookup: func(net func(string) sim.Net) (sim.Hookup, error) { return sim.Hookup{Pin: net("SIG").GPIO}, nil },
		New: func(name string, _ sim.AttrValues, _ sim.Hookup) (sim.Part, error) {
			return &tilt{name: name}, nil
		},
	}
}

func (t *tilt) Name() string              { return t.name }
func (t *tilt) Type() *sim.PartType       { return tiltType() }
func (t *tilt) State() sim.State          { return sim.State{"tilted": t.tilted} }
func (t *tilt) Connect(w *sim.Wire) error { t.w = w; return nil }
func (t *tilt) Do(in string, _ sim.Args) error {
	t.tilted = in == "tilt"
	if t.tilted {
		t.w.Drive(sim.Low)
	} else {
		t.w.Drive(sim.Z)
	}
	return nil
}

// tiltApp says when its board is tilted.
func tiltApp(t *coop.Task, b hw.Board) error {
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

// A program's own part, given to Main, is wired by diagram.json, driven
// by scenario.yaml and shown by --pins; without it, the wiring names the
// type it does not know.
func TestMain_ownPart(t *testing.T) {
	programDir(t, false)
	files := map[string]string{
		WiringFile: `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}, {"type": "my-tilt-switch", "id": "tilt1"}],
 "connections": [["tilt1:SIG", "pico:GP5", "green", []], ["tilt1:GND", "pico:GND.1", "black", []]]}`,
		ScenarioFile: "steps:\n  - at: 1s\n  - tilt: tilt1\n  - expect-serial: {text: \"tilted: true\", within: 50ms}\n  - at: 2.01s\n  - level: tilt1\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	code := Main(tiltApp, []string{"--virtual", "--timestamps", "--pins", "--for", "3s"}, Stdio{Out: &out, Err: &errOut}, tiltType())
	want := `[   0.000s] GP5 (tilt1) on
[   1.000s] GP5 (tilt1) off
[   1.000s] tilted: true
[   2.010s] GP5 (tilt1) on
[   2.020s] tilted: false
`
	if code != ExitOK || out.String() != want || errOut.Len() != 0 {
		t.Errorf("Main with my-tilt-switch = %d\nstdout:\n%s\nstderr:\n%s\nwant 0, stdout:\n%s", code, out.String(), errOut.String(), want)
	}
	out.Reset()
	errOut.Reset()
	code = Main(tiltApp, []string{"--virtual"}, Stdio{Out: &out, Err: &errOut})
	if wantErr := `coop: diagram.json:1:64: part "tilt1" has unknown type "my-tilt-switch" (known: `; code != ExitUsage || !strings.HasPrefix(errOut.String(), wantErr) {
		t.Errorf("Main without my-tilt-switch = %d\nstderr:\n%s\nwant 2, stderr starting %s", code, errOut.String(), wantErr)
	}
}
