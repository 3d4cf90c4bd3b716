package scenario_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/simtest"
	"github.com/coopgo/coop/sim/wiring"
)

// A failed expectation ends the run with a *StepError that says where,
// when, what was expected and what came.
func TestStepErrors(t *testing.T) {
	tests := []struct {
		name  string
		steps string
		app   simtest.App
		world func(btn *sim.Button) // stimuli from outside the scenario
		want  string
		done  int // steps passed
		at    time.Duration
	}{
		{"expect-pin now", `
  - at: 1s
  - expect-pin: {part-id: led1, pin: A, value: 1}`, buttonApp, nil,
			`scenario.yaml:5: step 2 (expect-pin led1.A): at 1s expected 1, got 0`, 1, time.Second},
		{"expect-pin within", `
  - at: 1s
  - press: btn1
  - delay: 10ms
  - expect-pin: {part-id: led1, pin: A, value: 0, within: 100ms}`, buttonApp, nil,
			`scenario.yaml:7: step 4 (expect-pin led1.A): at 1.11s expected 0 within 100ms, got 1`, 3, 1110 * time.Millisecond},
		{"expect-serial", `
  - at: 1s
  - press: btn1
  - delay: 1ms
  - expect-serial: {text: "LED OFF", within: 1s}`, buttonApp, nil,
			`scenario.yaml:7: step 4 (expect-serial "LED OFF"): at 2.001s expected "LED OFF" within 1s, got no line`, 3, 2001 * time.Millisecond},
		{"expect-serial with other lines", `
  - wait-serial: Ready
  - expect-serial: {text: "Bye", within: 1s}`, buttonApp, func(btn *sim.Button) {
			btn.ClickAt(200*time.Millisecond, 300*time.Millisecond)
			btn.PressAt(time.Second) // at the deadline: still seen
			btn.ReleaseAt(time.Second + time.Nanosecond)
		},
			`scenario.yaml:5: step 2 (expect-serial "Bye"): at 1s expected "Bye" within 1s, got 3 other lines, the last "LED ON"`, 1, time.Second},
		{"expect-serial of a line printed before the step", `
  - at: 1s
  - click: btn1
  - expect-serial: {text: "LED ON", within: 100ms}`, buttonApp, nil,
			`scenario.yaml:6: step 3 (expect-serial "LED ON"): at 1.2s expected "LED ON" within 100ms, got 1 other line, "LED OFF" ("LED ON" came at 1s, while step 2 (click btn1) ran, before this step began at 1.1s: a serial step sees the lines from its start on)`, 2, 1200 * time.Millisecond},
		{"expect-serial of a line an earlier step matched", `
  - wait-serial: Ready
  - expect-serial: {text: "Ready", within: 1s}`, buttonApp, nil,
			`scenario.yaml:5: step 2 (expect-serial "Ready"): at 1s expected "Ready" within 1s, got no line`, 1, time.Second},
		{"wait-serial timeout", `
  - wait-serial: {text: Ready}
  - press: btn1
  - wait-serial: {text: "LED OF", timeout: 2s}`, buttonApp, nil,
			`scenario.yaml:6: step 3 (wait-serial "LED OF"): at 2s expected "LED OF" within 2s, got 1 other line, "LED ON"`, 2, 2 * time.Second},
		{"at reached late", `
  - wait-serial: LED ON
  - at: 2s`, buttonApp, func(btn *sim.Button) { btn.PressAt(3 * time.Second) },
			`scenario.yaml:5: step 2 (at 2s): at 3s expected board time at most 2s, got 3s`, 1, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := start(t, "name: failing\nversion: 1\nsteps:"+tt.steps+"\n")
			if tt.world != nil {
				tt.world(r.d.Part("btn1").(*sim.Button))
			}
			if err := r.Run(tt.app, 5*time.Second); err != nil {
				t.Fatal(err)
			}
			err := r.r.Err()
			if !r.r.Done() || err == nil || err.Error() != tt.want {
				t.Fatalf("Done() = %v, Err() = %v\nwant %s", r.r.Done(), err, tt.want)
			}
			var se *scenario.StepError
			if !errors.As(err, &se) || se.At != tt.at || se.File != "scenario.yaml" {
				t.Errorf("Err() = %#v, want a *StepError at %v", err, tt.at)
			}
			if n := r.r.StepsDone(); n != tt.done {
				t.Errorf("StepsDone() = %d, want %d", n, tt.done)
			}
			if _, ok := r.r.Current(); ok {
				t.Error("Current() reports a step after the run ended")
			}
		})
	}
}

// Parse rejects what cannot run, at the line and column of the problem.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string
		is   error
	}{
		{"empty", "", `scenario.yaml: empty file: want name:, version: 1 and steps:`, scenario.ErrSyntax},
		{"YAML syntax", "steps:\n  - delay: [500ms\n", `scenario.yaml:2: did not find expected ',' or ']'`, scenario.ErrSyntax},
		{"YAML indentation", "name: x\nsteps:\n  - delay: 1s\n   - press: b\n", `scenario.yaml:3: did not find expected '-' indicator`, scenario.ErrSyntax},
		{"tab", "steps:\n\t- delay: 1s\n", `scenario.yaml:2:1: a tab in the indentation: YAML indents with spaces only`, scenario.ErrSyntax},
		{"a list", "- delay: 1s\n", `scenario.yaml:1:1: want a mapping with name:, version: 1 and steps:, got a list`, scenario.ErrSyntax},
		{"unknown key", "name: x\nstep:\n  - delay: 1s\n", `scenario.yaml:2:1: unknown key "step" (did you mean steps? allowed: name, version, author, description, steps)`, scenario.ErrSyntax},
		{"no steps", "name: x\n", `scenario.yaml:1:1: no steps: (want a list of steps)`, scenario.ErrSyntax},
		{"steps not a list", "steps: delay\n", `scenario.yaml:1:8: steps must be a list, not "delay"`, scenario.ErrSyntax},
		{"version", "version: 2\nsteps: []\n", `scenario.yaml:1:10: version "2" is not supported (want 1)`, scenario.ErrSyntax},
		{"duplicate key", "steps:\n  - set-control: {part-id: a, part-id: b}\n", `scenario.yaml:2:31: step 1 (set-control): part-id is given twice`, scenario.ErrValue},
		{"two kinds in a step", "steps:\n  - delay: 1s\n    press: btn1\n", `scenario.yaml:2:5: step 1: a step is one kind and its value, such as ` + "`- delay: 500ms`" + `; got a mapping of delay, press`, scenario.ErrSyntax},
		{"a step that is text", "steps:\n  - delay\n", `scenario.yaml:2:5: step 1: a step is one kind and its value, such as ` + "`- delay: 500ms`" + `; got "delay"`, scenario.ErrSyntax},
		{"unknown step", "steps:\n  - delay: 1s\n  - push: btn1\n", `scenario.yaml:3:5: step 2: unknown step "push" (steps: delay, wait-serial, set-control, expect-pin, at, expect-serial, wifi-down, wifi-up, broker, drop-connections, power-cut, stall, press, release, click, hold, temperature, humidity, sensor-fail, turn)`, scenario.ErrUnknownStep},
		{"no unit", "steps:\n  - delay: 500\n", `scenario.yaml:2:12: step 1 (delay): delay 500 has no unit: write it as 500ms or 500s`, scenario.ErrValue},
		{"zero delay", "steps:\n  - delay: 0s\n", `scenario.yaml:2:12: step 1 (delay): delay 0s must be longer than 0s`, scenario.ErrValue},
		{"negative at", "steps:\n  - at: -1s\n", `scenario.yaml:2:9: step 1 (at): at -1s must not be negative`, scenario.ErrValue},
		{"not a duration", "steps:\n  - delay: soon\n", `scenario.yaml:2:12: step 1 (delay): delay "soon" is not a duration such as 500ms or 2s`, scenario.ErrValue},
		{"zero within", "steps:\n  - expect-pin: {part-id: led1, value: 1, within: 0ms}\n", `scenario.yaml:2:51: step 1 (expect-pin): within 0s must be longer than 0s`, scenario.ErrValue},
		{"zero hold", "steps:\n  - hold: {part-id: btn1, for: 0s}\n", `scenario.yaml:2:32: step 1 (hold): for 0s must be longer than 0s`, scenario.ErrValue},
		{"zero curve", "steps:\n  - temperature: {part-id: dht1, to: 30, over: 0s}\n", `scenario.yaml:2:48: step 1 (temperature): over 0s must be longer than 0s`, scenario.ErrValue},
		{"zero timeout", "steps:\n  - wait-serial: {text: x, timeout: -2s}\n", `scenario.yaml:2:37: step 1 (wait-serial): timeout -2s must be longer than 0s`, scenario.ErrValue},
		{"unknown field", "steps:\n  - expect-pin: {part-id: led1, pin: A, vlaue: 1}\n", `scenario.yaml:2:41: step 1 (expect-pin): unknown field "vlaue" (did you mean value? allowed: part-id, pin, value, within)`, scenario.ErrValue},
		{"missing field", "steps:\n  - expect-pin: {part-id: led1, pin: A}\n", `scenario.yaml:2:17: step 1 (expect-pin): value: is missing`, scenario.ErrValue},
		{"missing part-id", "steps:\n  - hold:\n      for: 1s\n", `scenario.yaml:3:7: step 1 (hold): part-id: is missing`, scenario.ErrValue},
		{"pin value", "steps:\n  - expect-pin: {part-id: led1, pin: A, value: 2}\n", `scenario.yaml:2:48: step 1 (expect-pin): value must be 0 or 1, not "2"`, scenario.ErrValue},
		{"unknown control", "steps:\n  - set-control: {part-id: btn1, control: push, value: 1}\n", `scenario.yaml:2:43: step 1 (set-control): unknown control "push" (controls: pressed of a button, temperature and humidity of a DHT22, position of a potentiometer)`, scenario.ErrValue},
		{"temperature range", "steps:\n  - set-control: {part-id: dht1, control: temperature, value: 95}\n", `scenario.yaml:2:63: step 1 (set-control): value 95 is out of range: -40 to 80 °C`, scenario.ErrValue},
		{"humidity not a number", "steps:\n  - humidity: {part-id: dht1, to: wet, over: 1s}\n", `scenario.yaml:2:35: step 1 (humidity): to must be a number, not "wet"`, scenario.ErrValue},
		{"curve range", "steps:\n  - humidity: {part-id: dht1, from: -1, to: 50, over: 1s}\n", `scenario.yaml:2:37: step 1 (humidity): from -1 is out of range: 0 to 100 %`, scenario.ErrValue},
		{"fail mode", "steps:\n  - sensor-fail: {part-id: dht1, mode: crc}\n", `scenario.yaml:2:40: step 1 (sensor-fail): unknown mode "crc" (modes: checksum, no-response, none)`, scenario.ErrValue},
		{"press a list", "steps:\n  - press: [btn1]\n", "scenario.yaml:2:12: step 1 (press): press takes a part id, as in `press: btn1`; got a list", scenario.ErrValue},
		{"press with a field", "steps:\n  - press: {part-id: btn1, for: 1s}\n", `scenario.yaml:2:28: step 1 (press): unknown field "for" (allowed: part-id)`, scenario.ErrValue},
		{"turn without to", "steps:\n  - turn: pot1\n", "scenario.yaml:2:11: step 1 (turn): turn needs to: write it as `turn: {part-id: pot1, to: …}`", scenario.ErrValue},
		{"turn too far", "steps:\n  - turn: {part-id: pot1, to: 1.5}\n", `scenario.yaml:2:31: step 1 (turn): to 1.5 is out of range: 0 to 1`, scenario.ErrValue},
		{"empty id", "steps:\n  - click: \"\"\n", `scenario.yaml:2:12: step 1 (click): the part id is empty`, scenario.ErrValue},
		{"empty text", "steps:\n  - wait-serial: \"\"\n", `scenario.yaml:2:18: step 1 (wait-serial): the text is empty: every line contains it`, scenario.ErrValue},
		{"no within", "steps:\n  - expect-serial: {text: ON}\n", `scenario.yaml:2:20: step 1 (expect-serial): within: is missing (wait-serial waits without a deadline)`, scenario.ErrValue},
		{"null ssid", "steps:\n  - wifi-down:\n", `scenario.yaml:2:15: step 1 (wifi-down): the SSID must be text, not nothing`, scenario.ErrValue},
		{"at out of order", "steps:\n  - at: 2s\n  - delay: 1s\n  - click: btn1\n  - at: 3s\n", `scenario.yaml:5:9: step 4 (at): at 3s is earlier than 3.1s, where the steps before it end at the earliest`, scenario.ErrValue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := scenario.Parse("scenario.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatalf("Parse = %v, nil; want error %s", s, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("Parse error %v is not %v", err, tt.is)
			}
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Errorf("Parse error is %T, not *scenario.Error", err)
			}
		})
	}
}

// Start checks every part, control and access point against the board
// before anything runs.
func TestStartErrors(t *testing.T) {
	tests := []struct {
		name  string
		steps string
		want  string
		is    error
	}{
		{"unknown part", "  - delay: 1s\n  - press: btn9\n", `scenario.yaml:5:12: step 2 (press): no part "btn9" (did you mean btn1? parts: LED, led1, btn1, dht1)`, scenario.ErrUnknownPart},
		{"press an LED", "  - click: led1\n", `scenario.yaml:4:12: step 1 (click): part "led1" is an LED, not a button`, scenario.ErrWrongPart},
		{"heat a button", "  - set-control: {part-id: btn1, control: temperature, value: 30}\n", `scenario.yaml:4:28: step 1 (set-control): part "btn1" is a button, not a DHT22`, scenario.ErrWrongPart},
		{"misspelt part", "  - press: bnt1\n", `scenario.yaml:4:12: step 1 (press): no part "bnt1" (did you mean btn1? parts: LED, led1, btn1, dht1)`, scenario.ErrUnknownPart},
		{"press a series resistor", "  - press: r1\n", `scenario.yaml:4:12: step 1 (press): no part "r1" (parts: LED, led1, btn1, dht1)`, scenario.ErrUnknownPart},
		{"unknown access point", "  - wifi-down: Home\n", `scenario.yaml:4:16: step 1 (wifi-down): no access point "Home" in range of the board`, scenario.ErrUnknownPart},
		{"pin wired to GND", "  - expect-pin: {part-id: led1, pin: C, value: 0}\n", `scenario.yaml:4:38: step 1 (expect-pin): diagram.json: pin C of part "led1" (wokwi-led) is not wired to a board pin`, scenario.ErrUnknownPart},
		{"no such pin", "  - expect-pin: {part-id: pico, pin: GP30, value: 0}\n", `scenario.yaml:4:38: step 1 (expect-pin): diagram.json: board "pico2w" has no pin "GP30" (pins: GP0–GP28, LED, GND.1–GND.8, AGND, 3V3, VSYS, VBUS)`, scenario.ErrUnknownPart},
		{"board without pin", "  - expect-pin: {part-id: pico, value: 0}\n", `scenario.yaml:4:27: step 1 (expect-pin): no part "pico" (parts: LED, led1, btn1, dht1)`, scenario.ErrUnknownPart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := wiring.Load("testdata/diagram.json")
			if err != nil {
				t.Fatal(err)
			}
			r := simtest.New(t, d.Board(), sim.Config{})
			if err := d.Apply(r.Board); err != nil {
				t.Fatal(err)
			}
			s, err := scenario.Parse("scenario.yaml", []byte("name: x\nversion: 1\nsteps:\n"+tt.steps))
			if err != nil {
				t.Fatal(err)
			}
			run, err := s.Start(r.Board, d)
			if err == nil {
				t.Fatalf("Start = %v, nil; want error %s", run, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Start error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("Start error %v is not %v", err, tt.is)
			}
		})
	}
}
