package web

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop/internal/browsertest"
)

// taskRow is the state and step count the page's task table shows for a
// task: "sleeping 2".
func taskRow(name string) string {
	tr := `document.querySelector('#tasks tr[data-task="` + name + `"]')`
	return `(` + tr + `?.dataset.state + " " + ` + tr + `?.children[4].textContent)`
}

// One press of "task switch" runs exactly one task step: in button-cancel
// the blink task and the button's poll both wake at 250ms; the first press
// runs the blink task alone, the table showing the poll still ready and
// the board at 250ms, the second the poll.
func bStepOneTask(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "button-cancel", 1, true, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	do(t, ctx, "step by 240ms", chromedp.SetValue(`#stepBy`, "240ms"), chromedp.Click(`#stepFor`))
	paused := func(ns string) string {
		return `document.getElementById("state").dataset.state === "paused" && document.getElementById("now").dataset.ns === "` + ns + `"`
	}
	poll(t, ctx, "240ms", paused("240000000")+` && `+taskRow("blink_led")+` === "sleeping 1" && `+taskRow("monitor_button")+` === "sleeping 5"`)
	do(t, ctx, "step to the next task switch", chromedp.Click(`#stepTask`))
	poll(t, ctx, "the blink task's step alone", paused("250000000")+` && `+
		taskRow("blink_led")+` === "sleeping 2" && `+taskRow("monitor_button")+` === "ready 5"`)
	browsertest.Screenshot(t, ctx, "step-task")
	do(t, ctx, "step to the next task switch", chromedp.Click(`#stepTask`))
	poll(t, ctx, "the poll's step", paused("250000000")+` && `+
		taskRow("blink_led")+` === "sleeping 2" && `+taskRow("monitor_button")+` === "sleeping 6"`)
}
