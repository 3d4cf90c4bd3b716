package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop/internal/browsertest"
	"github.com/coopgo/coop/internal/parttest"
	"github.com/coopgo/coop/sim"
)

// A part of the program's own gets a button for each input that takes no
// arguments, and a click on it reaches the part and the recorded scenario.
func bOwnPart(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startProgram(t, "tilt", parttest.App, []byte(parttest.Wiring), []*sim.PartType{parttest.TiltType()}, 1, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	con := `document.getElementById("console").textContent`
	poll(t, ctx, "the switch's buttons", `document.getElementById("ctl-tilt1-tilt") && document.getElementById("ctl-tilt1-level")`)
	do(t, ctx, "tip it over", chromedp.Click(`#ctl-tilt1-tilt`))
	poll(t, ctx, "the board tilted", con+`.includes("» tilt1 tilt") && `+con+`.includes("tilted: true") && S.partState.tilt1.tilted === true`)
	do(t, ctx, "stand it up", chromedp.Click(`#ctl-tilt1-level`))
	poll(t, ctx, "the board level", con+`.includes("tilted: false") && S.partState.tilt1.tilted === false`)
	yaml := eval[string](t, ctx, `fetch(document.getElementById("dlScenario").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	for _, step := range []string{"  - tilt: tilt1\n", "  - level: tilt1\n"} {
		if !strings.Contains(yaml, step) {
			t.Errorf("downloaded scenario:\n%s\nwant the step %q", yaml, step)
		}
	}
	browsertest.Screenshot(t, ctx, "own-part")
}
