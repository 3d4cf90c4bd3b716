package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/coopgo/coop/sim/scenario"
)

// get fetches u with the Host header host ("" for the URL's own) and
// returns the status and body.
func get(t *testing.T, u, host string, cookies ...*http.Cookie) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// base returns the server's URL without its query.
func base(s *Server) string {
	u, _ := url.Parse(s.URL())
	u.RawQuery = ""
	return u.String()
}

func TestLoopbackByDefault(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	u := r.srv.URL()
	if !strings.HasPrefix(u, "http://127.0.0.1:") || strings.Contains(u, "token") {
		t.Fatalf("URL() = %q, want http://127.0.0.1:PORT/ without a token", u)
	}
	if code, body := get(t, u, ""); code != 200 || !strings.Contains(body, "<title>") {
		t.Errorf("GET / = %d %.40q, want 200 and the page", code, body)
	}
}

func TestRefusesAnotherHostOnLoopback(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	// A page of evil.example whose name now resolves to 127.0.0.1 (DNS
	// rebinding) sends its own name as Host.
	for _, path := range []string{"", "trace.vcd", "scenario.yaml"} {
		if code, _ := get(t, r.srv.URL()+path, "evil.example:80"); code != http.StatusForbidden {
			t.Errorf("GET /%s with Host evil.example = %d, want 403", path, code)
		}
	}
	if code, _ := get(t, r.srv.URL(), "localhost:1"); code != 200 {
		t.Errorf("GET / with Host localhost = %d, want 200", code)
	}
}

func TestNonLoopbackNeedsToken(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{Addr: "0.0.0.0:0"})
	u := r.srv.URL()
	q, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	token := q.Query().Get("token")
	if len(token) != 32 {
		t.Fatalf("URL() = %q, want a generated token of 32 hex digits", u)
	}
	b := base(r.srv)
	for _, path := range []string{"", "trace.vcd", "timeline.svg", "scenario.yaml", "app.js"} {
		if code, _ := get(t, b+path, ""); code != http.StatusForbidden {
			t.Errorf("GET /%s without the token = %d, want 403", path, code)
		}
		if code, _ := get(t, b+path+"?token=wrong", ""); code != http.StatusForbidden {
			t.Errorf("GET /%s with a wrong token = %d, want 403", path, code)
		}
		if code, _ := get(t, b+path, "", &http.Cookie{Name: tokenCookie, Value: "wrong"}); code != http.StatusForbidden {
			t.Errorf("GET /%s with a wrong cookie = %d, want 403", path, code)
		}
		if code, _ := get(t, b+path, "", &http.Cookie{Name: tokenCookie, Value: token}); code != 200 {
			t.Errorf("GET /%s with the cookie = %d, want 200", path, code)
		}
	}
	// The token in the URL gives the page its cookie.
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var got string
	for _, c := range resp.Cookies() {
		if c.Name == tokenCookie {
			got = c.Value
		}
	}
	if resp.StatusCode != 200 || got != token {
		t.Errorf("GET %s = %d with cookie %q, want 200 and the token", u, resp.StatusCode, got)
	}

	// The websocket: refused without the token, accepted with it.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(b, "http") + "ws"
	if _, resp, err := websocket.Dial(ctx, ws, nil); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("websocket without the token: err %v, response %v; want 403", err, status(resp))
	}
	c, _, err := websocket.Dial(ctx, ws+"?token="+token, nil)
	if err != nil {
		t.Fatalf("websocket with the token: %v", err)
	}
	c.CloseNow()
}

func TestGivenTokenOnLoopback(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{Token: "s3cret"})
	if u := r.srv.URL(); !strings.HasSuffix(u, "/?token=s3cret") {
		t.Errorf("URL() = %q, want the token in it", u)
	}
	if code, _ := get(t, base(r.srv), ""); code != http.StatusForbidden {
		t.Errorf("GET / without the given token = %d, want 403", code)
	}
}

func status(resp *http.Response) any {
	if resp == nil {
		return nil
	}
	return resp.StatusCode
}

func TestWebsocketChecksOrigin(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws := "ws" + strings.TrimPrefix(r.srv.URL(), "http") + "ws"
	h := http.Header{"Origin": {"http://evil.example"}}
	if _, resp, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: h}); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("websocket from origin evil.example: err %v, response %v; want 403", err, status(resp))
	}
	h = http.Header{"Origin": {strings.TrimSuffix(r.srv.URL(), "/")}}
	c, _, err := websocket.Dial(ctx, ws, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("websocket from the page's own origin: %v", err)
	}
	c.CloseNow()
}

// wsClient is a page's websocket, read message by message.
type wsClient struct {
	t   *testing.T
	ctx context.Context
	c   *websocket.Conn
}

func dial(t *testing.T, s *Server) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.URL(), "http")+"ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadLimit(64 << 20)
	t.Cleanup(func() { c.CloseNow() })
	return &wsClient{t: t, ctx: ctx, c: c}
}

// message is any message of the server, decoded loosely.
type message struct {
	T       string            `json:"t"`
	Msg     string            `json:"msg"`
	Events  []json.RawMessage `json:"events"`
	Gaps    []json.RawMessage `json:"gaps"`
	Tasks   []taskStat        `json:"tasks"`
	Inputs  []input           `json:"inputs"`
	Clock   clockView         `json:"clock"`
	Parts   json.RawMessage   `json:"parts"`
	Pins    map[string]bool   `json:"pins"`
	Program string            `json:"program"`
}

func (w *wsClient) read() message {
	w.t.Helper()
	_, b, err := w.c.Read(w.ctx)
	if err != nil {
		w.t.Fatalf("read: %v", err)
	}
	var m message
	if err := json.Unmarshal(b, &m); err != nil {
		w.t.Fatalf("message %s: %v", b, err)
	}
	return m
}

// until reads messages until ok accepts one.
func (w *wsClient) until(what string, ok func(m message) bool) message {
	w.t.Helper()
	for {
		m := w.read()
		if m.T == "error" {
			w.t.Fatalf("waiting for %s: error %q", what, m.Msg)
		}
		if ok(m) {
			return m
		}
	}
}

func (w *wsClient) send(v any) {
	w.t.Helper()
	b, _ := json.Marshal(v)
	if err := w.c.Write(w.ctx, websocket.MessageText, b); err != nil {
		w.t.Fatal(err)
	}
}

// hasEvent reports whether m carries the event whose JSON begins with
// prefix after its time: `"c","Blink task stopped"`.
func hasEvent(m message, tail string) bool {
	for _, e := range m.Events {
		s := string(e)
		if i := strings.IndexByte(s, ','); i >= 0 && strings.HasPrefix(s[i+1:], tail) {
			return true
		}
	}
	return false
}

func TestPressCancelsBlink(t *testing.T) {
	r := startRig(t, "button-cancel", 0, true, Config{})
	w := dial(t, r.srv)
	h := w.read()
	if h.T != "hello" || h.Program != "button-cancel" || !h.Clock.Paused {
		t.Fatalf("first message %+v, want a hello of button-cancel, paused", h)
	}
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(time.Second)})
	w.until("1s of board time", func(m message) bool { return m.Clock.Paused && m.Clock.Now == time.Second })
	w.send(map[string]any{"t": "input", "part": "btn1", "input": "press"})
	m := w.until("the press", func(m message) bool { return len(m.Inputs) > 0 })
	if in := m.Inputs[0]; in.At != time.Second+time.Nanosecond || in.Part != "btn1" || in.Input != "press" || len(in.Args) != 0 {
		t.Errorf("input %+v, want a press of btn1 at 1.000000001s", in)
	}
	w.send(map[string]any{"t": "clock", "op": "run"})
	w.until("the blink task stopped", func(m message) bool { return hasEvent(m, `"c","Blink task stopped"`) })
	m = w.until("the program's end", func(m message) bool { return m.Clock.Ended })
	var mainID uint64
	for _, ts := range m.Tasks {
		if ts.Name == "main" {
			mainID = ts.ID
		}
	}
	for _, ts := range m.Tasks {
		switch {
		case ts.Name == "blink_led" && ts.State != "cancelled":
			t.Errorf("task blink_led is %s, want cancelled", ts.State)
		case ts.Name != "main" && ts.Parent != mainID:
			t.Errorf("task %s has parent %d, want main (%d)", ts.Name, ts.Parent, mainID)
		}
	}

	// A second page gets the same state.
	w2 := dial(t, r.srv)
	h2 := w2.read()
	if !hasEvent(h2, `"c","Blink task stopped"`) || len(h2.Inputs) != 1 || !h2.Clock.Ended {
		t.Errorf("second page's hello: %d events, inputs %v, clock %+v; want the console line, the press and the end",
			len(h2.Events), h2.Inputs, h2.Clock)
	}
	code, yaml := get(t, r.srv.URL()+"scenario.yaml", "")
	if code != 200 || !strings.Contains(yaml, "  - at: 1.000000001s\n  - press: btn1\n") {
		t.Errorf("GET /scenario.yaml = %d\n%s\nwant the press at 1.000000001s", code, yaml)
	}
}

func TestStepToNextEdge(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	w := dial(t, r.srv)
	w.read()
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(100 * time.Millisecond)})
	w.until("100ms", func(m message) bool { return m.Clock.Paused && m.Clock.Now == 100*time.Millisecond })
	w.send(map[string]any{"t": "clock", "op": "step", "step": "edge", "pin": "LED"})
	var low bool
	m := w.until("the next edge", func(m message) bool {
		low = low || hasEvent(m, `"p","LED",0`)
		return m.Clock.Paused && m.Clock.Now > 100*time.Millisecond
	})
	if m.Clock.Now != 250*time.Millisecond || !low {
		t.Errorf("after the next edge board time %v, LED low seen %v; want 250ms, true", m.Clock.Now, low)
	}
	// The next task switch: the button task, due at 250ms too, steps
	// after the blink task that made the edge; then it polls every 50ms.
	for _, want := range []time.Duration{250 * time.Millisecond, 300 * time.Millisecond} {
		w.send(map[string]any{"t": "clock", "op": "step", "step": "task"})
		m, ev := w.pausedAfter("the next task switch", taskStep)
		if m.Clock.Now != want || time.Duration(ev[0].(float64)) != want {
			t.Errorf("after the next task switch (%v) board time %v, want %v", ev, m.Clock.Now, want)
		}
	}
	w.send(map[string]any{"t": "lookback", "at": int64(100 * time.Millisecond)})
	p := w.until("the past", func(m message) bool { return m.T == "past" })
	if !p.Pins["LED"] {
		t.Errorf("looking back at 100ms: pins %v, want LED high", p.Pins)
	}
}

func TestBadCommands(t *testing.T) {
	r := startRig(t, "button-cancel", 1, true, Config{})
	w := dial(t, r.srv)
	w.read()
	for _, tc := range []struct {
		cmd  map[string]any
		want string
	}{
		{map[string]any{"t": "input", "part": "nope", "input": "press"}, `no part "nope"`},
		{map[string]any{"t": "input", "part": "btn1", "input": "turn"}, `part "btn1" takes no input "turn"`},
		{map[string]any{"t": "input", "part": "btn1", "input": "set-control", "args": map[string]any{"temperature": 1}}, `part "btn1" has no control "temperature"`},
		{map[string]any{"t": "input", "part": "btn1", "input": "set-control", "args": map[string]any{"pressed": 2}}, "set-control of btn1: pressed 2: give 0 or 1"},
		{map[string]any{"t": "input", "part": "btn1", "input": "hold"}, "hold of btn1: for is missing"},
		{map[string]any{"t": "input", "part": "btn1", "input": "click", "args": map[string]any{"for": "soon"}}, `click of btn1: for soon: give a duration such as "100ms"`},
		{map[string]any{"t": "input", "part": "LED", "input": "press"}, `part "LED" takes no input "press"`},
		{map[string]any{"t": "input", "part": "home", "input": "wifi-down"}, `wifi-down "home": no such access point (in range: "Wokwi-GUEST")`},
		{map[string]any{"t": "input", "part": "Wokwi-GUEST", "input": "wifi-up", "args": map[string]any{"for": 1}}, "wifi-up of Wokwi-GUEST: it takes no arguments"},
		{map[string]any{"t": "clock", "op": "speed", "speed": 5000}, "session: speed 5000: give 0.01 to 1000, or 0 for as fast as possible"},
		{map[string]any{"t": "clock", "op": "warp"}, `unknown clock operation "warp"`},
		{map[string]any{"t": "nope"}, `unknown message "nope"`},
	} {
		w.send(tc.cmd)
		m := w.read()
		for m.T != "error" {
			m = w.read()
		}
		if m.Msg != tc.want {
			t.Errorf("%v: error %q, want %q", tc.cmd, m.Msg, tc.want)
		}
	}
}

func TestRecordedScenarioParses(t *testing.T) {
	var b strings.Builder
	inputs := []input{
		{At: time.Second + 1, Part: "btn1", Input: "press"},
		{At: time.Second + 100*time.Millisecond + 1, Part: "btn1", Input: "release"},
		{At: 2*time.Second + 7, Part: "dht1", Input: "set-control", Args: map[string]any{"temperature": 31.5, "humidity": 40.0}},
		{At: 3 * time.Second, Part: "dht1", Input: "sensor-fail", Args: map[string]any{"mode": "checksum"}},
		{At: 3 * time.Second, Part: "btn1", Input: "click", Args: map[string]any{"for": 250 * time.Millisecond}},
		{At: 4 * time.Second, Part: "btn1", Input: "set-control", Args: map[string]any{"pressed": true}},
		{At: 4*time.Second + 1, Part: "Wokwi-GUEST", Input: "wifi-down"},
		{At: 4*time.Second + 2, Part: "my home: 5G", Input: "wifi-up"},
	}
	if err := writeScenario(&b, `odd "name": yes`, 7, inputs, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("page.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("Parse:\n%s\n%v", b.String(), err)
	}
	var got []string
	for _, st := range s.Steps() {
		got = append(got, st.String())
	}
	want := []string{"at 1.000000001s", "press btn1", "at 1.100000001s", "release btn1", "at 2.000000007s",
		"set-control dht1.humidity", "set-control dht1.temperature", "at 3s", "sensor-fail dht1", "click btn1",
		"at 4s", "set-control btn1.pressed", "at 4.000000001s", "wifi-down Wokwi-GUEST", "at 4.000000002s", "wifi-up my home: 5G", "at 5.000001s"}
	if !slices.Equal(got, want) {
		t.Errorf("steps %q\nwant %q", got, want)
	}
	if !strings.Contains(b.String(), "  - wifi-down: Wokwi-GUEST\n") || !strings.Contains(b.String(), `  - wifi-up: "my home: 5G"`+"\n") {
		t.Errorf("scenario:\n%s\nwant the Wi-Fi steps", b.String())
	}
	if !strings.Contains(b.String(), "--seed 7") {
		t.Errorf("scenario:\n%s\nwant the seed in the replay command", b.String())
	}
}

func TestWarningNamesItsTask(t *testing.T) {
	r := startRig(t, "mistake-blocking-sleep", 0, true, Config{})
	w := dial(t, r.srv)
	w.read()
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(2 * time.Second)})
	m := w.until("the warning", func(m message) bool { return hasEvent(m, `"w","read_sensor"`) })
	var row *taskStat
	for i := range m.Tasks {
		if m.Tasks[i].Name == "read_sensor" {
			row = &m.Tasks[i]
		}
	}
	if row == nil || row.Warning != "blocking 1s" {
		t.Errorf("row of read_sensor %+v, want the warning \"blocking 1s\"", row)
	}
}

func TestRunUntilTaskState(t *testing.T) {
	r := startRig(t, "dashboard", 0, true, Config{})
	w := dial(t, r.srv)
	w.read()
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(500 * time.Millisecond)})
	w.until("500ms", func(m message) bool { return m.Clock.Paused && m.Clock.Now == 500*time.Millisecond })
	w.send(map[string]any{"t": "clock", "op": "until", "task": "uptime", "state": "running"})
	m := w.until("the breakpoint", func(m message) bool { return m.Clock.Paused && m.Clock.Now > 500*time.Millisecond })
	if m.Clock.Now != time.Second {
		t.Errorf("run until uptime runs: stopped at %v, want 1s", m.Clock.Now)
	}
	// The blink task, due at 1s too, steps after uptime and turns the LED
	// off: the run stops there, at 1s, then at the next edge, 1.2s.
	for _, want := range []time.Duration{time.Second, 1200 * time.Millisecond} {
		w.send(map[string]any{"t": "clock", "op": "until", "pin": "LED"})
		m, ev := w.pausedAfter("the next LED edge", func(ev string) bool { return strings.Contains(ev, `,"p","LED",`) })
		if m.Clock.Now != want || time.Duration(ev[0].(float64)) != want {
			t.Errorf("run until the LED changes: stopped at %v after the edge %v, want %v", m.Clock.Now, ev, want)
		}
	}
}

// The Wi-Fi control takes the board's access point off the air and back
// at the board time it lands at: the program sees the link lost, then
// joins again; the outage is a value signal, the station's state follows
// its WLAN interrupts, and the recorded scenario has the scenario steps
// that do the same.
func TestWifiDownUp(t *testing.T) {
	r := startRig(t, "wifi-status", 0, true, Config{})
	w := dial(t, r.srv)
	var h struct {
		Board boardView `json:"board"`
	}
	_, b, err := w.c.Read(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	if want := []wifiView{{SSID: "Wokwi-GUEST", Signal: "Wokwi-GUEST.down"}}; !slices.Equal(h.Board.Wifi, want) {
		t.Fatalf("hello's board.wifi = %+v, want %+v", h.Board.Wifi, want)
	}
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(5 * time.Second)})
	w.until("5s of board time", func(m message) bool { return m.Clock.Paused && m.Clock.Now == 5*time.Second })
	w.send(map[string]any{"t": "input", "part": "Wokwi-GUEST", "input": "wifi-down"})
	var down, lost bool
	m := w.until("the outage", func(m message) bool {
		down = down || hasEvent(m, `"v","Wokwi-GUEST.down",1`)
		lost = lost || hasEvent(m, `"i","WLAN","link lost"`)
		return len(m.Inputs) > 0
	})
	if in := m.Inputs[0]; in.At != 5*time.Second+time.Nanosecond || in.Part != "Wokwi-GUEST" || in.Input != "wifi-down" || len(in.Args) != 0 {
		t.Errorf("input %+v, want wifi-down of Wokwi-GUEST at 5.000000001s", in)
	}
	w.until("the outage's events", func(m message) bool {
		down = down || hasEvent(m, `"v","Wokwi-GUEST.down",1`)
		lost = lost || hasEvent(m, `"i","WLAN","link lost"`)
		return down && lost
	})
	// The check at 6s sees the link lost and fails to join (1 s of scan).
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(2 * time.Second)})
	w.until("the failed join", func(m message) bool { return hasEvent(m, `"c","Wi-Fi connect failed: hw: access point not found"`) })
	w.until("7.000000001s of board time", func(m message) bool { return m.Clock.Paused && m.Clock.Now == 7*time.Second+time.Nanosecond })
	w.send(map[string]any{"t": "input", "part": "Wokwi-GUEST", "input": "wifi-up"})
	w.until("the AP back", func(m message) bool { return hasEvent(m, `"v","Wokwi-GUEST.down",0`) })
	// The check at 9s joins again, in 2 s.
	w.send(map[string]any{"t": "clock", "op": "step", "step": "for", "d": int64(5 * time.Second)})
	m = w.until("joined again", func(m message) bool { return hasEvent(m, `"c","Wi-Fi connected"`) })
	if !slices.ContainsFunc(m.Events, func(e json.RawMessage) bool { return string(e) == `[11000000000,"c","Wi-Fi connected"]` }) {
		t.Errorf("events %s, want the join at 11s", m.Events)
	}

	// Looking back shows the access point and the station as they were.
	for _, tc := range []struct {
		at      time.Duration
		down    float64
		station string
	}{
		{5 * time.Second, 0, "connected"},
		{5*time.Second + time.Nanosecond, 1, "link lost"},
		{6500 * time.Millisecond, 1, "joining Wokwi-GUEST"},
		{8 * time.Second, 0, "no ap found"},
		{10 * time.Second, 0, "joining Wokwi-GUEST"},
		{11 * time.Second, 0, "connected"},
	} {
		w.send(map[string]any{"t": "lookback", "at": int64(tc.at)})
		var past struct {
			T       string             `json:"t"`
			Values  map[string]float64 `json:"values"`
			Station string             `json:"station"`
		}
		for past.T != "past" {
			_, b, err := w.c.Read(w.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &past); err != nil {
				t.Fatal(err)
			}
		}
		if past.Values["Wokwi-GUEST.down"] != tc.down || past.Station != tc.station {
			t.Errorf("at %v: Wokwi-GUEST.down %v, station %q; want %v, %q", tc.at, past.Values["Wokwi-GUEST.down"], past.Station, tc.down, tc.station)
		}
	}

	// A new page is told the access point is up, the station connected.
	w2 := dial(t, r.srv)
	var h2 struct {
		Board   boardView `json:"board"`
		Station string    `json:"station"`
	}
	if _, b, err = w2.c.Read(w2.ctx); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &h2); err != nil {
		t.Fatal(err)
	}
	if len(h2.Board.Wifi) != 1 || h2.Board.Wifi[0].Down || h2.Station != "connected" {
		t.Errorf("second page's hello: wifi %+v, station %q; want Wokwi-GUEST up, connected", h2.Board.Wifi, h2.Station)
	}

	code, yaml := get(t, r.srv.URL()+"scenario.yaml", "")
	if want := "  - at: 5.000000001s\n  - wifi-down: Wokwi-GUEST\n  - at: 7.000000002s\n  - wifi-up: Wokwi-GUEST\n"; code != 200 || !strings.Contains(yaml, want) {
		t.Errorf("GET /scenario.yaml = %d\n%s\nwant\n%s", code, yaml, want)
	}
}
