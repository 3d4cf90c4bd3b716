package web

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/internal/browsertest"
)

// jobsApp starts a short job every 10 ms, for ever, as a program that
// spawns a task for each reading or message does.
func jobsApp(t *coop.Task, b hw.Board) error {
	for {
		t.Spawn("job", func(t *coop.Task) error { return t.Sleep(time.Millisecond) })
		if err := t.Sleep(10 * time.Millisecond); err != nil {
			return err
		}
	}
}

// A program that starts tasks for ever: the page's task table and
// timeline keep the tasks the server keeps (the live ones and the last
// keepDone finished), not every task the run ever had.
func bManyTasks(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	wiring := `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}], "connections": []}`
	r := startProgram(t, "jobs", jobsApp, []byte(wiring), nil, 0, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "3×keepDone jobs started", `+document.getElementById("now").dataset.ns > `+strconv.Itoa(3*keepDone)+`e7`)
	do(t, ctx, "pause", chromedp.Click(`#pause`))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	const shown = `[S.tasks.size, document.querySelectorAll("#tasks tbody tr").length, ` +
		`[...S.lanes.values()].filter(l => l.kind === "task").length]`
	got := eval[[]int](t, ctx, shown)
	// main, the job running and the keepDone finished ones.
	if max := keepDone + 2; got[0] > max || got[1] != got[0] || got[2] > got[0] {
		t.Errorf("tasks known, rows, task lanes = %v; want at most %d tasks, a row for each, a lane for none other", got, max)
	}
}

// ticksApp prints the board time every millisecond.
func ticksApp(t *coop.Task, b hw.Board) error {
	for {
		b.Console().Println("tick", t.Now().Milliseconds())
		if err := t.Sleep(time.Millisecond); err != nil {
			return err
		}
	}
}

// A reload in a long run of a chatty program shows the latest lines of
// the console, the older ones summed up before them, not the oldest
// lines of the history and the rest summed up after them.
func bReloadShowsTheLatest(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	wiring := `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}], "connections": []}`
	r := startProgram(t, "ticks", ticksApp, []byte(wiring), nil, 0, false, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "3×helloCap lines", `+document.getElementById("now").dataset.ns > `+strconv.Itoa(3*helloCap)+`e6`)
	do(t, ctx, "pause", chromedp.Click(`#pause`))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	const last = `document.querySelector("#console .line:last-child")?.textContent.endsWith(` +
		`"] tick " + Math.floor(+document.getElementById("now").dataset.ns / 1e6))`
	poll(t, ctx, "the latest line last", last)
	do(t, ctx, "reload", chromedp.Reload())
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	poll(t, ctx, "the latest line last again", last)
	if got := eval[string](t, ctx, `document.querySelector("#console .line.sys")?.textContent`); !strings.Contains(got, "earlier lines") {
		t.Errorf("the console's first summary after the reload: %q, want the earlier lines summed up", got)
	}
}

// helloApp prints, sleeps a board second, prints and ends.
func helloApp(t *coop.Task, b hw.Board) error {
	b.Console().Println("started")
	if err := t.Sleep(time.Second); err != nil {
		return err
	}
	b.Console().Println("finished")
	return nil
}

// A tab opened after the program ended shows the finished run: the board
// time it ended at, its console and its tasks done; an input is refused.
func bAfterTheEnd(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	wiring := `{"parts": [{"type": "board-pi-pico-w", "id": "pico"}], "connections": []}`
	r := startProgram(t, "hello", helloApp, []byte(wiring), nil, 0, false, Config{})
	err := <-r.ran
	r.ran <- err // for the cleanup
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "the run ended", `document.getElementById("state").dataset.state === "ended"`)
	poll(t, ctx, "the finished run", `document.getElementById("now").dataset.ns === "1000000000" && `+
		`document.getElementById("console").textContent.includes("finished") && `+taskRow("main")+` === "done 2"`)
	do(t, ctx, "take the Wi-Fi down", chromedp.Click(`#board [data-kind="wifi"] .toggle`))
	poll(t, ctx, "the input refused", `document.getElementById("status").textContent === "error: the run has ended"`)
}

// Two tabs show the same run: a press in one reaches the board, and both
// show it, at the same board times.
func bTwoTabs(t *testing.T, b *browsertest.Browser) {
	one, two := b.Tab(t), b.Tab(t)
	r := startRig(t, "button-cancel", 1, false, Config{})
	do(t, one, "load the first tab", chromedp.Navigate(r.srv.URL()))
	do(t, two, "load the second tab", chromedp.Navigate(r.srv.URL()))
	poll(t, two, "the second tab live", ledOn+` === "1"`)
	do(t, one, "click the button in the first tab", chromedp.Click(`#board [data-part="btn1"] .cap`))
	const stopped = `[...document.querySelectorAll("#console .line")].find(l => l.textContent.includes("Blink task stopped"))?.dataset.at`
	for _, ctx := range []context.Context{one, two} {
		poll(t, ctx, "the blink task stopped", stopped+` && document.querySelector('#tasks tr[data-task="blink_led"]')?.dataset.state === "cancelled"`)
	}
	if a, b := eval[string](t, one, stopped), eval[string](t, two, stopped); a != b {
		t.Errorf("the blink task stopped at %sns in one tab, %sns in the other", a, b)
	}
}

// The timeline's axis tells its ticks apart however long the run: ticks
// 5 ms apart two hours in, 1 s apart after a board day.
func bAxisLabels(t *testing.T, b *browsertest.Browser) {
	ctx := b.Tab(t)
	r := startRig(t, "hello", 1, true, Config{})
	do(t, ctx, "load the page", chromedp.Navigate(r.srv.URL()))
	poll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	got := eval[[]string](t, ctx, `[[5e8, 1e8], [7200005000000, 5e6], [7200010000000, 5e6], [90000e9, 1e9], [26.5e9, 5e8]].map(([t, s]) => axisLabel(t, s))`)
	want := []string{"500ms", "7200.005s", "7200.010s", "90000s", "26.5s"}
	if !slices.Equal(got, want) {
		t.Errorf("axis labels %q, want %q", got, want)
	}
}
