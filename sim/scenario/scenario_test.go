package scenario_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/hw"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/simtest"
	"github.com/coopgo/coop/sim/wiring"
)

// A diagram finds the parts of a scenario.
var _ scenario.PartFinder = (*wiring.Diagram)(nil)

// buttonApp lights the LED on GP15 while the button on GP14 is down, and
// says so.
func buttonApp(t *coop.Task, b hw.Board) error {
	con := b.Console()
	led, err := b.Output("GP15")
	if err != nil {
		return err
	}
	btn, err := b.Input("GP14", hw.PullUp)
	if err != nil {
		return err
	}
	con.Println("Ready")
	for {
		if err := btn.WaitEdge(t, hw.EdgeBoth); err != nil {
			return err
		}
		pressed := !btn.Get()
		if pressed != led.Get() {
			led.Set(pressed)
			if pressed {
				con.Println("LED ON")
			} else {
				con.Println("LED OFF")
			}
		}
	}
}

// dhtApp reads the DHT22 on GP16 every 2 s, as the seed's exercise does.
func dhtApp(t *coop.Task, b hw.Board) error {
	con := b.Console()
	sensor, err := hw.OpenDHT22(b, "GP16")
	if err != nil {
		return err
	}
	for {
		if err := sensor.Measure(t); err != nil {
			con.Println("Sensor read error:", err)
		} else {
			con.Println("Temperature:", sensor.Temperature(), "C", "Humidity:", sensor.Humidity(), "%")
		}
		if err := t.Sleep(2 * time.Second); err != nil {
			return err
		}
	}
}

// wifiApp keeps the Pico on Wokwi-GUEST, checking the link every 500 ms.
func wifiApp(t *coop.Task, b hw.Board) error {
	con := b.Console()
	w, err := hw.OpenWLAN(b)
	if err != nil {
		return err
	}
	for {
		if st := w.Status(); !st.Connected() {
			con.Println("status:", st)
			if err := w.Connect(t, "Wokwi-GUEST", ""); err != nil {
				con.Println("join failed:", err)
			} else {
				con.Println("connected")
			}
		}
		if err := t.Sleep(500 * time.Millisecond); err != nil {
			return err
		}
	}
}

// rig is a board wired by testdata/diagram.json with a scenario started on
// it.
type rig struct {
	*simtest.Rig
	d *wiring.Diagram
	r *scenario.Runner
}

func start(t *testing.T, yaml string) *rig {
	t.Helper()
	d, err := wiring.Load("testdata/diagram.json")
	if err != nil {
		t.Fatal(err)
	}
	sr := simtest.New(t, d.Board(), sim.Config{})
	if err := d.Apply(sr.Board); err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("scenario.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Start(sr.Board, d)
	if err != nil {
		t.Fatal(err)
	}
	return &rig{Rig: sr, d: d, r: r}
}

// Each kind of step, against a small program, at exact board times.
func TestSteps(t *testing.T) {
	tests := []struct {
		name    string
		steps   string
		app     simtest.App
		run     time.Duration
		console []string
		pin     string // a pin whose changes are checked
		levels  []string
	}{
		{"press and release", `
  - at: 1s
  - press: btn1
  - delay: 250ms
  - release: btn1`, buttonApp, 2 * time.Second,
			[]string{"0s Ready", "1s LED ON", "1.25s LED OFF"},
			"GP14", []string{"0s 1", "1s 0", "1.25s 1"}},
		{"click holds 100ms and takes that long", `
  - at: 2s
  - click: btn1
  - expect-pin: {part-id: led1, pin: A, value: 0, within: 1ms}
  - click: btn1`, buttonApp, 3 * time.Second,
			[]string{"0s Ready", "2s LED ON", "2.1s LED OFF", "2.1s LED ON", "2.2s LED OFF"},
			"GP14", []string{"0s 1", "2s 0", "2.1s 1", "2.1s 0", "2.2s 1"}},
		{"hold", `
  - wait-serial: Ready
  - delay: 1s
  - hold: {part-id: btn1, for: 2s}
  - expect-serial: {text: "LED OFF", within: 1ms}`, buttonApp, 4 * time.Second,
			[]string{"0s Ready", "1s LED ON", "3s LED OFF"},
			"GP15", []string{"0s 0", "1s 1", "3s 0"}},
		{"set-control pressed, as Wokwi", `
  - delay: 1500ms
  - set-control: {part-id: btn1, control: pressed, value: 1}
  - expect-pin: {part-id: led1, pin: A, value: 1, within: 10ms}
  - delay: 200ms
  - set-control:
      part-id: btn1
      control: pressed
      value: 0
  - wait-serial: {text: "OFF", timeout: 1s}`, buttonApp, 3 * time.Second,
			[]string{"0s Ready", "1.5s LED ON", "1.7s LED OFF"},
			"GP14", []string{"0s 1", "1.5s 0", "1.7s 1"}},
		{"expect-pin on the part's own pin and on a board pin", `
  - wait-serial: Ready
  - press: btn1
  - expect-pin: {part-id: led1, value: 1, within: 1ms}
  - expect-pin: {part-id: pico, pin: GP15, value: true}
  - expect-pin: {part-id: btn1, pin: 1.r, value: 0}
  - expect-pin: {part-id: btn1, value: 0}`, buttonApp, time.Second,
			[]string{"0s Ready", "0s LED ON"},
			"GP15", []string{"0s 0", "0s 1"}},
		{"set-control temperature and humidity", `
  - at: 3s
  - set-control: {part-id: dht1, control: temperature, value: 30.5}
  - set-control: {part-id: dht1, control: humidity, value: 41}`, dhtApp, 5 * time.Second,
			[]string{
				"4.764ms Temperature: 24 C Humidity: 58 %",
				"2.009528s Temperature: 24 C Humidity: 58 %",
				"4.014424s Temperature: 30.5 C Humidity: 41 %",
			}, "", nil},
		{"temperature curve", `
  - temperature: {part-id: dht1, from: 20, to: 30, over: 8s}
  - humidity: {part-id: dht1, to: 50, over: 4s}`, dhtApp, 11 * time.Second,
			[]string{
				"4.676ms Temperature: 20 C Humidity: 58 %",
				"2.00966s Temperature: 22.5 C Humidity: 54 %",
				"4.014776s Temperature: 25 C Humidity: 50 %",
				"6.019584s Temperature: 27.5 C Humidity: 50 %",
				"8.024392s Temperature: 30 C Humidity: 50 %",
				"10.0292s Temperature: 30 C Humidity: 50 %",
			}, "", nil},
		{"sensor-fail", `
  - at: 1s
  - sensor-fail: {part-id: dht1, mode: checksum}
  - at: 3s
  - sensor-fail: {part-id: dht1, mode: no-response}
  - at: 5s
  - sensor-fail: {part-id: dht1, mode: none}`, dhtApp, 7 * time.Second,
			[]string{
				"4.764ms Temperature: 24 C Humidity: 58 %",
				"2.009572s Sensor read error: hw: checksum mismatch",
				"4.010672s Sensor read error: hw: sensor did not respond",
				"6.015436s Temperature: 24 C Humidity: 58 %",
			}, "", nil},
		{"wifi-down and wifi-up", `
  - at: 5s
  - wifi-down: Wokwi-GUEST
  - at: 8s
  - wifi-up: Wokwi-GUEST`, wifiApp, 11 * time.Second,
			[]string{
				"0s status: idle",
				"2s connected",
				"5s status: link lost",
				"6s join failed: hw: access point not found",
				"6.5s status: no ap found",
				"7.5s join failed: hw: access point not found",
				"8s status: no ap found",
				"10s connected",
			}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, "name: "+tt.name+"\nversion: 1\nsteps:"+tt.steps+"\n")
			if err := r.Run(tt.app, tt.run); err != nil {
				t.Fatal(err)
			}
			if !r.r.Done() || r.r.Err() != nil {
				st, _ := r.r.Current()
				t.Errorf("Done() = %v, Err() = %v, at step %v", r.r.Done(), r.r.Err(), st)
			}
			if got := r.Timed(); !slices.Equal(got, tt.console) {
				t.Errorf("console =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.console, "\n"))
			}
			if tt.pin != "" {
				if got := r.Levels(tt.pin); !slices.Equal(got, tt.levels) {
					t.Errorf("Levels(%s) = %q, want %q", tt.pin, got, tt.levels)
				}
			}
		})
	}
}

// A program's own part types add their inputs as steps and their
// controls to set-control.
func TestParseOwnPart(t *testing.T) {
	tilt := &sim.PartType{
		Type: "my-tilt", Kind: "button", Title: "a tilt switch",
		Inputs:   []sim.Input{{Name: "tilt"}},
		Controls: []sim.Arg{{Name: "angle", Kind: sim.KindNumber, Min: 0, Max: 90}},
		Hookup:   func(net func(string) sim.Net) (sim.Hookup, error) { return sim.Hookup{Pin: net("SIG").GPIO}, nil },
		New:      func(string, sim.AttrValues, sim.Hookup) (sim.Part, error) { return nil, nil },
	}
	src := []byte("steps:\n  - at: 1s\n  - tilt: tilt1\n  - set-control: {part-id: tilt1, control: angle, value: 30}\n")
	s, err := scenario.Parse("scenario.yaml", src, tilt)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, st := range s.Steps() {
		kinds = append(kinds, st.Kind)
	}
	if got := strings.Join(kinds, " "); got != "at tilt set-control" {
		t.Errorf("steps = %s, want at tilt set-control", got)
	}
	_, err = scenario.Parse("scenario.yaml", src)
	if want := "scenario.yaml:3:5: step 2: unknown step \"tilt\" (steps: delay, wait-serial, set-control, expect-pin, at, expect-serial, wifi-down, wifi-up, broker, drop-connections, power-cut, stall, press, release, click, hold, temperature, humidity, sensor-fail, turn)"; !errors.Is(err, scenario.ErrUnknownStep) || err.Error() != want {
		t.Errorf("Parse without my-tilt = %v, want %s", err, want)
	}
	_, err = scenario.Parse("scenario.yaml", []byte("steps:\n  - set-control: {part-id: tilt1, control: angel, value: 30}\n"), tilt)
	if want := "scenario.yaml:2:44: step 1 (set-control): unknown control \"angel\" (controls: pressed of a button, temperature and humidity of a DHT22, position of a potentiometer, angle of a tilt switch)"; !errors.Is(err, scenario.ErrValue) || err.Error() != want {
		t.Errorf("Parse with control angel = %v, want %s", err, want)
	}
}
