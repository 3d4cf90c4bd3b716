package wiring_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/simtest"
	"github.com/coopgo/coop/sim/wiring"
)

// A realistic diagram for each board applies, and its parts work: the LED
// lights when the program drives its pin, the button reads low when pressed
// (with a pull-up), the DHT22 measures what its attributes say.
func TestApplyBoards(t *testing.T) {
	tests := []struct {
		file         string
		kind         string
		boardType    string
		boardID      string
		led, btn     string // board pins
		dht          string
		temp, hum    float64
		pull         hw.Pull
		wantParts    []wiring.PartInfo
		wantFinalBtn bool // level of the button pin after release
	}{
		{"testdata/pico2w.json", "pico2w", "board-pi-pico-w", "pico", "GP15", "GP14", "GP16", 24, 58, hw.PullUp, []wiring.PartInfo{
			{ID: "led1", Type: "wokwi-led", Pin: "GP15"},
			{ID: "r1", Type: "wokwi-resistor"},
			{ID: "btn1", Type: "wokwi-pushbutton", Pin: "GP14"},
			{ID: "dht1", Type: "wokwi-dht22", Pin: "GP16"},
		}, true},
		// The pull-up is the resistor r1: the input has none of its own.
		{"testdata/pyboard.json", "pyboard", "coop-pyboard", "pyb", "X1", "X2", "Y1", -5.5, 80, hw.PullNone, []wiring.PartInfo{
			{ID: "led1", Type: "wokwi-led", Pin: "X1"},
			{ID: "btn1", Type: "wokwi-pushbutton", Pin: "X2"},
			{ID: "r1", Type: "wokwi-resistor", Pin: "X2"},
			{ID: "dht1", Type: "wokwi-dht22", Pin: "Y1"},
		}, true},
		{"testdata/metro_m4.json", "metro_m4", "coop-metro-m4", "metro", "D5", "D2", "A0", 31, 20, hw.PullUp, []wiring.PartInfo{
			{ID: "led1", Type: "wokwi-led", Pin: "D5"},
			{ID: "r1", Type: "wokwi-resistor"},
			{ID: "btn1", Type: "wokwi-pushbutton-6mm", Pin: "D2"},
			{ID: "dht1", Type: "wokwi-dht22", Pin: "A0"},
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			d, err := wiring.Load(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if d.Board() != tt.kind || d.Author() != "coop" || d.BoardType() != tt.boardType || d.BoardID() != tt.boardID {
				t.Errorf("Board() = %q, Author() = %q, BoardType() = %q, BoardID() = %q", d.Board(), d.Author(), d.BoardType(), d.BoardID())
			}
			if got := d.Parts(); !slices.Equal(got, tt.wantParts) {
				t.Errorf("Parts() = %v, want %v", got, tt.wantParts)
			}
			if w := d.Warnings(); len(w) != 0 {
				t.Errorf("Warnings() = %q", w)
			}
			r := simtest.New(t, d.Board(), sim.Config{})
			if err := d.Apply(r.Board); err != nil {
				t.Fatal(err)
			}
			led := d.Part("led1").(*sim.LED)
			btn := d.Part("btn1").(*sim.Button)
			dht := d.Part("dht1").(*sim.DHT22)
			if led.Pin() != tt.led || btn.Pin() != tt.btn || dht.Pin() != tt.dht {
				t.Errorf("pins: led %s, button %s, DHT22 %s", led.Pin(), btn.Pin(), dht.Pin())
			}
			if r.Board.Part("btn1") != btn {
				t.Error("the board does not find btn1 by its diagram id")
			}
			btn.ClickAt(time.Second, 500*time.Millisecond)
			var log []string
			err = r.Run(func(t *coop.Task, b hw.Board) error {
				out, err := b.Output(tt.led)
				if err != nil {
					return err
				}
				in, err := b.Input(tt.btn, tt.pull)
				if err != nil {
					return err
				}
				sensor, err := hw.OpenDHT22(b, tt.dht)
				if err != nil {
					return err
				}
				if err := sensor.Measure(t); err != nil {
					return err
				}
				log = append(log, fmt.Sprintf("%v °C %v %%", sensor.Temperature(), sensor.Humidity()))
				for _, at := range []time.Duration{500 * time.Millisecond, 1200 * time.Millisecond, 1800 * time.Millisecond} {
					if err := t.SleepUntil(at); err != nil {
						return err
					}
					out.Set(!in.Get()) // the LED shows the button
					log = append(log, fmt.Sprintf("%v pressed=%v lit=%v", at, !in.Get(), led.On()))
				}
				return nil
			}, 2*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{
				fmt.Sprintf("%v °C %v %%", tt.temp, tt.hum),
				"500ms pressed=false lit=false",
				"1.2s pressed=true lit=true",
				"1.8s pressed=false lit=false",
			}
			if !slices.Equal(log, want) {
				t.Errorf("log = %q, want %q", log, want)
			}
			wantEdges := []string{"0s 1", "1s 0", "1.5s 1"}
			if got := r.Levels(tt.btn); !slices.Equal(got, wantEdges) {
				t.Errorf("Levels(%s) = %q, want %q", tt.btn, got, wantEdges)
			}
		})
	}
}

func mustParse(t *testing.T, js string) *wiring.Diagram {
	t.Helper()
	d, err := wiring.Parse("diagram.json", []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// diagram makes a diagram of a Pico W with parts and connections written
// as JSON array elements.
func diagram(parts, conns string) string {
	if parts != "" {
		parts = ", " + parts
	}
	return `{"version": 1, "parts": [{"type": "board-pi-pico-w", "id": "pico", "attrs": {}}` + parts +
		`], "connections": [` + conns + `]}`
}

// How parts are wired decides what they do: active-low LEDs, buttons to
// 3V3, pulls, resistors in series on either side, chains.
func TestWiringShapes(t *testing.T) {
	led := `{"type": "wokwi-led", "id": "led1"}`
	btn := `{"type": "wokwi-pushbutton", "id": "btn1", "attrs": {"bounce": "0"}}`
	r1 := `{"type": "wokwi-resistor", "id": "r1"}`
	r2 := `{"type": "wokwi-resistor", "id": "r2"}`
	tests := []struct {
		name  string
		parts string
		conns string
		want  []wiring.PartInfo
		check func(t *testing.T, d *wiring.Diagram, b *sim.Board)
	}{
		{"active-low LED", led, `["pico:3V3", "led1:A"], ["led1:C", "pico:GP2"]`,
			[]wiring.PartInfo{{ID: "led1", Type: "wokwi-led", Pin: "GP2"}},
			func(t *testing.T, d *wiring.Diagram, b *sim.Board) {
				out, _ := b.Output("GP2")
				l := d.Part("led1").(*sim.LED)
				out.Set(true)
				lit := l.On()
				out.Set(false)
				if lit || !l.On() {
					t.Errorf("active-low LED: lit at high %v, at low %v", lit, l.On())
				}
			}},
		{"resistor on the cathode side", led + "," + r1, `["pico:GP3", "led1:A"], ["led1:C", "r1:2"], ["r1:1", "pico:GND.3"]`,
			[]wiring.PartInfo{{ID: "led1", Type: "wokwi-led", Pin: "GP3"}, {ID: "r1", Type: "wokwi-resistor"}}, nil},
		{"two resistors in series to the anode", led + "," + r1 + "," + r2,
			`["pico:GP3", "r1:1"], ["r1:2", "r2:1"], ["r2:2", "led1:A"], ["led1:C", "pico:GND.3"]`,
			[]wiring.PartInfo{{ID: "led1", Type: "wokwi-led", Pin: "GP3"}, {ID: "r1", Type: "wokwi-resistor"}, {ID: "r2", Type: "wokwi-resistor"}}, nil},
		{"button to 3V3 with a pull-down resistor", btn + "," + r1,
			`["btn1:1.l", "pico:GP4"], ["btn1:2.r", "pico:3V3"], ["r1:1", "btn1:1.r"], ["r1:2", "pico:GND.4"]`,
			[]wiring.PartInfo{{ID: "btn1", Type: "wokwi-pushbutton", Pin: "GP4"}, {ID: "r1", Type: "wokwi-resistor", Pin: "GP4"}},
			func(t *testing.T, d *wiring.Diagram, b *sim.Board) {
				in, _ := b.Input("GP4", hw.PullNone)
				btn := d.Part("btn1").(*sim.Button)
				released := in.Get()
				btn.Press()
				if released || !in.Get() {
					t.Errorf("button to 3V3: released %v, pressed %v", released, in.Get())
				}
			}},
		{"pull-up through two resistors", r1 + "," + r2, `["pico:GP5", "r1:1"], ["r1:2", "r2:1"], ["r2:2", "pico:VSYS"]`,
			[]wiring.PartInfo{{ID: "r1", Type: "wokwi-resistor"}, {ID: "r2", Type: "wokwi-resistor", Pin: "GP5"}},
			func(t *testing.T, d *wiring.Diagram, b *sim.Board) {
				in, _ := b.Input("GP5", hw.PullNone)
				if !in.Get() {
					t.Error("pulled-up pin reads low")
				}
			}},
		{"two LEDs on one pin", led + `, {"type": "wokwi-led", "id": "led2", "attrs": {"color": "green"}}`,
			`["pico:GP6", "led1:A"], ["led1:A", "led2:A"], ["led1:C", "pico:GND.1"], ["led2:C", "led1:C"]`,
			[]wiring.PartInfo{{ID: "led1", Type: "wokwi-led", Pin: "GP6"}, {ID: "led2", Type: "wokwi-led", Pin: "GP6"}},
			func(t *testing.T, d *wiring.Diagram, b *sim.Board) {
				if c := d.Part("led2").(*sim.LED).Color(); c != "green" {
					t.Errorf("led2 color %q", c)
				}
				if c := d.Part("led1").(*sim.LED).Color(); c != "red" {
					t.Errorf("led1 color %q, want Wokwi's default red", c)
				}
			}},
		{"the serial monitor's wires are skipped", led, `["pico:GP0", "$serialMonitor:RX", "", []], ["pico:GP1", "$serialMonitor:TX", "", []], ["pico:GP7", "led1:A"], ["led1:C", "pico:GND.1"]`,
			[]wiring.PartInfo{{ID: "led1", Type: "wokwi-led", Pin: "GP7"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, diagram(tt.parts, tt.conns))
			if got := d.Parts(); !slices.Equal(got, tt.want) {
				t.Errorf("Parts() = %v, want %v", got, tt.want)
			}
			r := simtest.New(t, d.Board(), sim.Config{})
			if err := d.Apply(r.Board); err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, d, r.Board)
			}
		})
	}
}

// Wi-Fi boards have Wokwi-GUEST in range, open, unless the board's
// attributes say otherwise; a program joins it in the default 2 s.
func TestWifi(t *testing.T) {
	tests := []struct {
		board, attrs string
		want         *sim.APConfig
	}{
		{"board-pi-pico-w", `{}`, &sim.APConfig{SSID: "Wokwi-GUEST"}},
		{"board-pi-pico2-w", `{"coopWifiSsid": "Home", "coopWifiPassword": "secret", "coopWifiJoinTime": "3s"}`,
			&sim.APConfig{SSID: "Home", Password: "secret", JoinTime: 3 * time.Second}},
		{"board-pi-pico-w", `{"coopWifiSsid": ""}`, nil},
		{"wokwi-pi-pico", `{}`, nil},
		{"wokwi-pi-pico", `{"coopWifiSsid": "Lab"}`, &sim.APConfig{SSID: "Lab"}},
		{"coop-pyboard", `{}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.board+tt.attrs, func(t *testing.T) {
			d := mustParse(t, `{"parts": [{"type": "`+tt.board+`", "id": "b", "attrs": `+tt.attrs+`}]}`)
			got := d.AccessPoint()
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Fatalf("AccessPoint() = %+v, want %+v", got, tt.want)
			}
			r := simtest.New(t, d.Board(), sim.Config{})
			if err := d.Apply(r.Board); err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				return
			}
			ap := r.Board.AccessPoint(tt.want.SSID)
			if ap == nil || !ap.Online() {
				t.Fatalf("board has no access point %q online", tt.want.SSID)
			}
			var joined time.Duration
			err := r.Run(func(t *coop.Task, b hw.Board) error {
				w, err := hw.OpenWLAN(b)
				if err != nil {
					return err
				}
				if err := w.Connect(t, tt.want.SSID, tt.want.Password); err != nil {
					return err
				}
				joined = t.Now()
				return nil
			}, 10*time.Second)
			want := tt.want.JoinTime
			if want == 0 {
				want = sim.DefaultJoinTime
			}
			if err != nil || joined != want {
				t.Errorf("Connect = %v at %v, want nil at %v", err, joined, want)
			}
		})
	}
}

func TestPartPin(t *testing.T) {
	d, err := wiring.Load("testdata/pico2w.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, pin, want, err string
	}{
		{"led1", "A", "GP15", ""},
		{"r1", "1", "GP15", ""},
		{"btn1", "1.r", "GP14", ""}, // one contact with 1.l
		{"dht1", "SDA", "GP16", ""},
		{"pico", "GP3", "GP3", ""},
		{"led1", "C", "", `pico2w.json: pin C of part "led1" (wokwi-led) is not wired to a board pin`},
		{"btn1", "2.l", "", `pico2w.json: pin 2.l of part "btn1" (wokwi-pushbutton) is not wired to a board pin`},
		{"led1", "K", "", `pico2w.json: part "led1" (wokwi-led) has no pin "K" (pins: A, C)`},
		{"led9", "A", "", `pico2w.json: no part "led9" in the diagram`},
		{"pico", "GND.1", "", `pico2w.json: GND.1 of board "pico" is not a GPIO`},
		{"pico", "GP29", "", `pico2w.json: board "pico2w" has no pin "GP29" (pins: GP0–GP28, LED, GND.1–GND.8, AGND, 3V3, VSYS, VBUS)`},
	}
	for _, tt := range tests {
		got, err := d.PartPin(tt.id, tt.pin)
		if got != tt.want || fmt.Sprint(err) != fmt.Sprint(errOrNil(tt.err)) {
			t.Errorf("PartPin(%q, %q) = %q, %v; want %q, %s", tt.id, tt.pin, got, err, tt.want, tt.err)
		}
	}
}

func errOrNil(s string) error {
	if s == "" {
		return nil
	}
	return errors.New(s)
}

// Part finds the diagram's parts after Apply, and the parts soldered on
// the board by their names.
func TestPart(t *testing.T) {
	d := mustParse(t, `{"parts": [{"type": "coop-pyboard", "id": "pyb"}, {"type": "wokwi-resistor", "id": "r1"}]}`)
	if d.Part("USR") != nil {
		t.Error("Part before Apply is not nil")
	}
	r := simtest.New(t, "pyboard", sim.Config{})
	if err := d.Apply(r.Board); err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Part("USR").(*sim.Button); !ok {
		t.Errorf("Part(USR) = %T, want the pyboard's button", d.Part("USR"))
	}
	for _, id := range []string{"r1", "pyb", "nope"} {
		if p := d.Part(id); p != nil {
			t.Errorf("Part(%q) = %v, want nil", id, p)
		}
	}
	if w := fmt.Sprint(d.Warnings()); w != `[diagram.json: part "r1" (wokwi-resistor) is not connected; ignored]` {
		t.Errorf("Warnings() = %s", w)
	}
}

// Apply makes new parts for each board, and refuses a board of another
// kind or one that has the parts already.
func TestApplyErrors(t *testing.T) {
	d, err := wiring.Load("testdata/pico2w.json")
	if err != nil {
		t.Fatal(err)
	}
	r := simtest.New(t, "pyboard", sim.Config{})
	err = d.Apply(r.Board)
	if want := `pico2w.json: the diagram is for a "pico2w" board (board-pi-pico-w), not "pyboard"`; fmt.Sprint(err) != want || !errors.Is(err, wiring.ErrBoard) {
		t.Errorf("Apply(pyboard) = %v, want %s", err, want)
	}
	r1 := simtest.New(t, "pico2w", sim.Config{})
	r2 := simtest.New(t, "pico2w", sim.Config{})
	if err := d.Apply(r1.Board); err != nil {
		t.Fatal(err)
	}
	first := d.Part("btn1")
	err = d.Apply(r1.Board)
	if want := `pico2w.json:7:34: part id "led1" is taken by a part already on the board`; fmt.Sprint(err) != want || !errors.Is(err, wiring.ErrConflict) {
		t.Errorf("second Apply = %v, want %s", err, want)
	}
	if err := d.Apply(r2.Board); err != nil {
		t.Fatal(err)
	}
	if d.Part("btn1") == first || r2.Board.Part("btn1") != d.Part("btn1") {
		t.Error("Part does not find the parts of the last Apply")
	}
	r3 := simtest.New(t, "pico2w", sim.Config{})
	r3.Board.AddAccessPoint(sim.APConfig{SSID: "Wokwi-GUEST"})
	err = d.Apply(r3.Board)
	if want := `pico2w.json: the board has an access point "Wokwi-GUEST" already`; fmt.Sprint(err) != want {
		t.Errorf("Apply with the AP there = %v, want %s", err, want)
	}
	if r3.Board.Part("led1") != nil {
		t.Error("a failed Apply attached parts")
	}
	d2 := mustParse(t, diagram(`{"type": "wokwi-led", "id": "LED"}`, `["pico:GP1", "LED:A"], ["LED:C", "pico:GND.1"]`))
	err = d2.Apply(simtest.New(t, "pico2w", sim.Config{}).Board)
	if want := `diagram.json:1:110: part id "LED" is taken by a part already on the board`; fmt.Sprint(err) != want {
		t.Errorf("Apply with an id of a soldered part = %v, want %s", err, want)
	}
}

// tiltType is a program's own part: a tilt switch on the pin of its SIG.
func tiltType() *sim.PartType {
	return &sim.PartType{
		Type: "my-tilt", Kind: "button", Title: "a tilt switch",
		Pins:   []sim.PinSpec{{Name: "SIG"}, {Name: "GND", Power: true}},
		Inputs: []sim.Input{{Name: "tilt"}},
		Hookup: func(net func(string) sim.Net) (sim.Hookup, error) { return sim.Hookup{Pin: net("SIG").GPIO}, nil },
		New:    func(string, sim.AttrValues, sim.Hookup) (sim.Part, error) { return nil, nil },
	}
}

// A diagram uses a program's own part types when it is given them, and
// names them among the types it knows.
func TestParseOwnPart(t *testing.T) {
	diagram := func(typ string) []byte {
		return []byte(`{"parts": [{"type": "board-pi-pico-w", "id": "pico"}, {"type": "` + typ + `", "id": "tilt1"}],
 "connections": [["tilt1:SIG", "pico:GP5", "green", []], ["tilt1:GND", "pico:GND.1", "black", []]]}`)
	}
	d, err := wiring.Parse("diagram.json", diagram("my-tilt"), tiltType())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Parts(), []wiring.PartInfo{{ID: "tilt1", Type: "my-tilt", Pin: "GP5"}}; !slices.Equal(got, want) {
		t.Errorf("Parts() = %v, want %v", got, want)
	}
	known := strings.Join(wiring.KnownTypes(), ", ")
	for _, tt := range []struct {
		typ  string
		own  []*sim.PartType
		want string
	}{
		{"my-tilt", nil, `diagram.json:1:64: part "tilt1" has unknown type "my-tilt" (known: ` + known + `)`},
		{"my-tlt", []*sim.PartType{tiltType()}, `diagram.json:1:64: part "tilt1" has unknown type "my-tlt" (did you mean my-tilt? known: ` + known + `, my-tilt)`},
	} {
		_, err := wiring.Parse("diagram.json", diagram(tt.typ), tt.own...)
		if !errors.Is(err, wiring.ErrUnknownType) || err.Error() != tt.want {
			t.Errorf("Parse(%s, %d own types) = %v, want %s", tt.typ, len(tt.own), err, tt.want)
		}
	}
}
