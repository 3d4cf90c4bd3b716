package scenario_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/scenario"
	"github.com/coopgo/coop/sim/wiring"
)

// Parse never panics and returns a scenario or an *Error; a scenario it
// accepts starts or is refused with an *Error, and runs without panicking.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"steps:\n  - temperature: {part-id: dht1, from: 20, to: 30, over: 8s}\n  - sensor-fail: {part-id: dht1, mode: checksum}\n",
		"steps:\n  - wifi-down: Wokwi-GUEST\n  - delay: 1s\n  - wifi-up: Wokwi-GUEST\n",
		"steps:\n  - hold: {part-id: btn1, for: 2s}\n  - expect-serial: {text: x, within: 1s}\n",
		"steps: &a\n  - delay: 1s\n  - *a\n",
		"steps:\n  - set-control: {part-id: btn1, control: pressed, value: true}\n  - expect-pin: {part-id: pico, pin: GP14, value: 0}\n",
		"steps:\n  - turn: {part-id: pot1, from: 0, to: 0.5, over: 1s}\n  - set-control: {part-id: pot1, control: position, value: 1}\n",
		"steps:\n  - click: btn1\n  - click: {part-id: btn1, for: 1s}\n  - turn: btn1\n",
	} {
		f.Add([]byte(s))
	}
	diagram, err := os.ReadFile("testdata/diagram.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse("scenario.yaml", data)
		if err != nil {
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Fatalf("Parse error %T %v is not a *scenario.Error", err, err)
			}
			return
		}
		d, err := wiring.Parse("diagram.json", diagram)
		if err != nil {
			t.Fatal(err)
		}
		l := coop.NewLoop(coop.WithVirtualClock())
		defer l.Close()
		b, err := sim.NewBoard(l, d.Board(), sim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Apply(b); err != nil {
			t.Fatal(err)
		}
		r, err := s.Start(b, d)
		if err != nil {
			var se *scenario.Error
			if !errors.As(err, &se) {
				t.Fatalf("Start error %T %v is not a *scenario.Error", err, err)
			}
			return
		}
		l.Spawn("talker", func(t *coop.Task) error {
			for {
				b.Console().Println("LED ON")
				if err := t.Sleep(300 * time.Millisecond); err != nil {
					return err
				}
			}
		})
		if err := l.RunFor(5 * time.Second); err != nil {
			t.Fatal(err)
		}
		if err := r.Err(); err != nil {
			var se *scenario.StepError
			if !errors.As(err, &se) {
				t.Fatalf("Err() = %T %v, not a *StepError", err, err)
			}
		}
	})
}
