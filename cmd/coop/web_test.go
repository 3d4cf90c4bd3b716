//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopgo/coop/internal/browsertest"
	"github.com/coopgo/coop/trace"
)

// pagePoll waits until the JavaScript expression is true in the page.
func pagePoll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			browsertest.Screenshot(t, ctx, t.Name()+"-failed")
			t.Fatalf("waiting for %s (%s): still false after 20s (last error: %v)", what, expr, err)
		}
		time.Sleep(20 * time.Millisecond) // the page offers no event to wait on: poll it
	}
}

func pageDo(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		browsertest.Screenshot(t, ctx, t.Name()+"-failed")
		t.Fatalf("%s: %v", what, err)
	}
}

func pageFetch(t *testing.T, ctx context.Context, link string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`fetch(document.getElementById(`+strconv.Quote(link)+`).href).then(r => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("downloading #%s: %v", link, err)
	}
	return s
}

var webURL = regexp.MustCompile(`coop: web: (http://\S+)`)

// lockedBuffer is a buffer written by the run and read by the test; wrote
// is closed at the first write.
type lockedBuffer struct {
	mu    sync.Mutex
	b     bytes.Buffer
	wrote chan struct{}
	once  sync.Once
}

func (s *lockedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.once.Do(func() { close(s.wrote) })
	return s.b.Write(p)
}

func (s *lockedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The inputs made in the page, downloaded as a scenario, replay the run
// exactly: `coop run sensor --scenario FILE --virtual` prints the same
// lines at the same board times, and its pins change at the same instants.
func TestWeb_scenarioReplays(t *testing.T) {
	replaysFromPage(t, "sensor", []string{"pins.GP16", "pins.LED"}, func(ctx context.Context) []string {
		con := `document.getElementById("console").textContent`
		pagePoll(t, ctx, "a first reading", con+`.includes("Temperature: 24 C")`)
		pageDo(t, ctx, "speed up", chromedp.Evaluate[chromedp.Void](
			`{const s = document.getElementById("speed"); s.value = "10"; s.dispatchEvent(new Event("change"))}`))
		pagePoll(t, ctx, "10×", `S.clock.speed === 10`)
		choose := func(mode string) chromedp.Action[chromedp.Void] {
			return chromedp.Evaluate[chromedp.Void](`{const s = document.getElementById("ctl-dht1-sensor-fail-mode"); ` +
				`s.value = "` + mode + `"; s.dispatchEvent(new Event("change"))}`)
		}
		pageDo(t, ctx, "break the sensor", choose("checksum"))
		pagePoll(t, ctx, "a failed read", con+`.includes("Sensor read error")`)
		pageDo(t, ctx, "repair the sensor", choose("none"))
		box, err := chromedp.Run(ctx, chromedp.Dimensions(`#ctl-dht1-humidity`))
		if err != nil {
			t.Fatal(err)
		}
		q := box.Content
		pageDo(t, ctx, "drag the humidity slider", chromedp.MouseClickXY(q[0]+(q[2]-q[0])*0.3, (q[1]+q[5])/2))
		h, err := chromedp.Run(ctx, chromedp.Value(`#ctl-dht1-humidity`))
		if err != nil {
			t.Fatal(err)
		}
		pagePoll(t, ctx, "a reading with the new humidity", con+`.includes("Humidity: `+h+` %")`)
		return []string{"  - sensor-fail: {part-id: dht1, mode: checksum}\n", "  - sensor-fail: {part-id: dht1, mode: none}\n",
			"  - set-control: {part-id: dht1, control: humidity, value: " + h + "}\n"}
	})
}

// The Wi-Fi taken down and up in the page replays the same way:
// `coop run wifi-status --scenario FILE --virtual` loses the link, fails
// to join and joins again at the same board times.
func TestWeb_wifiScenarioReplays(t *testing.T) {
	replaysFromPage(t, "wifi-status", []string{"pins.LED", "values.Wokwi_GUEST_down"}, func(ctx context.Context) []string {
		con := `document.getElementById("console").textContent`
		pageDo(t, ctx, "speed up", chromedp.Evaluate[chromedp.Void](
			`{const s = document.getElementById("speed"); s.value = "10"; s.dispatchEvent(new Event("change"))}`))
		pagePoll(t, ctx, "online", con+`.includes("Wi-Fi OK")`)
		toggle := `#board [data-kind="wifi"][data-ssid="Wokwi-GUEST"] .toggle`
		pageDo(t, ctx, "take the Wi-Fi down", chromedp.Click(toggle))
		pagePoll(t, ctx, "the link lost", con+`.includes("Wi-Fi down: link lost")`)
		pagePoll(t, ctx, "a join that fails", con+`.includes("Wi-Fi connect failed: hw: access point not found")`)
		pageDo(t, ctx, "bring the Wi-Fi up", chromedp.Click(toggle))
		// The Wi-Fi's return must be on the console before the join after
		// it: with no return yet, indexOf is -1 and an earlier join would do.
		pagePoll(t, ctx, "joined again", con+`.includes("» Wokwi-GUEST wifi-up") && `+con+`.lastIndexOf("Wi-Fi connected") > `+con+`.indexOf("» Wokwi-GUEST wifi-up")`)
		return []string{"  - wifi-down: Wokwi-GUEST\n", "  - wifi-up: Wokwi-GUEST\n"}
	})
}

// replaysFromPage runs `coop run name --web --timestamps`, drives the page
// with drive, which returns the steps the recorded scenario must have,
// pauses, downloads the scenario and the VCD, ends the run with Ctrl-C and
// replays the scenario with --virtual: the replay must print the same
// lines at the same board times and change the signals of the VCD named
// in signals the same way.
func replaysFromPage(t *testing.T, name string, signals []string, drive func(ctx context.Context) []string) {
	ctx := browsertest.New(t, 2*time.Minute).Tab(t)
	out := &lockedBuffer{wrote: make(chan struct{})}
	errb := &lockedBuffer{wrote: make(chan struct{})}
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"run", name, "--web", "--timestamps"}, strings.NewReader(""), out, errb)
	}()
	select {
	case <-errb.wrote:
	case code := <-done:
		t.Fatalf("coop run %s --web ended with %d before serving:\n%s", name, code, errb)
	case <-time.After(20 * time.Second):
		t.Fatalf("coop run %s --web printed no address in 20 s", name)
	}
	m := webURL.FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("stderr %q, want the page's address", errb)
	}
	pageDo(t, ctx, "load the page", chromedp.Navigate(m[1]))
	steps := drive(ctx)
	pageDo(t, ctx, "pause", chromedp.Click(`#pause`))
	pagePoll(t, ctx, "the board paused", `document.getElementById("state").dataset.state === "paused"`)
	scen := pageFetch(t, ctx, "dlScenario")
	liveVCD := pageFetch(t, ctx, "dlVCD")
	browsertest.Screenshot(t, ctx, name+"-scenario-replay")

	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("coop run %s --web, Ctrl-C = %d\nstderr:\n%s", name, code, errb)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("coop run %s --web did not end within 20 s of Ctrl-C", name)
	}
	for _, step := range steps {
		if !strings.Contains(scen, step) {
			t.Errorf("recorded scenario:\n%s\nwant the step %q", scen, step)
		}
	}

	dir := t.TempDir()
	scenFile, vcdFile := filepath.Join(dir, "page.yaml"), filepath.Join(dir, "replay.vcd")
	if err := os.WriteFile(scenFile, []byte(scen), 0o644); err != nil {
		t.Fatal(err)
	}
	var rout, rerr bytes.Buffer
	if code := run([]string{"run", name, "--scenario", scenFile, "--virtual", "--timestamps", "--trace", vcdFile},
		strings.NewReader(""), &rout, &rerr); code != exitOK {
		t.Fatalf("replay = %d\nstderr:\n%s\nscenario:\n%s", code, &rerr, scen)
	}
	if live, replay := out.String(), rout.String(); live != replay {
		t.Errorf("the replay printed other lines.\nlive:\n%s\nreplay:\n%s", live, replay)
	}

	// The pins (and the signals) change at the same instants, up to the
	// end of the live run.
	lv, err := trace.ReadVCD(strings.NewReader(liveVCD))
	if err != nil {
		t.Fatalf("the page's VCD: %v", err)
	}
	f, err := os.Open(vcdFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rv, err := trace.ReadVCD(f)
	if err != nil {
		t.Fatalf("the replay's VCD: %v", err)
	}
	for _, sig := range signals {
		a, b := lv.Signal(sig), rv.Signal(sig)
		if a == nil || b == nil {
			t.Fatalf("signal %s: live %v, replay %v; want both", sig, a != nil, b != nil)
		}
		if len(a.Changes) < 2 || !slices.Equal(a.Changes, b.Changes[:min(len(b.Changes), len(a.Changes))]) {
			t.Errorf("signal %s: live changes %v\nreplay %v\nscenario:\n%s", sig, a.Changes, b.Changes, scen)
		}
	}
}
