package wiring_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopgo/coop"
	"github.com/coopgo/coop/sim"
	"github.com/coopgo/coop/sim/wiring"
)

// Parse never panics, returns an *Error or a diagram, and a diagram it
// accepts applies to a fresh board of its kind.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"parts": [{"type": "board-pi-pico-w", "id": "p"}, {"type": "wokwi-resistor", "id": "r"}], "connections": [["p:GP1", "r:1"], ["r:2", "p:3V3"]]}`))
	f.Add([]byte(`{"version": "1\"x"}`))
	f.Add([]byte(`{"parts": [{"type": "coop-metro-m4", "id": "m"}], "connections": [["m:13", "m:GND.2"]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := wiring.Parse("diagram.json", data)
		if err != nil {
			var we *wiring.Error
			if !errors.As(err, &we) {
				t.Fatalf("Parse error %T %v is not a *wiring.Error", err, err)
			}
			return
		}
		l := coop.NewLoop(coop.WithVirtualClock())
		defer l.Close()
		b, err := sim.NewBoard(l, d.Board(), sim.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Apply(b); err != nil {
			var we *wiring.Error
			if !errors.As(err, &we) || !errors.Is(err, wiring.ErrConflict) {
				t.Fatalf("Apply = %v", err)
			}
		}
	})
}
