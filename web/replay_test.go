package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop/examples"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/session"
	"github.com/coopgo/coop/trace"
)

// download is what the page downloads at one moment: the recorded
// scenario and the VCD.
type download struct {
	scenario string
	vcd      *trace.VCD
}

// downloadNow gets the scenario and the VCD from the server's handler,
// on the calling goroutine: on the loop, it is a page's download that
// lands between two events of the run.
func downloadNow(t *testing.T, s *Server) download {
	t.Helper()
	get := func(path string) string {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Host = "127.0.0.1"
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Errorf("GET %s = %d %s", path, w.Code, w.Body)
		}
		return w.Body.String()
	}
	d := download{scenario: get("/scenario.yaml")}
	v, err := trace.ReadVCD(strings.NewReader(get("/trace.vcd")))
	if err != nil {
		t.Fatalf("the page's VCD: %v", err)
	}
	d.vcd = v
	return d
}

// scenarioEnd returns the board time of the scenario's last step, an `at`.
func scenarioEnd(t *testing.T, scen string) time.Duration {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(scen), "\n")
	last, ok := strings.CutPrefix(lines[len(lines)-1], "  - at: ")
	if !ok {
		t.Fatalf("scenario:\n%s\nwant an at step last", scen)
	}
	d, err := time.ParseDuration(last)
	if err != nil {
		t.Fatalf("scenario:\n%s\n%v", scen, err)
	}
	return d
}

// replays runs example name with the downloaded scenario on the virtual
// clock, as `coop run NAME --scenario FILE --virtual` does, and checks
// that its pins change as the downloaded VCD shows up to the VCD's end:
// at the same instants before it, and at the end with at least the
// changes the VCD shows (the replay runs that last instant through, where
// the page may have shown only part of it).
func replays(t *testing.T, name string, d download) {
	t.Helper()
	prog, err := examples.Find(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := session.New(prog.App, session.Config{Name: name, Virtual: true,
		Wiring:   session.File{Name: name + "/diagram.json", Data: prog.Wiring},
		Scenario: session.File{Name: "page.yaml", Data: []byte(d.scenario)}})
	if err != nil {
		t.Fatalf("the recorded scenario:\n%s\n%v", d.scenario, err)
	}
	rec := &trace.Recorder{}
	s.Board().Observe(rec)
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("replay: %v\nscenario:\n%s", err, d.scenario)
	}
	var b bytes.Buffer
	if err := trace.WriteVCD(&b, rec.Events(), trace.VCDOptions{End: s.End()}); err != nil {
		t.Fatal(err)
	}
	rv, err := trace.ReadVCD(&b)
	if err != nil {
		t.Fatal(err)
	}
	end := d.vcd.End
	changes := func(v *trace.VCD, name string, keep func(at time.Duration) bool) []trace.Change {
		var cs []trace.Change
		if sig := v.Signal(name); sig != nil {
			for _, c := range sig.Changes {
				if c.Value != "x" && keep(c.At) {
					cs = append(cs, c)
				}
			}
		}
		return cs
	}
	before := func(at time.Duration) bool { return at < end }
	atEnd := func(at time.Duration) bool { return at == end }
	var names []string
	for _, v := range []*trace.VCD{d.vcd, rv} {
		for _, sig := range v.Signals {
			if strings.HasPrefix(sig.Name, "pins.") && !slices.Contains(names, sig.Name) {
				names = append(names, sig.Name)
			}
		}
	}
	if len(names) == 0 {
		t.Fatalf("no pins in the VCDs")
	}
	for _, sig := range names {
		live, replay := changes(d.vcd, sig, before), changes(rv, sig, before)
		liveEnd, replayEnd := changes(d.vcd, sig, atEnd), changes(rv, sig, atEnd)
		if !slices.Equal(live, replay) || len(liveEnd) > 0 && !slices.Equal(liveEnd, replayEnd) {
			t.Errorf("%s up to %v: the page showed %v then %v, the replay %v then %v\nscenario:\n%s",
				sig, end, live, liveEnd, replay, replayEnd, d.scenario)
		}
	}
}

// A scenario downloaded while the board runs ends where the page is: at
// the board time of the latest event it has shown, also the end of the
// VCD downloaded with it, and its replay makes every edge the page shows.
// The pacer tells its board time between slices of the run only, so a
// download that lands during a slice, here on the loop at blink's edge at
// 500ms, finds the pacer's time behind that edge; a scenario ended there
// stopped its replay short of the edge.
func TestScenarioDownloadedWhileRunningCoversWhatThePageShows(t *testing.T) {
	r := startRig(t, "blink", 0, true, Config{})
	got := make(chan download, 1)
	var pacerNow time.Duration
	watching := make(chan struct{})
	r.pacer.Do(func() {
		done := false
		r.board.Observe(sim.ObserverFuncs{OnPin: func(at time.Duration, name string, level bool) {
			if done || name != "LED" || at != 500*time.Millisecond {
				return
			}
			done = true
			pacerNow = r.pacer.State().Now
			got <- downloadNow(t, r.srv)
		}})
		close(watching)
	})
	<-watching
	r.pacer.Step(time.Second)
	d := <-got
	if pacerNow >= 500*time.Millisecond {
		t.Fatalf("the pacer's board time at the edge at 500ms: %v, want it behind, between slices", pacerNow)
	}
	if end := scenarioEnd(t, d.scenario); d.vcd.End != 500*time.Millisecond || end != 500*time.Millisecond+time.Microsecond {
		t.Errorf("the VCD ends at %v, the scenario at %v; want the edge, 500ms, and a microsecond later\nscenario:\n%s",
			d.vcd.End, end, d.scenario)
	}
	replays(t, "blink", d)
}

// An input from the page and what it does on the board come together in
// the downloads: a download taken while the press lands (here on the loop,
// at the button's edge) shows neither the edge nor the press, one taken
// after shows both, and each replays as the page showed it. Before, the
// edge was recorded first: a download in between showed the edge, its
// scenario had no press, and its replay no edge.
func TestInputAndItsEffectsDownloadTogether(t *testing.T) {
	r := startRig(t, "button-cancel", 0, true, Config{})
	w := dial(t, r.srv)
	w.read()
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(time.Second)})
	w.until("1s of board time", func(m message) bool { return m.Clock.Paused && m.Clock.Now == time.Second })
	got := make(chan download, 1)
	watching := make(chan struct{})
	r.pacer.Do(func() {
		done := false
		r.board.Observe(sim.ObserverFuncs{OnPin: func(at time.Duration, name string, level bool) {
			if done || name != "GP14" || level {
				return
			}
			done = true
			got <- downloadNow(t, r.srv)
		}})
		close(watching)
	})
	<-watching
	w.send(map[string]any{"t": "input", "part": "btn1", "input": "press"})
	during := <-got
	w.until("the press", func(m message) bool { return len(m.Inputs) > 0 })
	after := make(chan download, 1)
	r.pacer.Do(func() { after <- downloadNow(t, r.srv) })
	landed := <-after

	if strings.Contains(during.scenario, "press") || during.vcd.End != time.Second || !strings.HasSuffix(during.scenario, "steps:\n  - at: 1.000001s\n") {
		t.Errorf("downloaded while the press lands: VCD to %v, scenario\n%s\nwant no press, the VCD to 1s, the scenario to 1.000001s",
			during.vcd.End, during.scenario)
	}
	if !strings.HasSuffix(landed.scenario, "steps:\n  - at: 1.000000001s\n  - press: btn1\n  - at: 1.000001s\n") {
		t.Errorf("downloaded once the press landed: scenario\n%s\nwant the press at 1.000000001s, then the end at 1.000001s", landed.scenario)
	}
	if sig := landed.vcd.Signal("pins.GP14"); sig == nil || sig.Changes[len(sig.Changes)-1].Value != "0" {
		t.Errorf("downloaded once the press landed: GP14 %+v, want it low last", sig)
	}
	replays(t, "button-cancel", during)
	replays(t, "button-cancel", landed)
}
