package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/browsertest"
	"github.com/coopgo/coop/sim"
)

// reed is a program's own part: a reed switch that a magnet closes,
// joining its pin to GND. Its inputs take no arguments.
type reed struct {
	name   string
	w      *sim.Wire
	closed bool
}

var reedType = &sim.PartType{
	Type: "my-reed-switch", Kind: "button", Title: "a reed switch",
	Pins:   []sim.PinSpec{{Name: "SIG"}, {Name: "GND", Power: true}},
	State:  []sim.Field{{Name: "closed", Kind: sim.KindBool, Show: sim.ShowSwitch, True: "closed", False: "open"}},
	Inputs: []sim.Input{{Name: "magnet", Doc: "bring the magnet near"}, {Name: "away", Doc: "take the magnet away"}},
	Hookup: func(net func(string) sim.Net) (sim.Hookup, error) { return sim.Hookup{Pin: net("SIG").GPIO}, nil },
	New: func(name string, _ sim.AttrValues, _ sim.Hookup) (sim.Part, error) {
		return &reed{name: name}, nil
	},
}

func (r *reed) Name() string              { return r.name }
func (r *reed) Type() *sim.PartType       { return reedType }
func (r *reed) State() sim.State          { return sim.State{"closed": r.closed} }
func (r *reed) Connect(w *sim.Wire) error { r.w = w; return nil }
func (r *reed) Do(in string, _ sim.Args) error {
	r.closed = in == "magnet"
	if r.closed {
		r.w.Drive(sim.Low)
	} else {
		r.w.Drive(sim.Z)
	}
	return nil
}

// reedApp says when the door its reed switch watches opens and closes.
func reedApp(t *coop.Task, b hw.Board) error {
	sw, err := b.Input("GP5", hw.PullUp)
	if err != nil {
		return err
	}
	closed := false
	for {
		if now := !sw.Get(); now != closed {
			closed = now
			b.Console().Println("door closed:", closed)
		}
		if err := t.Sleep(20 * time.Millisecond); err != nil {
			return err
		}
	}
}

// A part of the program's own gets a button for each input that takes no
// arguments, and a click on it reaches the part and the recorded scenario.
func bOwnPart(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	wiring := `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}, {"type": "my-reed-switch", "id": "door"}],
 "connections": [["door:SIG", "pico:GP5", "green", []], ["door:GND", "pico:GND.1", "black", []]]}`
	r := startProgram(t, "door", reedApp, []byte(wiring), []*sim.PartType{reedType}, 1, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	con := `document.getElementById("console").textContent`
	poll(t, ctx, "the door's buttons", `document.getElementById("ctl-door-magnet") && document.getElementById("ctl-door-away")`)
	do(t, ctx, "bring the magnet", chromedp.Click(`#ctl-door-magnet`))
	poll(t, ctx, "the door closed", con+`.includes("» door magnet") && `+con+`.includes("door closed: true") && S.partState.door.closed === true`)
	do(t, ctx, "take the magnet away", chromedp.Click(`#ctl-door-away`))
	poll(t, ctx, "the door open", con+`.includes("door closed: false") && S.partState.door.closed === false`)
	yaml := eval[string](t, ctx, `fetch(document.getElementById("dlScenario").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	for _, step := range []string{"  - magnet: door\n", "  - away: door\n"} {
		if !strings.Contains(yaml, step) {
			t.Errorf("downloaded scenario:\n%s\nwant the step %q", yaml, step)
		}
	}
	browsertest.Screenshot(t, ctx, "own-part")
}
