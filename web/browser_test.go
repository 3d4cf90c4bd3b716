package web

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpinput "github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop/internal/browsertest"
)

// screenshotEnv names the file the README's screenshot is written to by
// TestBrowser/Dashboard (docs/web.png); unset, it is not written.
const screenshotEnv = "COOP_WEB_SCREENSHOT"

// do runs actions in the page and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		browsertest.Screenshot(t, ctx, t.Name()+"-failed")
		t.Fatalf("%s: %v", what, err)
	}
}

// poll waits until the JavaScript expression is true in the page.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			browsertest.Screenshot(t, ctx, t.Name()+"-failed")
			t.Fatalf("waiting for %s (%s): still false after 15s (last error: %v)", what, expr, err)
		}
		time.Sleep(20 * time.Millisecond) // the page offers no event to wait on: poll it
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

const ledOn = `document.querySelector('#board [data-part="LED"]')?.dataset.on`

func bButtonCancel(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "button-cancel", 1, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "the LED lit", ledOn+` === "1"`)
	poll(t, ctx, "the LED dark", ledOn+` === "0"`)
	poll(t, ctx, "the LED lit again", ledOn+` === "1"`)
	do(t, ctx, "click the button", chromedp.Click(`#board [data-part="btn1"] .cap`))
	poll(t, ctx, "the blink task cancelled", `document.querySelector('#tasks tr[data-task="blink_led"]')?.dataset.state === "cancelled"`)
	poll(t, ctx, `"Blink task stopped" on the console`, `document.getElementById("console").textContent.includes("Blink task stopped")`)
	poll(t, ctx, "the LED dark", ledOn+` === "0"`)
	browsertest.Screenshot(t, ctx, "button-cancel")

	// A reload shows the same run.
	do(t, ctx, "reload", chromedp.Reload())
	poll(t, ctx, "the console again", `document.getElementById("console").textContent.includes("» btn1 press") && `+
		`document.getElementById("console").textContent.includes("Blink task stopped")`)
	poll(t, ctx, "the table again", `document.querySelector('#tasks tr[data-task="blink_led"]')?.dataset.state === "cancelled"`)
	poll(t, ctx, "the LED dark again", ledOn+` === "0"`)
}

func bStepToNextEdge(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "button-cancel", 1, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "the LED lit", ledOn+` === "1"`)
	do(t, ctx, "pause", chromedp.Click(`#pause`))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	before := eval[string](t, ctx, `document.getElementById("now").dataset.ns`)
	do(t, ctx, "step to the next edge", chromedp.Click(`#stepEdge`))
	poll(t, ctx, "the board past the edge",
		`document.getElementById("now").dataset.ns !== "`+before+`" && document.getElementById("state").dataset.state === "paused"`)
	after := eval[string](t, ctx, `document.getElementById("now").dataset.ns`)
	edge := eval[int64](t, ctx, `S.lanes.get("pLED").ch.at(-1)[0]`)
	pausedAt, _ := strconv.ParseInt(before, 10, 64)
	a, _ := strconv.ParseInt(after, 10, 64)
	half := int64(250 * time.Millisecond) // the blink's half period
	if want := (pausedAt/half + 1) * half; a != want || edge != want {
		t.Errorf("paused at %dns, stepped to %dns with the LED's last edge at %dns; want both %dns", pausedAt, a, edge, want)
	}
	browsertest.Screenshot(t, ctx, "step-edge")

	// Look back: drag the cursor to an instant the LED was lit before the
	// last edge; the board, the table and the console show that instant,
	// and letting go returns to the board as it is.
	box, err := chromedp.Run(ctx, chromedp.Dimensions(`#timeline`))
	if err != nil {
		t.Fatal(err)
	}
	q := box.Content
	end, span := eval[float64](t, ctx, `view.end`), eval[float64](t, ctx, `view.span`)
	xAt := func(at int64) float64 {
		return q[0] + 110 + (float64(at)-(end-span))/span*((q[2]-q[0])-110-8)
	}
	rise := eval[int64](t, ctx, `S.lanes.get("pLED").ch.filter(c => c[1] === 1 && c[0] < `+after+`).at(-1)[0]`)
	lit := rise + half/2 // lit from a rising edge for half a period
	y := q[1] + 40
	left := func(p *cdpinput.DispatchMouseEventParams) { p.Button, p.Buttons = cdpinput.MouseButtonLeft, 1 }
	do(t, ctx, "drag the cursor back",
		chromedp.MouseEvent(chromedp.MousePressed, xAt(lit+half/4), y, left, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, xAt(lit)+5, y, left),
		chromedp.MouseEvent(chromedp.MouseMoved, xAt(lit), y, left))
	poll(t, ctx, "the LED lit in the past", ledOn+` === "1" && S.past !== null`)
	poll(t, ctx, "the task table as it was", `S.past.at === view.cursorA && `+
		`document.querySelector('#tasks tr[data-task="blink_led"]').dataset.state === S.past.taskStates[2]`)
	do(t, ctx, "let go", chromedp.MouseEvent(chromedp.MouseReleased, xAt(lit), y, left, chromedp.ClickCount(1)))
	poll(t, ctx, "the LED as it is now", `S.past === null && `+ledOn+` === (S.partState.LED.on ? "1" : "0")`)
}

func bDHTSlider(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "sensor", 5, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "a first reading", `document.getElementById("console").textContent.includes("Temperature:")`)
	// Click three quarters along the temperature slider, as a person
	// would drag it there.
	box, err := chromedp.Run(ctx, chromedp.Dimensions(`#ctl-dht1-temperature`))
	if err != nil {
		t.Fatal(err)
	}
	q := box.Content
	x := q[0] + (q[2]-q[0])*0.75
	y := (q[1] + q[5]) / 2
	do(t, ctx, "drag the slider", chromedp.MouseClickXY(x, y))
	v := eval[string](t, ctx, `document.getElementById("ctl-dht1-temperature").value`)
	if f, err := strconv.ParseFloat(v, 64); err != nil || f < 40 {
		t.Fatalf("slider value %q after the click, want about 50", v)
	}
	line := "Temperature: " + v + " C"
	poll(t, ctx, "the next reading with the new value", `document.getElementById("console").textContent.includes(`+strconv.Quote(line)+`)`)
	yaml := eval[string](t, ctx, `fetch(document.getElementById("dlScenario").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	if !strings.Contains(yaml, "control: temperature, value: "+v+"}") {
		t.Errorf("downloaded scenario:\n%s\nwant the temperature set to %s", yaml, v)
	}
	browsertest.Screenshot(t, ctx, "dht-slider")
}

// The Wi-Fi switch under the board takes the access point off the air:
// wifi-status sees the link lost at its next check and fails to join; put
// back, the next check joins again.
func bWifi(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "wifi-status", 10, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	const wifi = `document.querySelector('#board [data-kind="wifi"][data-ssid="Wokwi-GUEST"]')`
	con := `document.getElementById("console").textContent`
	poll(t, ctx, "the access point on the air", wifi+`?.dataset.down === "0"`)
	poll(t, ctx, "the board online", con+`.includes("Wi-Fi OK") && `+wifi+`.dataset.station === "connected"`)
	if got := eval[string](t, ctx, wifi+`.querySelector(".toggle text").textContent`); got != "take down" {
		t.Errorf("the switch says %q, want \"take down\"", got)
	}
	do(t, ctx, "take the Wi-Fi down", chromedp.Click(`#board [data-kind="wifi"] .toggle`))
	// Off the air, the station goes from "link lost" to joining and
	// failing, again and again: which one the page shows depends on when
	// it looks.
	poll(t, ctx, "the access point off the air", wifi+`.dataset.down === "1" && `+
		`["link lost", "joining Wokwi-GUEST", "no ap found"].includes(`+wifi+`.dataset.station)`)
	poll(t, ctx, "the program sees the link lost", con+`.includes("» Wokwi-GUEST wifi-down") && `+con+`.includes("Wi-Fi down: link lost")`)
	poll(t, ctx, "a join that fails", con+`.includes("Wi-Fi connect failed: hw: access point not found")`)
	if got := eval[string](t, ctx, wifi+`.querySelector(".toggle text").textContent`); got != "bring up" {
		t.Errorf("the switch says %q, want \"bring up\"", got)
	}
	browsertest.Screenshot(t, ctx, "wifi-down")
	do(t, ctx, "bring the Wi-Fi up", chromedp.Click(`#board [data-kind="wifi"] .toggle`))
	poll(t, ctx, "the access point back", wifi+`.dataset.down === "0"`)
	poll(t, ctx, "joined again", con+`.lastIndexOf("Wi-Fi connected") > `+con+`.indexOf("» Wokwi-GUEST wifi-up") && `+
		wifi+`.dataset.station === "connected"`)
	poll(t, ctx, "the outage on the timeline", `S.lanes.get("vWokwi-GUEST.down")?.ch.map(c => c[1]).join() === "1,0"`)
	yaml := eval[string](t, ctx, `fetch(document.getElementById("dlScenario").href).then(r => r.text())`, chromedp.EvalAwaitPromise)
	if !strings.Contains(yaml, "  - wifi-down: Wokwi-GUEST\n") || !strings.Contains(yaml, "  - wifi-up: Wokwi-GUEST\n") {
		t.Errorf("downloaded scenario:\n%s\nwant the wifi-down and wifi-up steps", yaml)
	}
	browsertest.Screenshot(t, ctx, "wifi-up")
}

// The dashboard of the README's screenshot: two cursors measure the
// blink's half period, a click on a column sorts the task table.
func bDashboard(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "dashboard", 1, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "1.5s of board time", `+document.getElementById("now").dataset.ns > 1.5e9`)
	do(t, ctx, "press the button", chromedp.Click(`#board [data-part="btn1"] .cap`))
	poll(t, ctx, `"Button pressed" on the console`, `document.getElementById("console").textContent.includes("Button pressed")`)
	poll(t, ctx, "the LED lit", ledOn+` === "1"`)
	do(t, ctx, "pause", chromedp.Click(`#pause`))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)

	// Cursors on two rising edges of the LED, found in the page's lane.
	edges := eval[[]int64](t, ctx, `S.lanes.get("pLED").ch.filter(c => c[1] === 1).slice(-3, -1).map(c => c[0])`)
	if len(edges) != 2 {
		t.Fatalf("rising edges of the LED: %v, want two", edges)
	}
	box, err := chromedp.Run(ctx, chromedp.Dimensions(`#timeline`))
	if err != nil {
		t.Fatal(err)
	}
	q := box.Content
	// The clicks land where the timeline shows the edges as the test reads
	// its view; an update still on its way as the board paused moves the
	// view, so the cursors are placed again until the view stood still
	// through both clicks.
	for try := 1; ; try++ {
		end, span := eval[float64](t, ctx, `view.end`), eval[float64](t, ctx, `view.span`)
		xAt := func(at int64) float64 {
			pw := (q[2] - q[0]) - 110 - 8 // LABEL_W and the right margin of app.js
			return q[0] + 110 + (float64(at)-(end-span))/span*pw
		}
		y := q[1] + 40
		do(t, ctx, "cursor A", chromedp.MouseClickXY(xAt(edges[0]), y))
		do(t, ctx, "cursor B", chromedp.MouseClickXY(xAt(edges[1]), y, chromedp.ButtonModifiers(1<<3))) // shift
		if eval[float64](t, ctx, `view.end`) == end && eval[float64](t, ctx, `view.span`) == span {
			break
		}
		if try == 5 {
			t.Fatalf("the timeline's view kept moving while the board was paused")
		}
	}
	dt := eval[string](t, ctx, `document.getElementById("cursors").dataset.dt`)
	if n, err := strconv.ParseInt(dt, 10, 64); err != nil || n < int64(390*time.Millisecond) || n > int64(410*time.Millisecond) {
		t.Errorf("Δt between two rising edges of the LED = %q ns, want about 400ms (the cursors land within a pixel)", dt)
	}

	do(t, ctx, "sort by steps, most first", chromedp.Click(`#tasks th[data-key="steps"]`))
	steps := eval[[]int](t, ctx, `[...document.querySelectorAll("#tasks tbody tr")].map(tr => +tr.children[4].textContent)`)
	if !slices.IsSortedFunc(steps, func(a, b int) int { return b - a }) || len(steps) < 3 {
		t.Errorf("steps column after sorting it: %v, want it in decreasing order", steps)
	}
	do(t, ctx, "select the blink task", chromedp.Click(`#tasks tr[data-task="blink"]`))
	poll(t, ctx, "its row selected", `document.querySelector('#tasks tr.selected')?.dataset.task === "blink"`)
	if shot := os.Getenv(screenshotEnv); shot != "" {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	browsertest.Screenshot(t, ctx, "dashboard")
}

// TestBrowser runs the page in one headless Chromium, a tab for each
// subtest.
func TestBrowser(t *testing.T) {
	b := browsertest.New(t, 6*time.Minute)
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, *browsertest.Browser)
	}{
		{"ButtonCancel", bButtonCancel},
		{"StepToNextEdge", bStepToNextEdge},
		{"StepOneTask", bStepOneTask},
		{"DHTSlider", bDHTSlider},
		{"Wifi", bWifi},
		{"Dashboard", bDashboard},
		{"OwnPart", bOwnPart},
		{"ManyTasks", bManyTasks},
		{"ReloadShowsTheLatest", bReloadShowsTheLatest},
		{"AfterTheEnd", bAfterTheEnd},
		{"TwoTabs", bTwoTabs},
		{"AxisLabels", bAxisLabels},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, b) })
	}
}
